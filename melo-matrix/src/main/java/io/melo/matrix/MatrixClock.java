package io.melo.matrix;

import io.melo.matrix.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;

/**
 * Time as the client sees it: the wall clock (to read HTTP-date {@code Retry-After} headers) and
 * delayed tasks (to wait before a retry). Tests replace it to control time without real sleeps.
 *
 * <p>Implementations are thread-safe. {@link #schedule} never runs the task before the delay has
 * passed in this clock's time, may run it on any thread, and never throws.
 */
public interface MatrixClock {

  /** The real clock: {@link Instant#now()} and one shared daemon timer thread. */
  MatrixClock SYSTEM = SystemClock.INSTANCE;

  /** {@return the current wall-clock time} */
  Instant now();

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @param delay how long to wait
   * @param task what to run once
   * @return a handle that cancels the task if it has not started
   */
  Timer schedule(Duration delay, Runnable task);

  /** A scheduled task that can still be cancelled. */
  @FunctionalInterface
  interface Timer {
    /** Cancels the task if it has not started; does nothing otherwise. */
    void cancel();
  }
}
