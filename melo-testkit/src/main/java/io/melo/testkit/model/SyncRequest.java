package io.melo.testkit.model;

/**
 * The parameters of one {@code /sync} request.
 *
 * @param since the since token, or null for an initial sync
 * @param filter a filter id or an inline JSON filter, or null
 * @param fullState whether to return the full state of every room
 * @param timeoutMs how long to wait for something new, in clock milliseconds (0 = answer at once)
 * @param setPresence the {@code set_presence} parameter, or null
 * @param useStateAfter the {@code use_state_after} parameter: answer {@code state_after} (the
 *     state changes up to the end of the timeline) instead of {@code state}
 */
public record SyncRequest(
    String since,
    String filter,
    boolean fullState,
    long timeoutMs,
    String setPresence,
    boolean useStateAfter) {
  /** Validates the timeout. */
  public SyncRequest {
    if (timeoutMs < 0) {
      throw MatrixError.invalidParam("'timeout' must not be negative");
    }
  }

  /** A request without {@code use_state_after}. */
  public SyncRequest(String since, String filter, boolean fullState, long timeoutMs, String setPresence) {
    this(since, filter, fullState, timeoutMs, setPresence, false);
  }

  /** An immediate initial sync without a filter. */
  public static SyncRequest initial() {
    return new SyncRequest(null, null, false, 0, null);
  }

  /** An incremental sync from {@code since} that waits up to {@code timeoutMs}. */
  public static SyncRequest since(String since, long timeoutMs) {
    return new SyncRequest(since, null, false, timeoutMs, null);
  }
}
