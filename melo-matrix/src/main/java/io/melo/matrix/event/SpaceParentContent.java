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

  /** Copies the list and replaces a null {@code extra} with an empty object. */
  public SpaceParentContent {
    via = ContentReader.copy(via);
    extra = ContentReader.orEmpty(extra);
  }

  /** A parent reachable through these servers. */
  public static SpaceParentContent of(List<String> via, boolean canonical) {
    if (via == null || via.isEmpty()) {
      throw new IllegalArgumentException("a space parent needs at least one via server");
    }
    return new SpaceParentContent(via, canonical, JsonObject.EMPTY);
  }

  /** Reads the content. Never throws. */
  public static SpaceParentContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    return new SpaceParentContent(r.strings("via"), r.bool("canonical"), r.extra());
  }

  /** True when this parent is marked canonical. */
  public boolean isCanonical() {
    return Boolean.TRUE.equals(canonical);
  }

  /** This content as JSON. */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder();
    if (!via.isEmpty()) {
      b.putStrings("via", via);
    }
    b.putOrRemove("canonical", canonical);
    return ContentReader.withExtra(b, extra);
  }
}
