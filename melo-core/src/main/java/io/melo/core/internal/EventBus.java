package io.melo.core.internal;

import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListener;
import io.melo.core.event.Subscription;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's listener registry and dispatcher. Events and callbacks are queued in order and
 * handed to the event executor one at a time, so listeners see them in sync order even when the
 * executor is a pool. A listener that throws is reported to the failure handler (by default:
 * logged) and the others still run. When the executor refuses work (it was shut down, or its
 * queue is full), the publishing thread delivers instead, so nothing is dropped and a waiter of
 * {@link #awaitDelivered()} (or {@link #whenDelivered()}) is never left hanging. Thread-safe. Not API.
 */
public final class EventBus {

  /** Receives the failure of a listener; must not throw. */
  @FunctionalInterface
  public interface FailureHandler {
    /** {@code listener} threw {@code failure} while handling {@code event}. */
    void listenerFailed(Object listener, MeloEvent event, Throwable failure);
  }

  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

  /** Logs the failure with the listener's class, the event's type and sequence (never its content). */
  public static final FailureHandler LOG_FAILURES =
      (listener, event, failure) ->
          LOG.warn(
              "Melo listener {} threw on {} #{}; other listeners and later events go on",
              listener.getClass().getName(),
              event.getClass().getSimpleName(),
              event.sequence(),
              failure);

  /** How many jobs a drain runs before it lets other work on the executor go first. */
  static final int TURN = 64;

  private final Executor executor;
  private final FailureHandler failureHandler;
  private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean draining;
  /** The thread running this bus's queue right now, if any. */
  private volatile Thread drainer;
  private volatile boolean refusedBefore;

  /** A bus that delivers on {@code executor} and logs listener failures. */
  public EventBus(Executor executor) {
    this(executor, LOG_FAILURES);
  }

  /** A bus that delivers on {@code executor} and reports listener failures to {@code failureHandler}. */
  public EventBus(Executor executor, FailureHandler failureHandler) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler");
  }

  /** Registers {@code listener} for the events within {@code scope}. */
  public Subscription subscribe(EventScope scope, MeloListener listener) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(listener, "listener");
    return add(new Registration(scope, MeloEvent.class, listener, listener::onEvent));
  }

  /** Registers {@code listener} for the events of {@code type} within {@code scope}. */
  public <E extends MeloEvent> Subscription subscribe(
      Class<E> type, EventScope scope, Consumer<? super E> listener) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(listener, "listener");
    return add(new Registration(scope, type, listener, event -> listener.accept(type.cast(event))));
  }

  private Subscription add(Registration registration) {
    registrations.add(registration);
    return registration;
  }

  /** The number of registered listeners. */
  public int listenerCount() {
    return registrations.size();
  }

  /** Queues {@code event} for delivery after everything queued before it. */
  public void publish(MeloEvent event) {
    Objects.requireNonNull(event, "event");
    submit(() -> deliver(event));
  }

  /**
   * Queues {@code events} in order, like {@link #publish} each, and returns what
   * {@link #whenDelivered()} would return right after: a future that completes once they (and
   * everything queued before them) were delivered. One hand-over to the executor for all of them and
   * the marker, where publishing one by one and then asking for the marker may wake the executor
   * twice (when its drain ends between the last event and the marker).
   *
   * @param events the events, delivered in this order
   * @return completes (never exceptionally) once everything queued so far was delivered
   */
  public CompletableFuture<Void> publishAll(java.util.List<? extends MeloEvent> events) {
    java.util.List<Runnable> jobs = new java.util.ArrayList<>(events.size() + 1);
    for (MeloEvent event : events) {
      Objects.requireNonNull(event, "event");
      jobs.add(() -> deliver(event));
    }
    if (drainer == Thread.currentThread()) {
      submitAll(jobs); // delivered after the job this thread runs now, which cannot wait for them
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    jobs.add(() -> delivered.complete(null));
    submitAll(jobs);
    return delivered;
  }

  /**
   * Queues {@code task} (such as a {@code MeloCallback}) to run on the event executor after
   * everything queued before it. A task that throws is logged.
   */
  public void run(Runnable task) {
    Objects.requireNonNull(task, "task");
    submit(
        () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            LOG.warn("Melo callback {} threw", task.getClass().getName(), e);
          }
        });
  }

  private void submit(Runnable job) {
    submitAll(java.util.List.of(job));
  }

  private void submitAll(java.util.List<Runnable> jobs) {
    if (jobs.isEmpty()) {
      return;
    }
    synchronized (lock) {
      queue.addAll(jobs);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // Dropping the queue would lose events (and any awaitDelivered() marker in it, leaving its
      // waiter stuck): like CallerRunsPolicy, this thread delivers them itself, in order.
      if (!refusedBefore) {
        refusedBefore = true;
        LOG.warn("Melo event executor refused work; events and callbacks run on the publishing thread instead", e);
      } else {
        LOG.debug("Melo event executor refused work again; running on the publishing thread");
      }
      drain();
    }
  }

  /**
   * Waits until everything queued before this call has been delivered (each listener and
   * callback has returned). An interrupt does not end the wait early (a batch whose events are
   * out must be seen through to the end, or they would repeat after a restart); the thread's
   * interrupt flag is set again before returning. Returns at once on the thread that is
   * delivering for this bus, which would otherwise wait for itself.
   */
  public void awaitDelivered() {
    CompletableFuture<Void> delivered = whenDelivered();
    boolean interrupted = false;
    while (true) {
      try {
        delivered.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        throw new IllegalStateException("the delivery marker cannot fail", e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A future that completes once everything queued before this call has been delivered (each
   * listener and callback has returned), without a thread waiting for it: the sync loop's worker
   * goes back to other clients meanwhile. It completes on the thread delivering for this bus, which
   * then runs the future's dependent stages: keep them short and non-blocking. Already complete when
   * called on that thread (the delivery in progress there cannot wait for itself), or when the
   * executor refuses work (the caller has then delivered everything itself).
   *
   * @return completes (never exceptionally) once everything queued so far was delivered
   */
  public CompletableFuture<Void> whenDelivered() {
    if (drainer == Thread.currentThread()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    submit(() -> delivered.complete(null));
    return delivered;
  }

  private static final ThreadLocal<Boolean> DELIVERING = new ThreadLocal<>();

  /** True on a thread that is running listeners or callbacks right now. */
  public static boolean isDelivering() {
    return Boolean.TRUE.equals(DELIVERING.get());
  }

  private void drain() {
    // Another client's bus may deliver inline from a listener of this one: keep the outer flag.
    Boolean outer = DELIVERING.get();
    DELIVERING.set(Boolean.TRUE);
    drainer = Thread.currentThread();
    try {
      drainQueue();
    } finally {
      if (outer == null) {
        DELIVERING.remove();
      }
    }
  }

  private void drainQueue() {
    int ran = 0;
    while (true) {
      Runnable job;
      synchronized (lock) {
        job = queue.poll();
        if (job == null) {
          draining = false;
          drainer = null;
          return;
        }
      }
      if (++ran > TURN) {
        if (yieldTurn(job)) {
          return;
        }
        ran = 0; // refused: this thread goes on, and asks again after another turn
      }
      boolean completed = false;
      try {
        job.run();
        completed = true;
      } finally {
        if (!completed) {
          handOver();
        }
      }
    }
  }

  /**
   * After {@link #TURN} jobs in one go, a drain goes to the back of the executor's queue (with
   * {@code next} put back at the head of this bus's queue), so that on an executor shared by many
   * clients a busy client's backlog takes turns with the others' events instead of holding a
   * thread until it is empty. Order within this bus is unchanged: only one drain runs at a time.
   *
   * @return true when the rest of the queue went to a new drain; false when the executor refused
   *     it and this thread goes on with {@code next}
   */
  private boolean yieldTurn(Runnable next) {
    synchronized (lock) {
      queue.addFirst(next);
      drainer = null;
    }
    try {
      executor.execute(this::drain);
      return true;
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        queue.pollFirst(); // it is next; nothing else takes from the queue while draining
        drainer = Thread.currentThread();
      }
      return false;
    }
  }

  /**
   * A fatal error from a listener (rethrown, never swallowed) leaves this drain: the rest of the
   * queue goes to a new one, or later events, callbacks and {@link #awaitDelivered()} waiters
   * (the sync thread) would wait forever.
   */
  private void handOver() {
    synchronized (lock) {
      drainer = null;
      if (queue.isEmpty()) {
        draining = false;
        return;
      }
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        draining = false; // the next submit starts a drain (on its own thread if refused again)
      }
    }
  }

  private void deliver(MeloEvent event) {
    for (Registration registration : registrations) {
      if (!registration.active
          || !registration.type.isInstance(event)
          || !registration.scope.matches(event)) {
        continue;
      }
      try {
        registration.sink.accept(event);
      } catch (RuntimeException | Error e) {
        rethrowIfFatal(e);
        try {
          failureHandler.listenerFailed(registration.listener, event, e);
        } catch (RuntimeException handlerFailure) {
          LOG.warn("Melo listener failure handler threw", handlerFailure);
        }
      }
    }
  }

  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError error) {
      throw error;
    }
  }

  private final class Registration implements Subscription {
    final EventScope scope;
    final Class<?> type;
    final Object listener;
    final Consumer<MeloEvent> sink;
    volatile boolean active = true;

    Registration(EventScope scope, Class<?> type, Object listener, Consumer<MeloEvent> sink) {
      this.scope = scope;
      this.type = type;
      this.listener = listener;
      this.sink = sink;
    }

    @Override
    public void close() {
      active = false;
      registrations.remove(this);
    }

    @Override
    public String toString() {
      return "Subscription(" + type.getSimpleName() + ", " + scope + ")";
    }
  }
}
