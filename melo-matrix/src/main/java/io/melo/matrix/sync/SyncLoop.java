package io.melo.matrix.sync;

import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixProtocolException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /sync} long-poll loop of one session, on its own daemon thread.
 *
 * <p>Each batch from the {@link SyncSource} goes to the {@link SyncConsumer}; only after the consumer
 * returned is the batch's {@code next_batch} saved in the {@link SyncStore}, so a crash or restart
 * repeats a batch rather than losing one. The loop reacts to failures by who has to act:
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
 *       {@code M_USER_DEACTIVATED}) and other 4xx answers (the request itself is wrong, so retrying cannot
 *       help): {@link SyncState#ERROR}, the thread ends; {@link #failure()} tells why.
 * </ul>
 *
 * <p>A consumer that throws is logged and gets the same batch again, up to
 * {@code maxDeliveryAttempts} times with backoff; then the batch goes to
 * {@link SyncConsumer#onDeliveryFailed(SyncBatch, Exception)}, its token is saved and the loop goes on,
 * so one poisonous batch cannot stop the session. {@link #close()} cancels the request in flight
 * ({@link SyncSource#cancel()}), interrupts the thread and waits for it to end; a batch whose delivery
 * was interrupted is not acknowledged and comes again after a restart.
 */
public final class SyncLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
  private static final AtomicInteger THREAD_COUNT = new AtomicInteger();
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final SyncSource source;
  private final SyncConsumer consumer;
  private final SyncStore store;
  private final SyncRequest template;
  private final SyncStateListener listener;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxDeliveryAttempts;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final ThreadFactory threadFactory;
  private final Duration closeTimeout;

  private final Object lock = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile SyncState state = SyncState.IDLE;
  private volatile Exception failure;
  private volatile boolean closed;
  private Thread thread;

  private SyncLoop(Builder b) {
    this.source = b.source;
    this.consumer = b.consumer;
    this.store = b.store;
    this.template = b.request;
    this.listener = b.listener;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxDeliveryAttempts = b.maxDeliveryAttempts;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.threadFactory = b.threadFactory;
    this.closeTimeout = b.closeTimeout;
  }

  /** A builder for a loop that reads from the source and hands batches to the consumer. */
  public static Builder builder(SyncSource source, SyncConsumer consumer) {
    return new Builder(source, consumer);
  }

  /**
   * Starts the loop's thread. Calling it again while running does nothing.
   *
   * @throws IllegalStateException if the loop was closed or stopped with an error
   */
  public void start() {
    synchronized (lock) {
      if (closed || state.isTerminal()) {
        throw new IllegalStateException("a sync loop cannot be restarted once " + state + "; build a new one");
      }
      if (thread != null) {
        return;
      }
      thread = threadFactory.newThread(this::run);
      setState(SyncState.CONNECTING, null);
      thread.start();
    }
  }

  /** The current state. */
  public SyncState state() {
    return state;
  }

  /** The failure that stopped the loop in {@link SyncState#ERROR}, if any. */
  public Optional<Exception> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Waits until the loop's thread has ended (after {@link #close()} or a fatal failure).
   *
   * @return true if it ended within the timeout
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    Thread running;
    synchronized (lock) {
      running = thread;
    }
    if (running != null && running != Thread.currentThread()) {
      long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      running.join(remaining); // the latch opens in the thread's last lines; join sees it gone
      return !running.isAlive();
    }
    return true;
  }

  /**
   * Stops the loop: cancels the request in flight, interrupts the thread and waits (up to the
   * configured close timeout) for it to end. Idempotent; safe from any thread, including the
   * consumer's (it then does not wait).
   */
  @Override
  public void close() {
    Thread running;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      running = thread;
      if (running == null) {
        if (!state.isTerminal()) {
          setState(SyncState.STOPPED, null);
        }
        terminated.countDown();
        return;
      }
    }
    try {
      source.cancel();
    } catch (RuntimeException e) {
      LOG.warn("Cancelling the sync request in flight failed", e);
    }
    running.interrupt();
    if (running != Thread.currentThread()) {
      try {
        if (!awaitTermination(closeTimeout)) {
          LOG.warn("The sync loop thread did not end within {}", closeTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void setState(SyncState next, Exception cause) {
    state = next;
    try {
      listener.onStateChanged(next, cause);
    } catch (RuntimeException e) {
      LOG.warn("A sync state listener threw; ignored", e);
    }
  }

  private enum Decision { RETRY, RESET, FATAL }

  private void run() {
    try {
      loop();
    } catch (RuntimeException e) {
      LOG.error("The sync loop failed unexpectedly", e);
      failure = e;
      setState(SyncState.ERROR, e);
    } finally {
      if (!state.isTerminal()) {
        setState(SyncState.STOPPED, null);
      }
      terminated.countDown();
    }
  }

  private void loop() {
    String since = loadSince();
    boolean prepared = false;
    boolean catchUp = true;
    boolean reset = false;
    boolean resetSinceProgress = false;
    int failures = 0;
    while (!closed) {
      SyncRequest request = template.withSince(since).withTimeout(catchUp ? Duration.ZERO : template.timeout());
      SyncResponse response;
      try {
        response = source.fetch(request);
        if (response == null) {
          throw new MatrixProtocolException("the sync source returned no answer", null);
        }
      } catch (MatrixException e) {
        if (closed) {
          break;
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
          continue;
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
        if (!pause(delay)) {
          break;
        }
        continue;
      }
      failures = 0;
      SyncBatch batch = new SyncBatch(response, request.since(), reset);
      if (!deliver(batch)) {
        break; // closed during delivery: not acknowledged, so it comes again after a restart
      }
      since = response.nextBatch();
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
    }
  }

  private void fail(Exception e) {
    failure = e;
    setState(SyncState.ERROR, e);
  }

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

  /** Sleeps; false when the loop was closed meanwhile. */
  private boolean pause(Duration delay) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      if (!closed) {
        LOG.debug("The sync loop thread was interrupted while waiting; going on");
      }
    }
    return !closed;
  }

  /** Hands a batch to the consumer; false when the loop closed before it was handled. */
  private boolean deliver(SyncBatch batch) {
    Exception last = null;
    for (int attempt = 1; attempt <= maxDeliveryAttempts; attempt++) {
      try {
        consumer.accept(batch);
        return true;
      } catch (Exception e) {
        if (closed) {
          return false;
        }
        last = e;
        LOG.error("The sync consumer failed on the batch up to {} (attempt {} of {})",
            batch.response().nextBatch(), attempt, maxDeliveryAttempts, e);
        if (attempt < maxDeliveryAttempts && !pause(backoff(attempt))) {
          return false;
        }
      }
    }
    LOG.error("Giving up on the sync batch up to {} after {} attempts; it goes to onDeliveryFailed and the loop moves on",
        batch.response().nextBatch(), maxDeliveryAttempts);
    try {
      consumer.onDeliveryFailed(batch, last);
    } catch (RuntimeException e) {
      LOG.error("onDeliveryFailed threw; ignored", e);
    }
    return true; // given up: the token advances even if the loop is closing, the batch went to onDeliveryFailed
  }

  private String loadSince() {
    try {
      return store.load().orElse(null);
    } catch (RuntimeException e) {
      LOG.error("Cannot read the sync store; starting with an initial sync", e);
      return null;
    }
  }

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

  /** Builds a {@link SyncLoop}. */
  public static final class Builder {
    private final SyncSource source;
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
    private Duration closeTimeout = Duration.ofSeconds(10);

    private Builder(SyncSource source, SyncConsumer consumer) {
      this.source = Objects.requireNonNull(source, "source");
      this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /** Where the since token is kept. Default: a new {@link InMemorySyncStore}. */
    public Builder store(SyncStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /**
     * The request every sync is made from (filter, timeout, presence, ...); its {@code since} is
     * ignored (the store decides). The first request of a run, and the first after a failure, use
     * timeout zero to catch up at once. Default: no filter, timeout 30 s.
     */
    public Builder request(SyncRequest value) {
      this.request = Objects.requireNonNull(value, "request").withSince(null);
      return this;
    }

    /** Observes state changes. Default: {@link SyncStateListener#NONE}. */
    public Builder listener(SyncStateListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * Backoff while the server is unreachable: {@code initial}, doubling up to {@code max}, each
     * delay drawn between half and all of it. Default: 1 s to 60 s.
     *
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
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxDeliveryAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxDeliveryAttempts must be at least 1, was: " + attempts);
      }
      this.maxDeliveryAttempts = attempts;
      return this;
    }

    /** How the loop waits between attempts. Default: {@link Sleeper#SYSTEM}. */
    public Builder sleeper(Sleeper value) {
      this.sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /** The jitter source, values in [0, 1]. Default: {@link ThreadLocalRandom}. */
    public Builder random(DoubleSupplier value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /** Makes the loop's thread. Default: a daemon thread named {@code melo-sync-N}. */
    public Builder threadFactory(ThreadFactory value) {
      this.threadFactory = Objects.requireNonNull(value, "threadFactory");
      return this;
    }

    /** How long {@link SyncLoop#close()} waits for the thread to end. Default: 10 s. */
    public Builder closeTimeout(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, was: " + value);
      }
      this.closeTimeout = value;
      return this;
    }

    /** The loop, not started. */
    public SyncLoop build() {
      return new SyncLoop(this);
    }
  }
}
