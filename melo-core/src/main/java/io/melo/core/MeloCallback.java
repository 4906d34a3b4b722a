package io.melo.core;

/**
 * Receives the outcome of {@link MeloCall#enqueue(MeloCallback)}. Exactly one of the two methods
 * runs, once, on the client's event executor (the thread that runs listeners), so a callback and
 * the live events it causes never race each other.
 *
 * @param <T> the result of the operation
 */
public interface MeloCallback<T> {

  /**
   * The operation succeeded with {@code result}.
   *
   * @param result the operation's result; null for a {@code MeloCall<Void>}
   */
  void onSuccess(T result);

  /**
   * The operation failed; {@code failure} says why and who has to act.
   *
   * @param failure the failure; its type says who has to act
   */
  void onFailure(MeloException failure);
}
