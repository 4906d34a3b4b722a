package io.melo.matrix;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock for tests: time stands still until something waits, then it jumps forward by the delay
 * and runs the task at once, on the caller's thread. Every requested delay is recorded.
 */
final class FakeClock implements MatrixClock {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  final List<Duration> delays = new CopyOnWriteArrayList<>();

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    delays.add(delay);
    synchronized (this) {
      now = now.plus(delay);
    }
    task.run();
    return () -> {};
  }
}
