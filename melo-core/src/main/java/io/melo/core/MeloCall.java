package io.melo.core;

import java.util.concurrent.CompletableFuture;

/**
 * One Melo operation, prepared but not started. An operation may take several homeserver
 * requests (creating a server creates a space, a channel, an alias); the call runs them in order.
 *
 * <p>Run a call once, in one of three ways: {@link #execute()} blocks the calling thread,
 * {@link #enqueue(MeloCallback)} and {@link #future()} run it in the background. {@link #cancel()}
 * stops it between requests and aborts the request in flight. {@link #copy()} gives a fresh call
 * for the same operation, for a retry; sends keep their transaction ids, so a retried message is
 * not duplicated.
 *
 * @param <T> the result of the operation
 */
public interface MeloCall<T> {

  /**
   * Runs the operation and waits for its result.
   *
   * @return the result
   * @throws MeloException one of its kinds, saying what went wrong
   * @throws IllegalStateException if this call already ran
   */
  T execute();

  /**
   * Runs the operation in the background. Exactly one method of {@code callback} runs, once, on
   * the client's event executor.
   *
   * @param callback told the result or the failure; not null
   * @throws IllegalStateException if this call already ran
   */
  void enqueue(MeloCallback<? super T> callback);

  /**
   * Runs the operation in the background and returns its future. The future fails with a
   * {@link MeloException}; cancelling the future cancels the operation.
   *
   * @return the future of the result
   * @throws IllegalStateException if this call already ran
   */
  @CheckReturnValue
  CompletableFuture<T> future();

  /**
   * Cancels the operation: no further request starts and the one in flight is aborted. Steps that
   * completed stay done. Has no effect on a call that finished.
   */
  void cancel();

  /** {@return true once {@code execute}, {@code enqueue} or {@code future} has been called} */
  boolean isExecuted();

  /** {@return true once {@link #cancel()} has been called} */
  boolean isCancelled();

  /** {@return a call for a new, unstarted call for the same operation} */
  @CheckReturnValue
  MeloCall<T> copy();
}
