package io.melo.matrix;

/**
 * Receives the outcome of {@link MatrixCall#enqueue(MatrixCallback)}. Exactly one of the two methods
 * runs, once, on the client's callback executor.
 *
 * @param <T> the decoded answer
 */
public interface MatrixCallback<T> {

  /**
   * The call succeeded with {@code result}.
   *
   * @param result the response; null for a {@code MatrixCall<Void>}
   */
  void onSuccess(T result);

  /**
   * The call failed; {@code failure} is one of the three kinds of {@link MatrixException}.
   *
   * @param failure the failure
   */
  void onFailure(MatrixException failure);
}
