package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.topic}.
 *
 * @param topic the {@code topic}; null when absent (for example, removed)
 * @param extra every other field, kept as received
 */
public record TopicContent(String topic, JsonObject extra) {

  /** Replaces a null {@code extra} with an empty object. */
  public TopicContent {
    extra = ContentReader.orEmpty(extra);
  }

  /** A content with only this value. */
  public static TopicContent of(String topic) {
    return new TopicContent(topic, JsonObject.EMPTY);
  }

  /** Reads the content. Never throws. */
  public static TopicContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new TopicContent(r.string("topic"), r.extra());
  }

  /** This content as JSON. */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("topic", topic), extra);
  }
}
