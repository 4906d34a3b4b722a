package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.redaction}. Since room version 11 {@code redacts} is in the content;
 * before, it is a top-level field of the event: {@link RoomEvent#redacts()} reads either.
 *
 * @param redacts the redacted event id, when in the content
 * @param reason the reason, or null
 * @param extra every other field, kept as received
 */
public record RedactionContent(String redacts, String reason, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param redacts the redacted event id, when in the content
   * @param reason the reason, or null
   * @param extra every other field, kept as received
   */
  public RedactionContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static RedactionContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new RedactionContent(r.string("redacts"), r.string("reason"), r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("redacts", redacts).putOrRemove("reason", reason), extra);
  }
}
