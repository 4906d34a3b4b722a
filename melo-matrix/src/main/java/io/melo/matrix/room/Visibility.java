package io.melo.matrix.room;

/** Whether a room is listed in the server's public room directory. */
public enum Visibility {
  /** Listed. */
  PUBLIC,
  /** Not listed. */
  PRIVATE;

  /** {@return the wire value, {@code public} or {@code private}} */
  public String wireName() {
    return this == PUBLIC ? "public" : "private";
  }

  /**
   * Reads a wire value; anything but {@code public} is {@link #PRIVATE}, as the spec's default.
   *
   * @param value the wire value, or null
   * @return the visibility
   */
  public static Visibility fromWire(String value) {
    return "public".equals(value) ? PUBLIC : PRIVATE;
  }
}
