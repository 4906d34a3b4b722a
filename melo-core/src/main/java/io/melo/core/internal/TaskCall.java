package io.melo.core.internal;

import io.melo.core.MeloCall;
import io.melo.core.MeloCallback;
import io.melo.core.MeloException;
import io.melo.core.MeloNetworkException;
import io.melo.core.MeloProtocolException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A {@link MeloCall} that runs a blocking {@link Task}: on the caller's thread for
 * {@link #execute()}, on the call executor for {@link #enqueue} and {@link #future()}. Callbacks
 * run on the callback executor (the client's event queue). Not API.
 *
 * @param <T> the result
 */
public final class TaskCall<T> implements MeloCall<T> {

  /** The body of an operation: blocking steps that check for cancellation between them. */
  @FunctionalInterface
  public interface Task<T> {
    /** Runs the operation; throws a {@link MeloException} on failure. */
    T run(CallContext context);
  }

  /**
   * Thrown by a task of a client that is closed: {@link #execute()} rethrows it as it is (an
   * {@link IllegalStateException}, as for every other use of a closed client), {@link #enqueue}
   * hands it to {@link MeloCallback#onFailure} inside a {@link MeloNetworkException} that did not
   * apply, {@link #future()} completes with it.
   */
  public static final class ClientClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param action what was being done, for the message
     */
    public ClientClosedException(String action) {
      super(action + ": the client is closed");
    }
  }

  private final String action;
  private final Task<T> task;
  private final Executor callExecutor;
  private final Executor callbackExecutor;
  /** The executor of a success callback, given the result (a new client's own event queue). */
  private final Function<? super T, ? extends Executor> successExecutor;
  private final AtomicBoolean executed = new AtomicBoolean();
  private final CallContext context;

  /**
   * Creates a call.
   *
   * @param action what the call does, for messages ({@code "creating server Melo HQ"})
   * @param task the operation; run at most once per call, again for each {@link #copy()}
   * @param callExecutor runs background calls
   * @param callbackExecutor runs {@link MeloCallback}s
   */
  public TaskCall(String action, Task<T> task, Executor callExecutor, Executor callbackExecutor) {
    this(action, task, callExecutor, callbackExecutor, result -> callbackExecutor);
  }

  /**
   * Creates a call whose success callback runs on an executor chosen by its result: a call that
   * creates a client hands {@link MeloCallback#onSuccess} to that client's event queue, so that it
   * runs in order with the client's listeners, never at the same time as one of them.
   *
   * @param action what the call does, for messages ({@code "logging in"})
   * @param task the operation; run at most once per call, again for each {@link #copy()}
   * @param callExecutor runs background calls
   * @param failureExecutor runs {@link MeloCallback#onFailure}
   * @param successExecutor the executor of {@link MeloCallback#onSuccess} for a result
   */
  public TaskCall(String action, Task<T> task, Executor callExecutor, Executor failureExecutor,
      Function<? super T, ? extends Executor> successExecutor) {
    this.action = Objects.requireNonNull(action, "action");
    this.task = Objects.requireNonNull(task, "task");
    this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
    this.callbackExecutor = Objects.requireNonNull(failureExecutor, "failureExecutor");
    this.successExecutor = Objects.requireNonNull(successExecutor, "successExecutor");
    this.context = new CallContext(action);
  }

  /**
   * A serial lane on {@code executor}: the tasks given to it run one at a time, in order, even when
   * {@code executor} is a pool. For the callbacks of calls that belong to no client yet.
   *
   * @param executor the event executor
   * @return an executor running its tasks on {@code executor} one at a time, in order
   */
  public static Executor serialLane(Executor executor) {
    return new EventBus(executor)::run;
  }

  @Override
  public T execute() {
    markExecuted();
    return runTask();
  }

  @Override
  public void enqueue(MeloCallback<? super T> callback) {
    Objects.requireNonNull(callback, "callback");
    markExecuted();
    Runnable job =
        () -> {
          T result;
          try {
            result = runTask();
          } catch (MeloException e) {
            callbackExecutor.execute(() -> callback.onFailure(e));
            return;
          } catch (ClientClosedException e) {
            MeloException failure = new MeloNetworkException(e.getMessage(), false, false, e);
            callbackExecutor.execute(() -> callback.onFailure(failure));
            return;
          } catch (IllegalArgumentException e) {
            // MeloCallback takes Melo failures only: the bad argument travels as the cause.
            MeloException failure = new MeloProtocolException(action + " was refused: " + e.getMessage(), e);
            callbackExecutor.execute(() -> callback.onFailure(failure));
            return;
          }
          successExecutor.apply(result).execute(() -> callback.onSuccess(result));
        };
    try {
      callExecutor.execute(job);
    } catch (RejectedExecutionException e) {
      MeloException failure =
          new MeloNetworkException(action + " could not start: the call executor refused it", false, false, e);
      callbackExecutor.execute(() -> callback.onFailure(failure));
    }
  }

  @Override
  public CompletableFuture<T> future() {
    markExecuted();
    CompletableFuture<T> future =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            // Complete the future as cancelled first: aborting the step in flight lets the task
            // fail at once, and that failure must not win the race.
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            TaskCall.this.cancel();
            return cancelled;
          }
        };
    try {
      callExecutor.execute(
          () -> {
            try {
              future.complete(runTask());
            } catch (MeloException | IllegalArgumentException | ClientClosedException e) {
              future.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(
          new MeloNetworkException(action + " could not start: the call executor refused it", false, false, e));
    }
    return future;
  }

  @Override
  public void cancel() {
    context.cancel();
  }

  @Override
  public boolean isExecuted() {
    return executed.get();
  }

  @Override
  public boolean isCancelled() {
    return context.isCancelled();
  }

  @Override
  public TaskCall<T> copy() {
    return new TaskCall<>(action, task, callExecutor, callbackExecutor, successExecutor);
  }

  private void markExecuted() {
    if (!executed.compareAndSet(false, true)) {
      throw new IllegalStateException("this call already ran; use copy() to run it again");
    }
  }

  private T runTask() {
    context.checkCancelled();
    try {
      return task.run(context);
    } catch (MeloException e) {
      if (context.isCancelled() && e instanceof MeloNetworkException) {
        throw CallContext.cancelledException(action);
      }
      throw e;
    } catch (IllegalArgumentException | ClientClosedException e) {
      throw e; // the app's input, found wrong once the server's state was read, or a closed client
    } catch (RuntimeException e) {
      // A defect, not a server or network failure: still end the call with a Melo failure so
      // that exactly one callback runs and futures complete.
      throw new MeloProtocolException(action + " failed unexpectedly: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "MeloCall(" + action + (isExecuted() ? ", executed" : "") + ")";
  }
}
