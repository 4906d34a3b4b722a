package io.melo.matrix.internal;

import io.melo.matrix.MatrixClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real {@link MatrixClock}: one lazily started daemon timer thread for every client. */
public final class SystemClock implements MatrixClock {

  /** The only instance. */
  public static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  private static final class TimerHolder {
    static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private static ScheduledThreadPoolExecutor createTimer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = new Thread(runnable, "melo-matrix-timer");
                thread.setDaemon(true);
                return thread;
              });
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> future =
        TimerHolder.TIMER.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public String toString() {
    return "MatrixClock.SYSTEM";
  }
}
