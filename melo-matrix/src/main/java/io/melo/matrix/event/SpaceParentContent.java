package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * The content of {@code m.space.parent} (state key = the parent space id).
 *
 * @param via servers to reach the parent through; empty when absent
 * @param canonical whether this is the room's main parent, or null
 * @param extra every other field, kept as received
 */
public record SpaceParentContent(List<String> via, Boolean canonical, JsonObject extra) {

  /**
   * Copies the list and replaces a null {@code extra} with an empty object.
   *
   * @param via servers to reach the parent through; empty when absent
   * @param canonical whether this is the room's main parent, or null
   * @param extra every other field, kept as received
   */
  public SpaceParentContent {
    via = ContentReader.copy(via);
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a parent reachable through these servers}
   *
   * @param via servers to reach the parent through; null or empty is an {@link
   *     IllegalArgumentException}
   * @param canonical whether this is the room's main parent
   */
  public static SpaceParentContent of(List<String> via, boolean canonical) {
    if (via == null || via.isEmpty()) {
      throw new IllegalArgumentException("a space parent needs at least one via server");
    }
    return new SpaceParentContent(via, canonical, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static SpaceParentContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new SpaceParentContent(r.strings("via"), r.bool("canonical"), r.extra());
  }

  /** {@return true when this parent is marked canonical} */
  public boolean isCanonical() {
    return Boolean.TRUE.equals(canonical);
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder();
    if (!via.isEmpty()) {
      b.putStrings("via", via);
    }
    b.putOrRemove("canonical", canonical);
    return ContentReader.withExtra(b, extra);
  }
}
