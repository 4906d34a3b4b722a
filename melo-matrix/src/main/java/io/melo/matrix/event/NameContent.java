package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.name}.
 *
 * @param name the {@code name}; null when absent (for example, removed)
 * @param extra every other field, kept as received
 */
public record NameContent(String name, JsonObject extra) {

  /** Replaces a null {@code extra} with an empty object. */
  public NameContent {
    extra = ContentReader.orEmpty(extra);
  }

  /** A content with only this value. */
  public static NameContent of(String name) {
    return new NameContent(name, JsonObject.EMPTY);
  }

  /** Reads the content. Never throws. */
  public static NameContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new NameContent(r.string("name"), r.extra());
  }

  /** This content as JSON. */
  public JsonObject toJson() {
    return ContentReader.withExtra(JsonObject.builder().putOrRemove("name", name), extra);
  }
}
