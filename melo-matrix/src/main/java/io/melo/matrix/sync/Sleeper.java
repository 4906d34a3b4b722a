package io.melo.matrix.sync;

import java.time.Duration;

/** Waits between sync attempts; injectable so tests need no real sleeps. */
@FunctionalInterface
public interface Sleeper {

  /** Waits with {@link Thread#sleep(long)}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /**
   * Waits for a duration.
   *
   * @param duration how long to wait
   * @throws InterruptedException if the thread was interrupted (the loop is closing)
   */
  void sleep(Duration duration) throws InterruptedException;
}
