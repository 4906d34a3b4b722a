package io.melo.matrix.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that event-driven {@link SyncLoop}s share: a bounded pool of worker threads that hands
 * batches to the loops' consumers, and one timer thread that ends the loops' backoff waits. A loop
 * built from an {@link AsyncSyncSource} holds no thread while its long poll waits, so any number of
 * loops (one per session of a backend acting for many users) runs on the same few threads.
 *
 * <p>Like OkHttp's {@code Dispatcher}, one runtime is meant to be shared: {@link #shared()} is the
 * process-wide default, created on first use, which every loop uses unless given another; a runtime of
 * your own ({@link #create(int)}) isolates a group of loops, for example so that slow consumers of one
 * tenant cannot delay another's. All threads are daemon threads (they never keep the JVM alive) and
 * end after 60 s without work, so an idle runtime holds no thread at all.
 *
 * <p>Each loop runs at most one task at a time, so its batches reach its consumer in order and never
 * concurrently; different loops' consumers run in parallel up to the number of worker threads. A
 * worker also reads and parses a loop's long-poll answer when the source can do that on it (see
 * {@link AsyncSyncSource#fetch(SyncRequest, java.util.concurrent.Executor, AsyncSyncSource.Callback)}),
 * then hands the batch to the consumer on the same thread. A consumer that hands its batch on
 * ({@link SyncConsumer#acceptAsync}, as Melo's clients do: their listeners run on their event
 * executor) holds no worker while that work is pending, so slow listeners of some loops never delay
 * the others. A plain {@link SyncConsumer#accept} that blocks holds one worker for that long: keep
 * such consumers fast, or give the loops a runtime with more workers. Thread-safe.
 */
public final class SyncRuntime implements AutoCloseable {

  /** Starts a task after a delay; package-private so tests can drive time by hand. */
  interface Timer {

    /**
     * Runs {@code task} once after {@code delay}, on a thread of the timer.
     *
     * @return a handle that stops the task if it has not started
     */
    AsyncSyncSource.Cancellable schedule(Duration delay, Runnable task);
  }

  /**
   * The worker threads of {@link #shared()}. More than a machine's cores on purpose: a consumer may
   * block for a while (a plain {@link SyncConsumer#accept}, or the occasional request Melo makes
   * while it applies a batch, such as joining a new channel), and eight let the batches of many
   * clients that wake at once (a message to a room they all share) overlap instead of queueing behind
   * two. Waiting for listeners holds none of them: Melo's consumer completes its stage when they ran.
   */
  public static final int DEFAULT_WORKER_THREADS = 8;

  private static final AtomicInteger RUNTIME_COUNT = new AtomicInteger();

  private static final class Shared {
    static final SyncRuntime INSTANCE = new SyncRuntime(defaultWorkerThreads(), "Melo sync", true);
  }

  private final Executor workers;
  private final Timer timer;
  private final int workerThreads;
  private final String name;
  private final boolean processWide;
  private final ThreadPoolExecutor workerPool;
  private final ScheduledThreadPoolExecutor timerPool;
  private volatile boolean closed;

  private SyncRuntime(int workerThreads, String name, boolean processWide) {
    this(workerThreads, name, processWide, daemonThreads(name), daemonThreads(name + " timer"));
  }

  private SyncRuntime(
      int workerThreads, String name, boolean processWide, ThreadFactory workerFactory, ThreadFactory timerFactory) {
    this.workerThreads = workerThreads;
    this.name = name;
    this.processWide = processWide;
    this.workerPool =
        new ThreadPoolExecutor(
            workerThreads, workerThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), workerFactory);
    this.workerPool.allowCoreThreadTimeOut(true);
    this.timerPool = new ScheduledThreadPoolExecutor(1, timerFactory);
    this.timerPool.setRemoveOnCancelPolicy(true);
    this.timerPool.setKeepAliveTime(60, TimeUnit.SECONDS);
    this.timerPool.allowCoreThreadTimeOut(true);
    this.workers = workerPool;
    this.timer =
        (delay, task) -> {
          ScheduledFuture<?> future = timerPool.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> future.cancel(false);
        };
  }

  /** A runtime over given parts, for tests: no threads of its own, {@code close()} does nothing. */
  SyncRuntime(Executor workers, Timer timer, int workerThreads) {
    this.workers = Objects.requireNonNull(workers, "workers");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.workerThreads = workerThreads;
    this.name = "test runtime";
    this.processWide = false;
    this.workerPool = null;
    this.timerPool = null;
  }

  /**
   * {@return the process-wide runtime, created on first use: {@value #DEFAULT_WORKER_THREADS}
   * worker threads named "Melo sync N" and one "Melo sync timer" thread, all daemon threads that
   * end when idle} It lives as long as the process; its {@link #close()} does nothing.
   */
  public static SyncRuntime shared() {
    return Shared.INSTANCE;
  }

  /**
   * {@return a runtime of your own with {@code workerThreads} worker threads (named "Melo sync
   * runtime-N" and numbered) and one timer thread; close it when its loops are closed}
   *
   * @param workerThreads how many worker threads run at most, at least 1
   * @throws IllegalArgumentException if {@code workerThreads} is below 1
   */
  public static SyncRuntime create(int workerThreads) {
    checkWorkerThreads(workerThreads);
    return new SyncRuntime(workerThreads, "Melo sync runtime-" + RUNTIME_COUNT.incrementAndGet(), false);
  }

  /**
   * {@return a runtime of your own whose threads (the workers and the timer) come from {@code
   * threadFactory}; for naming, priorities or a security context} Close it when its loops are
   * closed.
   *
   * @param workerThreads how many worker threads run at most, at least 1
   * @param threadFactory makes the runtime's threads; not null
   * @throws IllegalArgumentException if {@code workerThreads} is below 1
   */
  public static SyncRuntime create(int workerThreads, ThreadFactory threadFactory) {
    checkWorkerThreads(workerThreads);
    Objects.requireNonNull(threadFactory, "threadFactory");
    return new SyncRuntime(
        workerThreads, "Melo sync runtime-" + RUNTIME_COUNT.incrementAndGet(), false, threadFactory, threadFactory);
  }

  private static void checkWorkerThreads(int workerThreads) {
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads must be at least 1, was: " + workerThreads);
    }
  }

  static int defaultWorkerThreads() {
    return DEFAULT_WORKER_THREADS;
  }

  /** {@return the most worker threads this runtime runs at once (the timer thread comes on top)} */
  public int workerThreads() {
    return workerThreads;
  }

  /**
   * {@return true once {@link #close()} was called on a runtime of your own; never for {@link
   * #shared()}}
   */
  public boolean isClosed() {
    return closed;
  }

  /** Where loops run their steps (delivery, store access). */
  Executor workers() {
    return workers;
  }

  /** What ends loops' backoff waits. */
  Timer timer() {
    return timer;
  }

  /**
   * Stops a runtime of your own: tasks already queued still run, then its threads end. A loop still
   * running on it stops in {@link SyncState#ERROR} at its next step, so close the loops first. Does
   * nothing on {@link #shared()}; idempotent.
   */
  @Override
  public void close() {
    if (processWide || closed) {
      return;
    }
    closed = true;
    if (workerPool != null) {
      workerPool.shutdown();
      timerPool.shutdown();
    }
  }

  @Override
  public String toString() {
    return "SyncRuntime(" + name + ", " + workerThreads + " workers" + (closed ? ", closed" : "") + ")";
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      int n = count.incrementAndGet();
      Thread thread = new Thread(runnable, n == 1 ? name : name + " " + n);
      thread.setDaemon(true);
      return thread;
    };
  }
}
