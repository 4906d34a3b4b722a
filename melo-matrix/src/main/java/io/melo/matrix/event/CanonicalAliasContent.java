package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * The content of {@code m.room.canonical_alias}.
 *
 * @param alias the canonical alias; null when none
 * @param altAliases alternative aliases, empty when absent
 * @param extra every other field, kept as received
 */
public record CanonicalAliasContent(String alias, List<String> altAliases, JsonObject extra) {

  /**
   * Copies the list and replaces a null {@code extra} with an empty object.
   *
   * @param alias the canonical alias; null when none
   * @param altAliases alternative aliases, empty when absent
   * @param extra every other field, kept as received
   */
  public CanonicalAliasContent {
    altAliases = ContentReader.copy(altAliases);
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null, and one of
   *     another kind stays in {@code extra}
   */
  public static CanonicalAliasContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    String alias = r.string("alias");
    List<String> alt = r.strings("alt_aliases");
    return new CanonicalAliasContent(alias, alt, r.extra());
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder().putOrRemove("alias", alias);
    if (!altAliases.isEmpty()) {
      b.putStrings("alt_aliases", altAliases);
    }
    return ContentReader.withExtra(b, extra);
  }
}
