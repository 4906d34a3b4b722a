package io.melo.matrix;

import java.util.concurrent.CompletableFuture;

/**
 * One request to the homeserver, prepared but not sent. Run it once, in one of three ways:
 * {@link #execute()} blocks, {@link #enqueue(MatrixCallback)} and {@link #future()} do not. A call
 * runs once; {@link #copy()} gives a fresh one that sends the same request again (a send keeps its
 * transaction id, so a copy never duplicates a message).
 *
 * @param <T> the decoded answer
 */
public interface MatrixCall<T> {

  /**
   * Sends the request and waits for the answer.
   *
   * @return the decoded answer
   * @throws MatrixException one of its three kinds
   * @throws IllegalStateException if this call already ran
   */
  T execute();

  /**
   * Sends the request in the background. Exactly one method of {@code callback} runs, on the
   * client's callback executor.
   *
   * @param callback told the result or the failure; not null
   * @throws IllegalStateException if this call already ran
   */
  void enqueue(MatrixCallback<? super T> callback);

  /**
   * Sends the request in the background and returns its future; cancelling the future cancels the
   * request. The future fails with a {@link MatrixException}.
   *
   * @return the future of the result
   * @throws IllegalStateException if this call already ran
   */
  CompletableFuture<T> future();

  /** Cancels the request if it is in flight; a call that finished is not affected. */
  void cancel();

  /** {@return true once {@code execute}, {@code enqueue} or {@code future} has been called} */
  boolean isExecuted();

  /** {@return a new, unexecuted call for the same request} */
  MatrixCall<T> copy();
}
