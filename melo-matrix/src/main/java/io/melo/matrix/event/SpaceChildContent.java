package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * The content of {@code m.space.child} (state key = the child room id). A child without {@code via}
 * is not a child: empty content is how a child is removed (see {@link #isRemoved()}).
 *
 * @param via servers to join the child through; empty when absent
 * @param order the ordering string, or null
 * @param suggested whether the child is suggested, or null
 * @param extra every other field, kept as received
 */
public record SpaceChildContent(List<String> via, String order, Boolean suggested, JsonObject extra) {

  /**
   * Copies the list and replaces a null {@code extra} with an empty object.
   *
   * @param via servers to join the child through; empty when absent
   * @param order the ordering string, or null
   * @param suggested whether the child is suggested, or null
   * @param extra every other field, kept as received
   */
  public SpaceChildContent {
    via = ContentReader.copy(via);
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a child reachable through these servers}
   *
   * @param via servers to join the child through; null or empty is an {@link
   *     IllegalArgumentException}
   */
  public static SpaceChildContent of(List<String> via) {
    if (via == null || via.isEmpty()) {
      throw new IllegalArgumentException("a space child needs at least one via server");
    }
    return new SpaceChildContent(via, null, null, JsonObject.EMPTY);
  }

  /** {@return the empty content that removes a child} */
  public static SpaceChildContent removed() {
    return new SpaceChildContent(List.of(), null, null, JsonObject.EMPTY);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static SpaceChildContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new SpaceChildContent(r.strings("via"), r.string("order"), r.bool("suggested"), r.extra());
  }

  /** {@return true when this content does not make the room a child (no {@code via})} */
  public boolean isRemoved() {
    return via.isEmpty();
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder();
    if (!via.isEmpty()) {
      b.putStrings("via", via);
    }
    b.putOrRemove("order", order).putOrRemove("suggested", suggested);
    return ContentReader.withExtra(b, extra);
  }
}
