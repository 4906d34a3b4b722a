package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.reaction}: an {@code m.annotation} relation with a key (usually an emoji).
 *
 * @param relatesTo the relation; null when the content has none
 * @param extra every other field, kept as received
 */
public record ReactionContent(RelatesTo relatesTo, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param relatesTo the relation; null when the content has none
   * @param extra every other field, kept as received
   */
  public ReactionContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a reaction with a key to an event}
   *
   * @param eventId the event reacted to; empty is an {@link IllegalArgumentException}
   * @param key the reaction key, usually an emoji; empty is an {@link IllegalArgumentException}
   */
  public static ReactionContent of(String eventId, String key) {
    return new ReactionContent(RelatesTo.annotation(eventId, key), JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; an {@code m.relates_to} that is absent or not an object reads as null
   */
  public static ReactionContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    JsonObject relation = r.object("m.relates_to");
    return new ReactionContent(relation == null ? null : RelatesTo.from(relation), r.extra());
  }

  /** {@return true when the relation is a valid annotation (type, event id and key present)} */
  public boolean isValid() {
    return relatesTo != null && relatesTo.isAnnotation() && relatesTo.eventId() != null && relatesTo.key() != null;
  }

  /** {@return the event reacted to, or null} */
  public String eventId() {
    return relatesTo == null ? null : relatesTo.eventId();
  }

  /** {@return the reaction key, or null} */
  public String key() {
    return relatesTo == null ? null : relatesTo.key();
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder()
        .putOrRemove("m.relates_to", relatesTo == null ? null : relatesTo.toJson()), extra);
  }
}
