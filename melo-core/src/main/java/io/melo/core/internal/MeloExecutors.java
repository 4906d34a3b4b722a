package io.melo.core.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default executors of {@link io.melo.core.MeloConfig}, created on first use and shared by
 * every client that keeps the defaults, so threads do not grow with the number of clients (the
 * sync loops' threads are melo-matrix's {@link io.melo.matrix.sync.SyncRuntime}). All threads are
 * daemon threads: they never keep the JVM alive. Not API.
 */
public final class MeloExecutors {

  private MeloExecutors() {}

  /** How many threads run listeners for the clients that keep the default event executor. */
  static final int EVENT_THREADS = 4;

  private static final class Events {
    // A pool, not one thread: each client's EventBus hands it one event at a time, in order, so
    // a client's listeners still run one by one, but a slow listener of one client holds one
    // thread, not every client's events.
    static final ExecutorService INSTANCE =
        Executors.newFixedThreadPool(EVENT_THREADS, daemonThreads("Melo events"));
  }

  private static final class Calls {
    static final ExecutorService INSTANCE =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("Melo call"));
  }

  /** How many session checks ({@code GET /account/whoami} of a starting client) run at once in the process. */
  static final int CHECK_THREADS = 4;

  private static final class Checks {
    // Bounded: many clients starting at once (a backend resuming its users) queue their checks
    // instead of adding a thread each; the initial syncs they run beside are bounded the same way.
    static final ThreadPoolExecutor INSTANCE = newChecks();

    private static ThreadPoolExecutor newChecks() {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(CHECK_THREADS, CHECK_THREADS, 30, TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(), daemonThreads("Melo session check"));
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }

  /**
   * A pool of at most {@value #CHECK_THREADS} daemon threads, "Melo session check", shared by every
   * client, that checks whose session a starting client was given; idle threads end after 30 s.
   */
  static ExecutorService checks() {
    return Checks.INSTANCE;
  }

  /**
   * A fixed pool of {@value #EVENT_THREADS} daemon threads, "Melo events", "Melo events 2", ...,
   * that runs listeners and callbacks; each client's {@link EventBus} keeps its own events in
   * order on it, and takes turns with the other clients' buses.
   */
  public static ExecutorService events() {
    return Events.INSTANCE;
  }

  /** A cached pool of daemon threads, "Melo call N", that runs background calls; idle threads end after 60 s. */
  public static ExecutorService calls() {
    return Calls.INSTANCE;
  }

  /** A factory of daemon threads named {@code name} (numbered after the first). */
  public static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.incrementAndGet();
      Thread thread = new Thread(runnable, n == 1 ? name : name + " " + n);
      thread.setDaemon(true);
      return thread;
    };
  }
}
