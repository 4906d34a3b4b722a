package io.melo.matrix.sync;

/**
 * Observes a {@link SyncLoop}'s state. Called on the thread running the loop's current step (its own
 * thread, or a worker of its {@link SyncRuntime}), on the thread calling {@code start()}, or on the
 * thread calling {@code close()}; in order, once per change. Must be fast and must not block; an
 * exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface SyncStateListener {

  /** Does nothing. */
  SyncStateListener NONE = (state, cause) -> { };

  /**
   * The loop entered a state.
   *
   * @param state the new state
   * @param cause for {@link SyncState#RECONNECTING} and {@link SyncState#ERROR}: the failure; else null
   */
  void onStateChanged(SyncState state, Exception cause);
}
