package io.melo.matrix.internal;

import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixCallback;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixProtocolException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A call made of two requests: the second is built from the first's answer (for example media that
 * first needs {@code /versions}). Cancelling cancels whichever request is running.
 */
public final class ChainedCall<A, T> implements MatrixCall<T> {

  private final MatrixCall<A> first;
  private final Function<? super A, MatrixCall<T>> then;
  private final AtomicBoolean executed = new AtomicBoolean();
  private volatile boolean canceled;
  private volatile MatrixCall<?> current;

  /** Runs {@code first}, then the call {@code then} makes of its answer. */
  public ChainedCall(MatrixCall<A> first, Function<? super A, MatrixCall<T>> then) {
    this.first = Objects.requireNonNull(first, "first");
    this.then = Objects.requireNonNull(then, "then");
  }

  @Override
  public T execute() {
    start();
    current = first;
    if (canceled) {
      first.cancel();
    }
    A answer = first.execute();
    MatrixCall<T> second = second(answer);
    current = second;
    if (canceled) {
      second.cancel();
    }
    return second.execute();
  }

  @Override
  public void enqueue(MatrixCallback<? super T> callback) {
    Objects.requireNonNull(callback, "callback");
    start();
    current = first;
    if (canceled) {
      first.cancel();
    }
    first.enqueue(
        new MatrixCallback<A>() {
          @Override
          public void onSuccess(A answer) {
            MatrixCall<T> second;
            try {
              second = second(answer);
            } catch (MatrixException e) {
              callback.onFailure(e);
              return;
            }
            current = second;
            if (canceled) {
              second.cancel();
            }
            second.enqueue(callback);
          }

          @Override
          public void onFailure(MatrixException failure) {
            callback.onFailure(failure);
          }
        });
  }

  @Override
  public CompletableFuture<T> future() {
    return CallFutures.of(this);
  }

  private MatrixCall<T> second(A answer) {
    try {
      return Objects.requireNonNull(then.apply(answer), "next call");
    } catch (MatrixException e) {
      throw e;
    } catch (IllegalStateException e) {
      // the client was closed between the two requests
      throw new io.melo.matrix.MatrixNetworkException(
          "the second request could not start: " + e.getMessage(), false, e);
    } catch (RuntimeException e) {
      throw new MatrixProtocolException("could not continue after the first request: " + e.getMessage(), e);
    }
  }

  private void start() {
    if (!executed.compareAndSet(false, true)) {
      throw new IllegalStateException("this call already ran; use copy()");
    }
  }

  @Override
  public void cancel() {
    canceled = true;
    MatrixCall<?> running = current;
    if (running != null) {
      running.cancel();
    }
  }

  @Override
  public boolean isExecuted() {
    return executed.get();
  }

  @Override
  public MatrixCall<T> copy() {
    return new ChainedCall<>(first.copy(), then);
  }
}
