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
  /**
   * Validates the timeout.
   *
   * @param since the since token, or null for an initial sync
   * @param filter a filter id or an inline JSON filter, or null
   * @param fullState whether to return the full state of every room
   * @param timeoutMs how long to wait for something new, in clock milliseconds (0 = answer at once)
   * @param setPresence the {@code set_presence} parameter, or null
   * @param useStateAfter the {@code use_state_after} parameter: answer {@code state_after} (the
   *     state changes up to the end of the timeline) instead of {@code state}
   */
  public SyncRequest {
    if (timeoutMs < 0) {
      throw MatrixError.invalidParam("'timeout' must not be negative");
    }
  }

  /**
   * A request without {@code use_state_after}.
   *
   * @param since the since token, or null for an initial sync
   * @param filter a filter id or an inline JSON filter, or null
   * @param fullState whether to return the full state of every room
   * @param timeoutMs how long to wait for something new, in clock milliseconds (0 = answer at once)
   * @param setPresence the {@code set_presence} parameter, or null
   */
  public SyncRequest(String since, String filter, boolean fullState, long timeoutMs, String setPresence) {
    this(since, filter, fullState, timeoutMs, setPresence, false);
  }

  /** {@return an immediate initial sync without a filter} */
  public static SyncRequest initial() {
    return new SyncRequest(null, null, false, 0, null);
  }

  /**
   * {@return an incremental sync from {@code since} that waits up to {@code timeoutMs}}
   *
   * @param since the since token from an earlier sync
   * @param timeoutMs how long to wait, in clock milliseconds
   */
  public static SyncRequest since(String since, long timeoutMs) {
    return new SyncRequest(since, null, false, timeoutMs, null);
  }
}
