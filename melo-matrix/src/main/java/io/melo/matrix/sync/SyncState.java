package io.melo.matrix.sync;

/**
 * The state of a {@link SyncLoop}, modelled on matrix-js-sdk's sync states.
 *
 * <pre>
 * IDLE --start()--> CONNECTING --first batch delivered--> PREPARED --next batch--> SYNCING
 *   CONNECTING/PREPARED/SYNCING --transient failure--> RECONNECTING --batch delivered--> SYNCING
 *   any --close()--> STOPPED            any --fatal failure--> ERROR
 * </pre>
 *
 * {@link #ERROR} and {@link #STOPPED} are final: the loop has ended (a threaded loop's thread ends).
 */
public enum SyncState {
  /** Built, not started. */
  IDLE,
  /** Started; the first request of this run is in flight. */
  CONNECTING,
  /** The first batch of this run was delivered: the consumer has a complete picture. */
  PREPARED,
  /** A later batch was delivered; the loop is long-polling. */
  SYNCING,
  /** The server is unreachable, failing (5xx), rate-limiting or sent a broken answer; the loop backs off and retries. */
  RECONNECTING,
  /** A failure retrying cannot fix (authentication, a refused request) stopped the loop; see {@link SyncLoop#failure()}. */
  ERROR,
  /** {@link SyncLoop#close()} stopped the loop. */
  STOPPED;

  /** {@return true for {@link #ERROR} and {@link #STOPPED}} */
  public boolean isTerminal() {
    return this == ERROR || this == STOPPED;
  }
}
