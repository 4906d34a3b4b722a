package io.melo.matrix.internal;

import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixCallback;
import io.melo.matrix.MatrixException;
import java.util.concurrent.CompletableFuture;

/** {@link MatrixCall#future()} for every call kind: one place that links the future and the call. */
final class CallFutures {

  private CallFutures() {}

  /** Enqueues {@code call}; the future completes with its outcome, and cancelling it cancels the call. */
  static <T> CompletableFuture<T> of(MatrixCall<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    future.whenComplete(
        (value, failure) -> {
          if (future.isCancelled()) {
            call.cancel();
          }
        });
    call.enqueue(
        new MatrixCallback<T>() {
          @Override
          public void onSuccess(T result) {
            future.complete(result);
          }

          @Override
          public void onFailure(MatrixException failure) {
            future.completeExceptionally(failure);
          }
        });
    return future;
  }
}
