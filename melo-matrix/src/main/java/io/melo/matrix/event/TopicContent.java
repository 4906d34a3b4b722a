package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.topic}.
 *
 * @param topic the {@code topic}; null when absent (for example, removed)
 * @param extra every other field, kept as received
 */
public record TopicContent(String topic, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param topic the {@code topic}; null when absent (for example, removed)
   * @param extra every other field, kept as received
   */
  public TopicContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a content with only this value}
   *
   * @param topic the topic text, or null to remove it
   */
  public static TopicContent of(String topic) {
    return new TopicContent(topic, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static TopicContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new TopicContent(r.string("topic"), r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("topic", topic), extra);
  }
}
