package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixCall;
import io.melo.matrix.MatrixCallback;
import io.melo.matrix.MatrixNetworkException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyncSourceTest {

  /** A call whose execute() blocks until cancelled, like a long poll. */
  static final class LongPoll implements MatrixCall<SyncResponse> {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);

    @Override
    public SyncResponse execute() {
      started.countDown();
      try {
        if (cancelled.await(5, TimeUnit.SECONDS)) {
          throw new MatrixNetworkException("Canceled", true, null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SyncResponse.empty("late");
    }

    @Override
    public void enqueue(MatrixCallback<? super SyncResponse> callback) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<SyncResponse> future() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void cancel() {
      cancelled.countDown();
    }

    @Override
    public boolean isExecuted() {
      return started.getCount() == 0;
    }

    @Override
    public MatrixCall<SyncResponse> copy() {
      return new LongPoll();
    }
  }

  @Test
  void fromCallsCancelsTheCallInFlightAndRefusesLaterFetches() throws Exception {
    LongPoll call = new LongPoll();
    SyncSource source = SyncSource.fromCalls(request -> call);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<SyncResponse> fetch = executor.submit(() -> source.fetch(SyncRequest.builder().build()));
      assertThat(call.started.await(5, TimeUnit.SECONDS)).isTrue();
      source.cancel();
      assertThatThrownBy(() -> fetch.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(MatrixNetworkException.class);
      assertThatThrownBy(() -> source.fetch(SyncRequest.builder().build()))
          .isInstanceOf(MatrixNetworkException.class).hasMessageContaining("cancelled");
    } finally {
      executor.shutdownNow();
    }
  }
}
