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

  /** Replaces a null {@code extra} with an empty object. */
  public AvatarContent {
    extra = ContentReader.orEmpty(extra);
  }

  /** An avatar with only a URL. */
  public static AvatarContent of(String mxcUrl) {
    return new AvatarContent(mxcUrl, null, JsonObject.EMPTY);
  }

  /** Reads the content. Never throws. */
  public static AvatarContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    JsonObject info = r.object("info");
    return new AvatarContent(r.string("url"), info == null ? null : MediaInfo.from(info), r.extra());
  }

  /** This content as JSON. */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder()
        .putOrRemove("url", url)
        .putOrRemove("info", info == null ? null : info.toJson()), extra);
  }
}
