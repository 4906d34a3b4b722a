package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.name}.
 *
 * @param name the {@code name}; null when absent (for example, removed)
 * @param extra every other field, kept as received
 */
public record NameContent(String name, JsonObject extra) {

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param name the {@code name}; null when absent (for example, removed)
   * @param extra every other field, kept as received
   */
  public NameContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a content with only this value}
   *
   * @param name the room name, or null to remove it
   */
  public static NameContent of(String name) {
    return new NameContent(name, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static NameContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new NameContent(r.string("name"), r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("name", name), extra);
  }
}
