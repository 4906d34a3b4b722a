package io.melo.matrix.media;

/** How a thumbnail is fitted into the requested size. */
public enum ThumbnailMethod {
  /** Scaled to fit inside the size, keeping the aspect ratio. */
  SCALE,
  /** Scaled and cropped to fill the size exactly. */
  CROP;

  /** {@return the query value, {@code scale} or {@code crop}} */
  public String wireName() {
    return this == SCALE ? "scale" : "crop";
  }
}
