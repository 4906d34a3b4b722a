package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.tombstone}: the room was upgraded and replaced.
 *
 * @param body a message for users, or null
 * @param replacementRoom the new room id, or null
 * @param extra every other field, kept as received
 */
public record TombstoneContent(String body, String replacementRoom, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param body a message for users, or null
   * @param replacementRoom the new room id, or null
   * @param extra every other field, kept as received
   */
  public TombstoneContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static TombstoneContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new TombstoneContent(r.string("body"), r.string("replacement_room"), r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder()
        .putOrRemove("body", body).putOrRemove("replacement_room", replacementRoom), extra);
  }
}
