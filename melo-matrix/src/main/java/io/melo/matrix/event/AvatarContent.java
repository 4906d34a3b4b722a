package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.avatar}.
 *
 * @param url the avatar's {@code mxc://} URI; null when removed
 * @param info the image info
 * @param extra every other field, kept as received
 */
public record AvatarContent(String url, MediaInfo info, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param url the avatar's {@code mxc://} URI; null when removed
   * @param info the image info
   * @param extra every other field, kept as received
   */
  public AvatarContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return an avatar with only a URL}
   *
   * @param mxcUrl the avatar's {@code mxc://} URL, or null to remove the avatar
   */
  public static AvatarContent of(String mxcUrl) {
    return new AvatarContent(mxcUrl, null, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static AvatarContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    JsonObject info = r.object("info");
    return new AvatarContent(r.string("url"), info == null ? null : MediaInfo.from(info), r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder()
        .putOrRemove("url", url)
        .putOrRemove("info", info == null ? null : info.toJson()), extra);
  }
}
