package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The {@code m.relates_to} of a content: an edit ({@code m.replace}), a reaction
 * ({@code m.annotation}), a thread ({@code m.thread}), a reference, and/or a reply
 * ({@code m.in_reply_to}). Unknown relation types are kept as their string.
 *
 * @param relType the relation type; null for a plain reply
 * @param eventId the related event id; null for a plain reply
 * @param key the annotation key (the reaction emoji) of an {@code m.annotation}
 * @param inReplyTo the event id in {@code m.in_reply_to}
 * @param isFallingBack for a thread: true when {@code inReplyTo} is only the thread fallback
 * @param extra every other field, kept as received
 */
public record RelatesTo(String relType, String eventId, String key, String inReplyTo, Boolean isFallingBack, JsonObject extra) {

  /** {@code m.replace}: an edit. */
  public static final String REPLACE = "m.replace";
  /** {@code m.annotation}: a reaction. */
  public static final String ANNOTATION = "m.annotation";
  /** {@code m.thread}: a thread reply. */
  public static final String THREAD = "m.thread";
  /** {@code m.reference}: a reference. */
  public static final String REFERENCE = "m.reference";

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param relType the relation type; null for a plain reply
   * @param eventId the related event id; null for a plain reply
   * @param key the annotation key (the reaction emoji) of an {@code m.annotation}
   * @param inReplyTo the event id in {@code m.in_reply_to}
   * @param isFallingBack for a thread: true when {@code inReplyTo} is only the thread fallback
   * @param extra every other field, kept as received
   */
  public RelatesTo {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return an edit of an event}
   *
   * @param eventId the edited event; empty is an {@link IllegalArgumentException}
   */
  public static RelatesTo replace(String eventId) {
    return new RelatesTo(REPLACE, requireId(eventId), null, null, null, JsonObject.EMPTY);
  }

  /**
   * {@return a reaction to an event with a key (usually an emoji)}
   *
   * @param eventId the event reacted to; empty is an {@link IllegalArgumentException}
   * @param key the reaction key; empty is an {@link IllegalArgumentException}
   */
  public static RelatesTo annotation(String eventId, String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a reaction key must not be empty");
    }
    return new RelatesTo(ANNOTATION, requireId(eventId), key, null, null, JsonObject.EMPTY);
  }

  /**
   * {@return a reply to an event outside of a thread}
   *
   * @param eventId the event replied to; empty is an {@link IllegalArgumentException}
   */
  public static RelatesTo reply(String eventId) {
    return new RelatesTo(null, null, null, requireId(eventId), null, JsonObject.EMPTY);
  }

  /**
   * {@return a message in a thread} {@code latestEventId} is the thread's latest event, given as
   * the {@code m.in_reply_to} fallback for clients without threads ({@code is_falling_back: true}).
   *
   * @param rootEventId the thread's root event; empty is an {@link IllegalArgumentException}
   * @param latestEventId the thread's latest event; empty is an {@link IllegalArgumentException}
   */
  public static RelatesTo thread(String rootEventId, String latestEventId) {
    return new RelatesTo(THREAD, requireId(rootEventId), null, requireId(latestEventId), true, JsonObject.EMPTY);
  }

  /**
   * {@return a reply inside a thread to a specific event ({@code is_falling_back: false})}
   *
   * @param rootEventId the thread's root event; empty is an {@link IllegalArgumentException}
   * @param inReplyToEventId the event replied to; empty is an {@link IllegalArgumentException}
   */
  public static RelatesTo threadReply(String rootEventId, String inReplyToEventId) {
    return new RelatesTo(THREAD, requireId(rootEventId), null, requireId(inReplyToEventId), false, JsonObject.EMPTY);
  }

  private static String requireId(String eventId) {
    if (eventId == null || eventId.isEmpty()) {
      throw new IllegalArgumentException("an event id must not be empty");
    }
    return eventId;
  }

  /**
   * Reads an {@code m.relates_to} object. Never throws: odd fields stay in {@code extra}.
   *
   * @param json the {@code m.relates_to} object
   * @return the relation
   */
  public static RelatesTo from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    String relType = r.string("rel_type");
    String eventId = r.string("event_id");
    String key = r.string("key");
    String inReplyTo = null;
    JsonObject reply = json.getObject("m.in_reply_to").orElse(null);
    if (reply != null && reply.size() == 1 && reply.getStringOrNull("event_id") != null) {
      inReplyTo = reply.getStringOrNull("event_id");
      r.consume("m.in_reply_to");
    }
    Boolean fallingBack = r.bool("is_falling_back");
    return new RelatesTo(relType, eventId, key, inReplyTo, fallingBack, r.extra());
  }

  /** {@return true for an edit} */
  public boolean isReplace() {
    return REPLACE.equals(relType);
  }

  /** {@return true for a thread relation} */
  public boolean isThread() {
    return THREAD.equals(relType);
  }

  /** {@return true for a reaction} */
  public boolean isAnnotation() {
    return ANNOTATION.equals(relType);
  }

  /** {@return this relation as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder()
        .putOrRemove("rel_type", relType)
        .putOrRemove("event_id", eventId)
        .putOrRemove("key", key);
    if (inReplyTo != null) {
      b.put("m.in_reply_to", JsonObject.builder().put("event_id", inReplyTo).build());
    }
    b.putOrRemove("is_falling_back", isFallingBack);
    return ContentReader.withExtra(b, extra);
  }
}
