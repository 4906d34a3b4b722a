package io.melo.matrix.sync;

import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.ResponseTooLargeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /sync} long-poll loop of one session.
 *
 * <p>It runs in one of two modes, with the same behaviour:
 *
 * <ul>
 *   <li>event-driven ({@link #builder(AsyncSyncSource, SyncConsumer)}): the loop has no thread of its
 *       own. It starts a request and returns; the source's callback hands the answer to the
 *       {@link SyncRuntime}'s worker threads, which deliver it to the consumer, save the token and start
 *       the next request; backoff waits are timers of the runtime. Any number of loops share the
 *       runtime's few threads (by default {@link SyncRuntime#shared()});
 *   <li>threaded ({@link #builder(SyncSource, SyncConsumer)}): the loop owns one daemon thread that
 *       sends the blocking requests, delivers the batches and sleeps through backoff. Internally this is
 *       the event-driven loop over {@link AsyncSyncSource#fromBlocking} with that thread as executor.
 * </ul>
 *
 * <p>Each batch from the source goes to the {@link SyncConsumer}; only after the consumer has handled
 * it (its {@code accept} returned, or the stage of its {@link SyncConsumer#acceptAsync acceptAsync}
 * completed) is the batch's {@code next_batch} saved in the {@link SyncStore}, so a crash or restart
 * repeats a batch rather than losing one. Batches reach the consumer in sync order and one at a time;
 * while an asynchronous consumer's stage is pending the loop holds no thread. With
 * {@link Builder#prefetch} the next long poll already waits at the server meanwhile; its answer is
 * handled only after the batch before it was saved. The loop reacts to
 * failures by who has to act:
 *
 * <ul>
 *   <li>network failures, broken answers, 5xx, 408 and 429: {@link SyncState#RECONNECTING}, exponential
 *       backoff with jitter (or the server's {@code retry_after}), then the loop resumes by itself;
 *   <li>an unknown since token ({@code M_UNKNOWN_POS}; or 400/404 with {@code M_UNKNOWN},
 *       {@code M_INVALID_PARAM} or {@code M_NOT_FOUND} whose message speaks of the since token, stream
 *       or position): the store is cleared and the loop does one initial sync, delivered with
 *       {@link SyncBatch#reset()} true. If the server rejects the new token too before one incremental
 *       sync succeeded, the loop stops in {@link SyncState#ERROR} instead of resetting again;
 *   <li>authentication failures (401, {@code M_UNKNOWN_TOKEN}, {@code M_MISSING_TOKEN},
 *       {@code M_USER_DEACTIVATED}), other 4xx answers (the request itself is wrong, so retrying cannot
 *       help) and an answer over the client's size cap ({@link io.melo.matrix.ResponseTooLargeException}:
 *       the same request would get the same answer): {@link SyncState#ERROR}, the loop ends;
 *       {@link #failure()} tells why.
 * </ul>
 *
 * <p>A consumer that throws is logged and gets the same batch again, up to
 * {@code maxDeliveryAttempts} times with backoff; then the batch goes to
 * {@link SyncConsumer#onDeliveryFailed(SyncBatch, Exception)}, its token is saved and the loop goes on,
 * so one poisonous batch cannot stop the session. {@link #close()} cancels the request in flight (and
 * calls the source's {@code cancel()}), interrupts a delivery or a sleep in progress and waits for it to
 * end; a batch whose delivery was interrupted is not acknowledged and comes again after a restart. An
 * asynchronous delivery (a pending {@link SyncConsumer#acceptAsync} stage) cannot be interrupted: close
 * does not wait for it, and the loop ends when the stage completes, saving the batch's token if it
 * completed normally ({@link #awaitTermination} waits for that).
 * Thread-safe.
 */
public final class SyncLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
  private static final AtomicInteger THREAD_COUNT = new AtomicInteger();
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
  /** How many prefetched answers one step handles in a row before it hands over to a fresh step. */
  private static final int MAX_INLINE_OUTCOMES = 8;
  /**
   * The loop whose answer task the current thread runs (see {@link #answers}): its fetch callback
   * may then run the next step right here instead of handing it to another worker.
   */
  private static final ThreadLocal<SyncLoop> ANSWERING = new ThreadLocal<>();

  private final AsyncSyncSource source;
  private final SyncConsumer consumer;
  private final SyncStore store;
  private final SyncRequest template;
  private final SyncStateListener listener;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxDeliveryAttempts;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Duration closeTimeout;
  /** Whether the next long poll goes out while a batch is delivered (see {@link Builder#prefetch}). */
  private final boolean prefetching;
  /** Runs the loop's steps: the runtime's workers, or the loop's own thread. */
  private final Executor steps;
  /** Ends backoff waits; null when waits sleep with the {@link Sleeper} inside the step. */
  private final SyncRuntime.Timer timer;
  /** The thread of a threaded loop; null for an event-driven one. */
  private final OwnThread ownThread;
  /**
   * The step executor as offered to the source for reading and delivering answers: a task run
   * through it marks its thread, so the fetch callback knows it may run the next step inline.
   */
  private final Executor answers;

  private final Object lock = new Object();
  private final Object stateLock = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile SyncState state = SyncState.IDLE;
  private volatile Exception failure;
  private volatile boolean closed;

  // Guarded by lock. "busy": a step of this loop is queued or running (or starting a wait); otherwise
  // the loop is parked, waiting for a fetch's callback or a timer, and "pending" cancels that wait.
  private boolean started;
  private boolean busy;
  /** Parked on a consumer's pending {@link SyncConsumer#acceptAsync} stage: close() does not end that wait. */
  private boolean delivering;
  private boolean finished;
  private long generation;
  private AsyncSyncSource.Cancellable pending;
  private Thread stepThread;
  private Thread interruptible;
  private boolean interruptedByClose;
  /**
   * The next long poll, sent while the batch before it is still being delivered (see
   * {@link Builder#prefetch}); null when none is out. Its answer waits here until that batch is
   * acknowledged.
   */
  private Prefetch prefetch;

  // The step state: steps run one at a time and hand over through lock and the executor, which orders
  // their memory effects.
  private String since;
  private boolean prepared;
  private boolean catchUp = true;
  private boolean reset;
  private boolean resetSinceProgress;
  private int failures;
  /** How deep prefetched outcomes are handled inline in the current step (see {@link #fetchNext}). */
  private int inlineOutcomes;

  private SyncLoop(Builder b) {
    this.consumer = b.consumer;
    this.store = b.store;
    this.template = b.request;
    this.listener = b.listener;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxDeliveryAttempts = b.maxDeliveryAttempts;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.closeTimeout = b.closeTimeout;
    this.prefetching = b.prefetch;
    if (b.blockingSource != null) {
      this.ownThread = new OwnThread(b.threadFactory);
      this.steps = ownThread;
      this.source = AsyncSyncSource.fromBlocking(b.blockingSource, ownThread);
      this.timer = null;
    } else {
      SyncRuntime runtime = b.runtime != null ? b.runtime : SyncRuntime.shared();
      this.ownThread = null;
      this.steps = runtime.workers();
      this.source = b.asyncSource;
      this.timer = b.sleeper == Sleeper.SYSTEM ? runtime.timer() : null;
    }
    this.answers =
        task ->
            steps.execute(
                () -> {
                  SyncLoop outer = ANSWERING.get();
                  ANSWERING.set(this);
                  try {
                    task.run();
                  } finally {
                    if (outer == null) {
                      ANSWERING.remove();
                    } else {
                      ANSWERING.set(outer);
                    }
                  }
                });
  }

  /**
   * {@return a builder for a threaded loop: it reads from the blocking source on a thread of its
   * own (see {@link Builder#threadFactory}) and hands batches to the consumer on that thread}
   *
   * @param source makes the sync requests; not null
   * @param consumer handles each batch; not null
   */
  public static Builder builder(SyncSource source, SyncConsumer consumer) {
    return new Builder(Objects.requireNonNull(source, "source"), null, consumer);
  }

  /**
   * {@return a builder for an event-driven loop: no thread of its own; the answers of the
   * non-blocking source are delivered to the consumer on the threads of a {@link SyncRuntime} (see
   * {@link Builder#runtime}), one batch at a time}
   *
   * @param source makes the sync requests without blocking; not null
   * @param consumer handles each batch; not null
   */
  public static Builder builder(AsyncSyncSource source, SyncConsumer consumer) {
    return new Builder(null, Objects.requireNonNull(source, "source"), consumer);
  }

  /**
   * Starts the loop: it goes to {@link SyncState#CONNECTING}, reads the store and sends its first
   * request (on the calling thread for an event-driven loop; the request itself does not block). Calling
   * it again while running does nothing.
   *
   * @throws IllegalStateException if the loop was closed or stopped with an error
   */
  public void start() {
    synchronized (lock) {
      if (closed || state.isTerminal()) {
        throw new IllegalStateException("a sync loop cannot be restarted once " + state + "; build a new one");
      }
      if (started) {
        return;
      }
      started = true;
      busy = true; // a close() from now on leaves ending the loop to the first step
      stepThread = Thread.currentThread(); // a listener closing the loop here must not wait for itself
    }
    setState(SyncState.CONNECTING, null);
    // The first step runs here: it reads the store and sends the first request without waiting for a
    // worker, so the initial sync starts as early as a threaded loop's would.
    runStep(this::begin);
  }

  /** {@return the current state} */
  public SyncState state() {
    return state;
  }

  /** {@return the failure that stopped the loop in {@link SyncState#ERROR}, if any} */
  public Optional<Exception> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Waits until the loop has ended (after {@link #close()} or a fatal failure): no delivery of it runs
   * any more, and a threaded loop's thread has ended.
   *
   * @param timeout how long to wait at most
   * @return true if it ended within the timeout
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    if (ownThread != null) {
      return ownThread.awaitEnd(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    return true;
  }

  /**
   * Stops the loop: cancels the request in flight, interrupts a delivery or a backoff sleep in
   * progress and waits (up to the configured close timeout) for it to end. Idempotent; safe from any
   * thread, including the consumer's (it then does not wait). A pending asynchronous delivery is not
   * waited for: the loop ends when its stage completes (see {@link SyncConsumer#acceptAsync}).
   */
  @Override
  public void close() {
    AsyncSyncSource.Cancellable inFlight = null;
    boolean finishNow = false;
    boolean wait;
    boolean wasStarted;
    Prefetch early;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      wasStarted = started;
      early = prefetch;
      prefetch = null; // its answer, if it comes, is dropped: that batch was never delivered
      if (!started) {
        finishNow = true;
      } else if (!busy && delivering) {
        // The consumer's stage decides how the batch ends; its completion finishes the loop.
      } else if (!busy) {
        finishNow = true;
        inFlight = pending;
        pending = null;
      } else if (interruptible != null && interruptible != Thread.currentThread()) {
        interruptedByClose = true;
        interruptible.interrupt();
      }
      wait = started && stepThread != Thread.currentThread();
    }
    if (early != null) {
      cancelQuietly(early.handle());
    }
    if (wasStarted) {
      cancelQuietly(inFlight);
      try {
        source.cancel();
      } catch (RuntimeException e) {
        LOG.warn("Cancelling the sync requests in flight failed", e);
      }
    }
    if (finishNow) {
      finish();
    }
    if (wait) {
      try {
        if (!awaitEndOrAsyncDelivery(closeTimeout)) {
          LOG.warn("The sync loop did not end within {}", closeTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits until the loop has ended, or has parked on a consumer's pending stage: that stage may be
   * completed by this very caller (a listener closing the loop), so close() never waits for it.
   */
  private boolean awaitEndOrAsyncDelivery(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!finished && !(delivering && !busy)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      if (!finished) {
        return true; // parked on the stage: the loop ends when it completes
      }
    }
    return awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private static void cancelQuietly(AsyncSyncSource.Cancellable handle) {
    if (handle == null) {
      return;
    }
    try {
      handle.cancel();
    } catch (RuntimeException e) {
      LOG.warn("Cancelling the sync request in flight failed", e);
    }
  }

  private void setState(SyncState next, Exception cause) {
    synchronized (stateLock) {
      if (state.isTerminal()) {
        return;
      }
      state = next;
      try {
        listener.onStateChanged(next, cause);
      } catch (RuntimeException e) {
        LOG.warn("A sync state listener threw; ignored", e);
      }
    }
  }

  // ---------------------------------------------------------------- the steps

  /** Runs {@code step} on the step executor; the caller has made the loop busy. */
  private void dispatch(Runnable step) {
    try {
      steps.execute(() -> runStep(step));
    } catch (RejectedExecutionException e) {
      runStep(() -> fail(new IllegalStateException("the sync runtime was closed; the sync loop cannot go on", e)));
    }
  }

  /**
   * Runs the step that a fetch callback resumes: right here when this thread runs the loop's own
   * answer task (a runtime worker already; handing over would only cost a thread switch), else on
   * the step executor.
   */
  private void resumeWith(Runnable step) {
    if (ANSWERING.get() == this) {
      ANSWERING.remove(); // a callback that comes inline from within this step dispatches as usual
      runStep(step);
    } else {
      dispatch(step);
    }
  }

  private void runStep(Runnable step) {
    runStep(step, false);
  }

  /** Runs a step; unless {@code evenIfClosed}, a closed loop finishes instead. */
  private void runStep(Runnable step, boolean evenIfClosed) {
    Thread self = Thread.currentThread();
    synchronized (lock) {
      stepThread = self;
    }
    try {
      if (closed && !evenIfClosed) {
        finish();
      } else {
        step.run();
      }
    } catch (RuntimeException | Error e) {
      LOG.error("The sync loop failed unexpectedly", e);
      fail(e instanceof RuntimeException ? (RuntimeException) e
          : new IllegalStateException("the sync loop failed unexpectedly: " + e, e));
    } finally {
      synchronized (lock) {
        if (stepThread == self) {
          stepThread = null;
        }
      }
    }
  }

  /** Lets the step end until the outside event that {@code start} waits for resumes the loop. */
  private final class Resume {
    private final long id;

    Resume(long id) {
      this.id = id;
    }

    /** True for the first event of this wait, unless the loop was closed meanwhile: it may go on. */
    boolean claim() {
      synchronized (lock) {
        if (finished || closed || id != generation) {
          return false;
        }
        generation++;
        busy = true;
        pending = null;
        return true;
      }
    }
  }

  /**
   * Ends the current step waiting for an outside event: {@code start} starts the wait (a request, a
   * timer) and returns its handle; the event claims the {@link Resume} and dispatches the next step.
   * This must be the step's last action: the next step may run at once on another thread.
   */
  private void park(Function<Resume, AsyncSyncSource.Cancellable> start) {
    Resume resume;
    synchronized (lock) {
      resume = closed ? null : new Resume(generation);
    }
    if (resume == null) {
      finish();
      return;
    }
    AsyncSyncSource.Cancellable handle;
    try {
      handle = start.apply(resume);
    } catch (RuntimeException e) {
      boolean mine;
      synchronized (lock) {
        mine = resume.id == generation;
        if (mine) {
          generation++; // a callback that still comes is ignored
        }
      }
      if (mine) {
        if (closed) {
          finish();
        } else {
          LOG.error("The sync loop could not start its next request or wait", e);
          fail(e);
        }
      }
      return;
    }
    synchronized (lock) {
      if (resume.id != generation) {
        return; // already resumed: the next step owns the loop
      }
      if (!closed) {
        pending = handle; // from here close() cancels the wait and ends the loop itself
        busy = false;
        return;
      }
      generation++;
    }
    cancelQuietly(handle); // close() came while the wait was starting and left ending the loop to this step
    finish();
  }

  private void begin() {
    try {
      since = store.load().orElse(null);
    } catch (RuntimeException e) {
      // Never start over on a store that could not be read: the first save would overwrite it.
      LOG.error("Cannot read the sync store; the loop stops", e);
      fail(e);
      return;
    }
    fetchNext();
  }

  private void fetchNext() {
    SyncRequest request = template.withSince(since).withTimeout(catchUp ? Duration.ZERO : template.timeout());
    Prefetch early;
    boolean stale = false;
    boolean arrived = false;
    synchronized (lock) {
      early = prefetch;
      if (early != null) {
        stale = closed || !early.request.equals(request);
        arrived = !stale && early.arrived;
        if (stale || arrived) {
          prefetch = null;
        }
      }
    }
    if (stale) {
      cancelQuietly(early.handle()); // asked for something else than what comes next; ask again
    } else if (arrived) {
      // Its answer came while the batch before it was delivered: go on in this step, unless steps
      // already nest deep here (answers that keep coming at once), then on a fresh one.
      if (inlineOutcomes < MAX_INLINE_OUTCOMES) {
        inlineOutcomes++;
        try {
          early.outcome().run();
        } finally {
          inlineOutcomes--;
        }
      } else {
        dispatch(early.outcome());
      }
      return;
    } else if (early != null) {
      Prefetch waitedFor = early;
      park(resume -> waitedFor.awaitedBy(resume));
      return;
    }
    park(resume -> source.fetch(request, answers, new AsyncSyncSource.Callback() {
      @Override
      public void onResponse(SyncResponse response) {
        if (resume.claim()) {
          resumeWith(() -> fetched(request, response));
        }
      }

      @Override
      public void onFailure(MatrixException failure) {
        if (resume.claim()) {
          resumeWith(() -> fetchFailed(request, failure));
        }
      }
    }));
  }

  private enum Decision { RETRY, RESET, FATAL }

  private void fetched(SyncRequest request, SyncResponse response) {
    if (response == null) {
      fetchFailed(request, new MatrixProtocolException("the sync source returned no answer", null));
      return;
    }
    failures = 0;
    deliver(request, new SyncBatch(response, request.since(), reset), 1);
  }

  private void fetchFailed(SyncRequest request, MatrixException e) {
    if (e instanceof BlockingSyncSourceAdapter.SourceFailure) {
      LOG.error("The sync loop failed unexpectedly", e.getCause());
      fail((Exception) e.getCause());
      return;
    }
    Decision decision = classify(e, request);
    if (decision == Decision.RESET) {
      if (resetSinceProgress) {
        LOG.error("The homeserver rejected the since token again right after a reset; stopping", e);
        fail(e);
        return;
      }
      LOG.warn("The homeserver no longer knows the since token ({}); starting over with an initial sync", e.getMessage());
      clearStore();
      since = null;
      reset = true;
      resetSinceProgress = true;
      catchUp = true;
      fetchNext();
      return;
    }
    if (decision == Decision.FATAL) {
      LOG.error("Sync stopped: {}", e.getMessage());
      fail(e);
      return;
    }
    failures++;
    Duration delay = delayAfter(failures, e);
    LOG.warn("Sync failed (attempt {}), retrying in {} ms: {}", failures, delay.toMillis(), e.getMessage());
    if (state != SyncState.RECONNECTING) {
      setState(SyncState.RECONNECTING, e);
    }
    catchUp = true;
    waitThen(delay, this::fetchNext);
  }

  /** Hands a batch to the consumer; on success (or after giving up) acknowledges it and fetches on. */
  private void deliver(SyncRequest request, SyncBatch batch, int attempt) {
    AtomicReference<CompletionStage<Void>> stage = new AtomicReference<>();
    Exception thrown = interruptibly(() -> stage.set(consumer.acceptAsync(batch)));
    if (thrown == null && stage.get() == null) {
      thrown = new IllegalStateException(consumer.getClass().getName() + ".acceptAsync returned null instead of a stage");
    }
    if (thrown != null) {
      deliveryFailed(request, batch, attempt, thrown);
      return;
    }
    if (prefetching) {
      prefetchAfter(batch);
    }
    awaitDelivery(request, batch, attempt, stage.get());
  }

  /**
   * Sends the long poll that follows {@code batch} now, while the consumer still handles the batch,
   * so that the server holds a poll again sooner (see {@link Builder#prefetch}). Its answer is kept
   * until the batch is acknowledged: {@link #fetchNext} then takes it (or waits for it) instead of
   * asking again, so batches still reach the consumer in order, one at a time, each after the one
   * before was saved. Does nothing when a prefetch is out already or the loop is closing.
   */
  private void prefetchAfter(SyncBatch batch) {
    SyncRequest next = template.withSince(batch.response().nextBatch()).withTimeout(template.timeout());
    Prefetch early = new Prefetch(next);
    synchronized (lock) {
      if (closed || finished || prefetch != null) {
        return;
      }
      prefetch = early;
    }
    AsyncSyncSource.Cancellable handle;
    try {
      handle = source.fetch(next, answers, early);
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (prefetch == early) {
          prefetch = null; // fetchNext asks again once the batch is acknowledged
        }
      }
      LOG.debug("Could not send the next sync request early; it goes out after the batch", e);
      return;
    }
    boolean dropped;
    synchronized (lock) {
      early.handle = handle;
      dropped = prefetch != early;
    }
    if (dropped) {
      cancelQuietly(handle); // closed while it was being sent
    }
  }

  /**
   * A long poll sent ahead (see {@link #prefetchAfter}): its outcome is kept until the loop takes it
   * in {@link #fetchNext}, or handed straight to the loop when it is already waiting for it. An
   * outcome that comes after the prefetch was dropped (closed, or not the request the loop needs) is
   * ignored.
   */
  private final class Prefetch implements AsyncSyncSource.Callback {
    final SyncRequest request;
    // Guarded by lock.
    private AsyncSyncSource.Cancellable handle;
    private boolean arrived;
    private SyncResponse response;
    private MatrixException failure;
    private Resume waiter;

    Prefetch(SyncRequest request) {
      this.request = request;
    }

    AsyncSyncSource.Cancellable handle() {
      synchronized (lock) {
        return handle;
      }
    }

    /** The step that handles the outcome; call once it has arrived. */
    Runnable outcome() {
      SyncResponse answer;
      MatrixException failed;
      synchronized (lock) {
        answer = response;
        failed = failure;
      }
      return failed == null ? () -> fetched(request, answer) : () -> fetchFailed(request, failed);
    }

    /**
     * The loop parks on this prefetch (from {@link #park}): its outcome resumes {@code resume}; one
     * that came in between resumes it right away. Returns what cancels the wait.
     */
    AsyncSyncSource.Cancellable awaitedBy(Resume resume) {
      boolean now;
      synchronized (lock) {
        now = arrived;
        if (prefetch == this) {
          prefetch = null; // the loop owns it now
        }
        if (!now) {
          waiter = resume;
        }
      }
      if (now && resume.claim()) {
        dispatch(outcome()); // arrived between fetchNext's look and this wait
      }
      return () -> cancelQuietly(handle());
    }

    @Override
    public void onResponse(SyncResponse answer) {
      arrive(answer, null);
    }

    @Override
    public void onFailure(MatrixException failed) {
      arrive(null, failed);
    }

    private void arrive(SyncResponse answer, MatrixException failed) {
      Resume resume;
      synchronized (lock) {
        if (arrived) {
          return;
        }
        arrived = true;
        response = answer;
        failure = failed;
        resume = waiter;
        if (resume == null) {
          return; // kept for fetchNext, unless the prefetch was dropped
        }
      }
      if (resume.claim()) {
        resumeWith(outcome());
      }
    }
  }

  /**
   * Waits for the consumer's stage without holding the thread: the loop parks, and the stage's
   * completion claims it and runs {@link #delivered} on the step executor (even when the loop was
   * closed meanwhile: the stage decides whether the batch is acknowledged). A stage that is already
   * complete is handled right here. Must be the step's last action.
   */
  private void awaitDelivery(SyncRequest request, SyncBatch batch, int attempt, CompletionStage<Void> stage) {
    long id;
    synchronized (lock) {
      id = generation;
      delivering = true;
    }
    Thread self = Thread.currentThread();
    AtomicReference<Runnable> inline = new AtomicReference<>();
    AtomicBoolean registering = new AtomicBoolean(true);
    stage.whenComplete((ignored, failure) -> {
      synchronized (lock) {
        if (finished || id != generation) {
          return;
        }
        generation++;
        busy = true;
        delivering = false;
        pending = null;
      }
      Runnable next = () -> delivered(request, batch, attempt, failure);
      if (registering.get() && Thread.currentThread() == self) {
        inline.set(next); // complete already: go on in this step
        return;
      }
      try {
        steps.execute(() -> runStep(next, true));
      } catch (RejectedExecutionException e) {
        runStep(next, true); // the runtime was closed: acknowledge here, the next request then fails
      }
    });
    registering.set(false);
    Runnable now = inline.get();
    if (now != null) {
      now.run();
      return;
    }
    synchronized (lock) {
      if (id != generation) {
        return; // already completed on another thread: the next step owns the loop
      }
      busy = false; // parked: no thread waits for the consumer
      lock.notifyAll(); // a close() waiting for this step need not wait for the stage
    }
  }

  /** The consumer's stage completed: acknowledges the batch, or treats the failure as a thrown one. */
  private void delivered(SyncRequest request, SyncBatch batch, int attempt, Throwable failure) {
    if (failure == null) {
      acknowledge(request, batch);
      return;
    }
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    deliveryFailed(request, batch, attempt,
        cause instanceof Exception ? (Exception) cause : new IllegalStateException("the consumer's stage failed: " + cause, cause));
  }

  private void deliveryFailed(SyncRequest request, SyncBatch batch, int attempt, Exception thrown) {
    if (closed) {
      finish(); // closed during delivery: not acknowledged, so it comes again after a restart
      return;
    }
    LOG.error("The sync consumer failed on the batch up to {} (attempt {} of {})",
        batch.response().nextBatch(), attempt, maxDeliveryAttempts, thrown);
    if (attempt < maxDeliveryAttempts) {
      waitThen(backoff(attempt), () -> deliver(request, batch, attempt + 1));
      return;
    }
    LOG.error("Giving up on the sync batch up to {} after {} attempts; it goes to onDeliveryFailed and the loop moves on",
        batch.response().nextBatch(), maxDeliveryAttempts);
    try {
      consumer.onDeliveryFailed(batch, thrown);
    } catch (RuntimeException e) {
      LOG.error("onDeliveryFailed threw; ignored", e);
    }
    acknowledge(request, batch); // given up: the token advances even if the loop is closing
  }

  private void acknowledge(SyncRequest request, SyncBatch batch) {
    since = batch.response().nextBatch();
    saveSince(since);
    if (!request.isInitial()) {
      resetSinceProgress = false;
    }
    reset = false;
    catchUp = false;
    if (!closed) {
      setState(prepared ? SyncState.SYNCING : SyncState.PREPARED, null);
    }
    prepared = true;
    fetchNext();
  }

  /** Waits {@code delay}, then runs {@code next}: a timer when the loop has one, else a sleep in this step. */
  private void waitThen(Duration delay, Runnable next) {
    if (timer != null) {
      park(resume -> timer.schedule(delay, () -> {
        if (resume.claim()) {
          dispatch(next);
        }
      }));
      return;
    }
    Exception thrown = interruptibly(() -> sleeper.sleep(delay));
    if (closed) {
      finish();
      return;
    }
    if (thrown instanceof InterruptedException) {
      LOG.debug("The sync loop was interrupted while waiting; going on");
    } else if (thrown instanceof RuntimeException) {
      throw (RuntimeException) thrown;
    }
    next.run();
  }

  /** Something the loop runs so that {@link #close()} can interrupt it. */
  private interface Interruptible {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} on this thread, where {@link #close()} interrupts it; returns what it threw, or
   * null. Does not run it when the loop is already closed (returns an {@link InterruptedException}).
   */
  private Exception interruptibly(Interruptible body) {
    Thread self = Thread.currentThread();
    synchronized (lock) {
      if (closed) {
        return new InterruptedException("the sync loop is closed");
      }
      interruptible = self;
    }
    try {
      body.run();
      return null;
    } catch (Exception e) {
      return e;
    } finally {
      synchronized (lock) {
        interruptible = null;
        if (interruptedByClose) {
          interruptedByClose = false;
          Thread.interrupted(); // close()'s interrupt was for this section, not for the thread's next work
        }
      }
    }
  }

  private void fail(Exception e) {
    failure = e;
    setState(SyncState.ERROR, e);
    finish();
  }

  /** Ends the loop once: STOPPED unless it failed, opens {@link #awaitTermination}, ends its own thread. */
  private void finish() {
    Prefetch early;
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
      busy = false;
      pending = null;
      early = prefetch;
      prefetch = null;
      lock.notifyAll();
    }
    if (early != null) {
      cancelQuietly(early.handle());
    }
    setState(SyncState.STOPPED, null);
    terminated.countDown();
    if (ownThread != null) {
      ownThread.shutdown();
    }
  }

  // ---------------------------------------------------------------- failure rules

  /** Sorts a failed request: see the class documentation. */
  static boolean isInvalidSince(MatrixErrorException e) {
    String code = e.errcode();
    if ("M_UNKNOWN_POS".equals(code)) {
      return true;
    }
    if (e.httpStatus() != 400 && e.httpStatus() != 404) {
      return false;
    }
    if (!"M_UNKNOWN".equals(code) && !"M_INVALID_PARAM".equals(code) && !"M_NOT_FOUND".equals(code)) {
      return false;
    }
    String message = e.error().toLowerCase(Locale.ROOT);
    return message.contains("since") || message.contains("stream") || message.contains("position")
        || message.contains("sync token") || message.contains("batch");
  }

  private static Decision classify(MatrixException e, SyncRequest request) {
    if (e instanceof ResponseTooLargeException) {
      return Decision.FATAL; // the same request gets the same answer: retrying cannot help
    }
    if (!(e instanceof MatrixErrorException error)) {
      return Decision.RETRY; // network failure or broken answer: the server's or the network's problem
    }
    int status = error.httpStatus();
    String code = error.errcode();
    if (status == 401 || "M_UNKNOWN_TOKEN".equals(code) || "M_MISSING_TOKEN".equals(code)
        || "M_USER_DEACTIVATED".equals(code)) {
      return Decision.FATAL;
    }
    if (request.since() != null && isInvalidSince(error)) {
      return Decision.RESET;
    }
    if (status >= 500 || status == 429 || status == 408 || "M_LIMIT_EXCEEDED".equals(code)) {
      return Decision.RETRY;
    }
    return Decision.FATAL;
  }

  /** Exponential backoff with equal jitter (half fixed, half random), or the server's retry delay. */
  Duration delayAfter(int attempt, Exception e) {
    if (e instanceof MatrixErrorException error && error.retryAfter().isPresent()) {
      Duration asked = error.retryAfter().get();
      return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked.isNegative() ? Duration.ZERO : asked;
    }
    return backoff(attempt);
  }

  private Duration backoff(int attempt) {
    long initial = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    long base = initial;
    for (int i = 1; i < attempt && base < max; i++) {
      base *= 2;
    }
    base = Math.min(base, max);
    double r = Math.max(0.0, Math.min(1.0, random.getAsDouble()));
    return Duration.ofMillis(base / 2 + (long) (r * (base - base / 2)));
  }

  // ---------------------------------------------------------------- the store

  private void saveSince(String since) {
    boolean interrupted = Thread.interrupted(); // an interrupt must not abort an interruptible file write
    try {
      store.save(since);
    } catch (RuntimeException e) {
      LOG.error("Cannot save the since token; a restart will repeat batches", e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void clearStore() {
    try {
      store.clear();
    } catch (RuntimeException e) {
      LOG.error("Cannot clear the sync store", e);
    }
  }

  // ---------------------------------------------------------------- a threaded loop's thread

  /**
   * The one thread of a threaded loop: runs its tasks (the blocking fetch, the steps) in order, made
   * on first use by the thread factory, and ends once shut down and out of tasks.
   */
  private static final class OwnThread implements Executor {
    private final ThreadFactory factory;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
    private Thread thread; // guarded by this
    private boolean shutdown; // guarded by this

    OwnThread(ThreadFactory factory) {
      this.factory = factory;
    }

    @Override
    public synchronized void execute(Runnable task) {
      if (shutdown) {
        throw new RejectedExecutionException("the sync loop's thread has ended");
      }
      tasks.add(task);
      if (thread == null) {
        thread = factory.newThread(this::run);
        thread.start();
      } else {
        notifyAll();
      }
    }

    synchronized void shutdown() {
      shutdown = true;
      notifyAll();
    }

    private void run() {
      while (true) {
        Runnable task;
        synchronized (this) {
          while (tasks.isEmpty() && !shutdown) {
            try {
              wait();
            } catch (InterruptedException e) {
              // an interrupt aimed at a finished task; the loop decides when this thread ends
            }
          }
          task = tasks.poll();
          if (task == null) {
            return;
          }
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          LOG.error("A task of the sync loop's thread failed", e);
        }
      }
    }

    /** Waits for the thread to end; true at once when called from it or when it never started. */
    boolean awaitEnd(long millis) throws InterruptedException {
      Thread running;
      synchronized (this) {
        running = thread;
      }
      if (running == null || running == Thread.currentThread()) {
        return true;
      }
      running.join(millis);
      return !running.isAlive();
    }
  }

  // ---------------------------------------------------------------- the builder

  /** Builds a {@link SyncLoop}. */
  public static final class Builder {
    private final SyncSource blockingSource;
    private final AsyncSyncSource asyncSource;
    private final SyncConsumer consumer;
    private SyncStore store = new InMemorySyncStore();
    private SyncRequest request = SyncRequest.builder().timeout(Duration.ofSeconds(30)).build();
    private SyncStateListener listener = SyncStateListener.NONE;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private int maxDeliveryAttempts = 3;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private ThreadFactory threadFactory = runnable -> {
      Thread t = new Thread(runnable, "melo-sync-" + THREAD_COUNT.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    private SyncRuntime runtime;
    private Duration closeTimeout = Duration.ofSeconds(10);
    private boolean prefetch;

    private Builder(SyncSource blockingSource, AsyncSyncSource asyncSource, SyncConsumer consumer) {
      this.blockingSource = blockingSource;
      this.asyncSource = asyncSource;
      this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /**
     * Where the since token is kept. Default: a new {@link InMemorySyncStore}.
     *
     * @param value the store; not null
     * @return this builder
     */
    public Builder store(SyncStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /**
     * The request every sync is made from (filter, timeout, presence, ...); its {@code since} is
     * ignored (the store decides). The first request of a run, and the first after a failure, use
     * timeout zero to catch up at once. Default: no filter, timeout 30 s.
     *
     * @param value the request; not null
     * @return this builder
     */
    public Builder request(SyncRequest value) {
      this.request = Objects.requireNonNull(value, "request").withSince(null);
      return this;
    }

    /**
     * Observes state changes. Default: {@link SyncStateListener#NONE}.
     *
     * @param value the listener; not null
     * @return this builder
     */
    public Builder listener(SyncStateListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * Backoff while the server is unreachable: {@code initial}, doubling up to {@code max}, each
     * delay drawn between half and all of it. Default: 1 s to 60 s.
     *
     * @param initial the first delay; positive
     * @param max the largest delay; at least {@code initial}
     * @return this builder
     * @throws IllegalArgumentException if initial is not positive or max is below it
     */
    public Builder backoff(Duration initial, Duration max) {
      if (initial == null || max == null || initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 < initial <= max, was: " + initial + ", " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How many times a batch is handed to a consumer that throws before the loop gives up on it.
     * Default: 3.
     *
     * @param attempts the number of attempts, at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxDeliveryAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1, was: " + attempts);
      }
      this.maxDeliveryAttempts = attempts;
      return this;
    }

    /**
     * How the loop waits between attempts. Default: {@link Sleeper#SYSTEM}, which a threaded loop
     * sleeps on its thread and an event-driven loop replaces by a timer of its runtime (no thread
     * waits). Any other sleeper is called on the loop's thread, or on a runtime worker that it then
     * holds for the whole wait: meant for tests.
     *
     * @param value the sleeper; not null
     * @return this builder
     */
    public Builder sleeper(Sleeper value) {
      this.sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /**
     * The jitter source, values in [0, 1]. Default: {@link ThreadLocalRandom}.
     *
     * @param value the source of random values; not null
     * @return this builder
     */
    public Builder random(DoubleSupplier value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /**
     * Makes the thread of a threaded loop. Default: a daemon thread named {@code melo-sync-N}.
     *
     * @param value the thread factory; not null
     * @return this builder
     * @throws IllegalStateException for an event-driven loop, which has no thread of its own
     */
    public Builder threadFactory(ThreadFactory value) {
      Objects.requireNonNull(value, "threadFactory");
      if (blockingSource == null) {
        throw new IllegalStateException("an event-driven sync loop has no thread of its own; set its runtime instead");
      }
      this.threadFactory = value;
      return this;
    }

    /**
     * The threads an event-driven loop runs on. Default: {@link SyncRuntime#shared()}.
     *
     * @param value the runtime; not null
     * @return this builder
     * @throws IllegalStateException for a threaded loop (built from a blocking {@link SyncSource}),
     *     which runs on a thread of its own
     */
    public Builder runtime(SyncRuntime value) {
      Objects.requireNonNull(value, "runtime");
      if (asyncSource == null) {
        throw new IllegalStateException(
            "a sync loop over a blocking SyncSource runs on a thread of its own; build it from an AsyncSyncSource to share a runtime");
      }
      this.runtime = value;
      return this;
    }

    /**
     * How long {@link SyncLoop#close()} waits for a delivery in progress to end. Default: 10 s.
     *
     * @param value the longest wait; negative is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder closeTimeout(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, was: " + value);
      }
      this.closeTimeout = value;
      return this;
    }

    /**
     * Whether an event-driven loop sends its next long poll as soon as the consumer has taken a batch
     * (its {@link SyncConsumer#acceptAsync acceptAsync} returned a stage), instead of after that
     * stage completed and the token was saved. The server then holds a poll again while listeners
     * still run, so an event that comes meanwhile is already on its way. What the consumer sees does
     * not change: the early answer is kept until the batch before it is acknowledged (its token
     * saved), then handled as if it had been asked for only then; batches still come in sync order,
     * one at a time, each at most once per run. When the batch before it is not acknowledged (the
     * loop closes, or stops with an error), the early request is cancelled and its answer dropped,
     * so a restart asks for it again from the saved token. Costs one request per close that was
     * in flight for nothing. Default: false.
     *
     * @param value whether to send the next long poll early
     * @return this builder
     * @throws IllegalStateException when set on a threaded loop (built from a blocking
     *     {@link SyncSource}), whose one thread cannot wait for two answers at once
     */
    public Builder prefetch(boolean value) {
      if (value && asyncSource == null) {
        throw new IllegalStateException("only an event-driven sync loop (built from an AsyncSyncSource) can prefetch");
      }
      this.prefetch = value;
      return this;
    }

    /** {@return the loop, not started} */
    public SyncLoop build() {
      return new SyncLoop(this);
    }
  }
}
