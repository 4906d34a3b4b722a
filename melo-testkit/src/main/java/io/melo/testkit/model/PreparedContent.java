package io.melo.testkit.model;

import io.melo.testkit.json.Json;
import java.util.Map;

/**
 * Event content made ready for storing, which needs none of the homeserver's state: a frozen deep
 * copy and its canonical JSON, computed before taking the lock so that the lock is held only for
 * the work that needs the room. Content that has no canonical JSON (floats, huge integers) keeps
 * the error, which {@link Homeserver#appendEvent} throws at the point where it always did (after
 * the authorization rules), so the order of refusals does not change.
 */
final class PreparedContent {
  final Map<String, Object> frozen;
  /** The canonical JSON of {@link #frozen}, or null when {@link #error} is set. */
  final String canonical;
  /**
   * Why the content has no canonical JSON, or null: 400 M_BAD_JSON for floats and huge integers, or
   * the IllegalArgumentException of a value that is not JSON at all (from the Java API).
   */
  final RuntimeException error;

  private PreparedContent(Map<String, Object> frozen, String canonical, RuntimeException error) {
    this.frozen = frozen;
    this.canonical = canonical;
    this.error = error;
  }

  /** Freezes and canonicalizes the content (no lock needed: reads only the given map). */
  static PreparedContent of(Map<String, Object> content) {
    Map<String, Object> frozen = Json.frozenObject(content);
    try {
      return new PreparedContent(frozen, Json.canonical(frozen), null);
    } catch (MatrixError | IllegalArgumentException e) {
      return new PreparedContent(frozen, null, e);
    }
  }
}
