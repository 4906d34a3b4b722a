package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The {@code info} of an image, file, video or audio message or of a room avatar. Absent fields are
 * null; other fields ({@code thumbnail_url}, {@code thumbnail_info}, ...) stay in {@code extra}.
 *
 * @param mimetype the MIME type, such as {@code image/png}
 * @param size the size in bytes
 * @param width the width in pixels ({@code w})
 * @param height the height in pixels ({@code h})
 * @param duration the duration in milliseconds
 * @param extra every other field, kept as received
 */
public record MediaInfo(String mimetype, Long size, Long width, Long height, Long duration, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param mimetype the MIME type, such as {@code image/png}
   * @param size the size in bytes
   * @param width the width in pixels ({@code w})
   * @param height the height in pixels ({@code h})
   * @param duration the duration in milliseconds
   * @param extra every other field, kept as received
   */
  public MediaInfo {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * Info with only a MIME type and a size, as attachments need.
   *
   * @param mimetype the MIME type, such as {@code image/png}, or null
   * @param size the size in bytes
   * @return the info
   */
  public static MediaInfo of(String mimetype, long size) {
    return new MediaInfo(mimetype, size, null, null, null, JsonObject.EMPTY);
  }

  /**
   * Reads an {@code info} object. Never throws on wrong kinds: they stay in {@code extra}.
   *
   * @param json the {@code info} object; null is an {@link IllegalArgumentException}
   * @return the info; a known field that is absent or of another kind reads as null
   */
  public static MediaInfo from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new MediaInfo(r.string("mimetype"), r.integer("size"), r.integer("w"), r.integer("h"),
        r.integer("duration"), r.extra());
  }

  /** {@return this info as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder()
        .putOrRemove("mimetype", mimetype)
        .putOrRemove("size", size)
        .putOrRemove("w", width)
        .putOrRemove("h", height)
        .putOrRemove("duration", duration), extra);
  }
}
