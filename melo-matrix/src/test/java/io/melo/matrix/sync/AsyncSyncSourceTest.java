package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AsyncSyncSource#fromBlocking}: a blocking source's fetches as tasks on an executor. */
class AsyncSyncSourceTest {

  final ExecutorService executor = Executors.newCachedThreadPool();
  final SyncRequest request = SyncRequest.builder().build();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** Records the one outcome of a fetch. */
  static final class Outcome implements AsyncSyncSource.Callback {
    final CompletableFuture<Object> result = new CompletableFuture<>();

    @Override
    public void onResponse(SyncResponse response) {
      result.complete(response);
    }

    @Override
    public void onFailure(MatrixException failure) {
      result.complete(failure);
    }

    Object get() throws Exception {
      return result.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anAnswerAndAFailureReachTheCallback() throws Exception {
    MatrixNetworkException down = new MatrixNetworkException("down", false, null);
    AsyncSyncSource ok = AsyncSyncSource.fromBlocking(r -> SyncResponse.empty("n1"), executor);
    AsyncSyncSource failing = AsyncSyncSource.fromBlocking(r -> {
      throw down;
    }, executor);
    Outcome first = new Outcome();
    Outcome second = new Outcome();
    ok.fetch(request, first);
    failing.fetch(request, second);
    assertThat(first.get()).isInstanceOfSatisfying(SyncResponse.class, r -> assertThat(r.nextBatch()).isEqualTo("n1"));
    assertThat(second.get()).isSameAs(down);
  }

  @Test
  void aNullAnswerIsABrokenAnswer() throws Exception {
    Outcome outcome = new Outcome();
    AsyncSyncSource.fromBlocking(r -> null, executor).fetch(request, outcome);
    assertThat(outcome.get()).isInstanceOf(MatrixProtocolException.class)
        .extracting(o -> ((Exception) o).getMessage()).asString().contains("no answer");
  }

  @Test
  void aRefusedTaskIsANetworkFailure() throws Exception {
    Outcome outcome = new Outcome();
    AsyncSyncSource.fromBlocking(r -> SyncResponse.empty("n1"), task -> {
      throw new RejectedExecutionException("pool is full");
    }).fetch(request, outcome);
    assertThat(outcome.get()).isInstanceOf(MatrixNetworkException.class)
        .extracting(o -> ((Exception) o).getMessage()).asString().contains("pool is full");
  }

  @Test
  void cancellingAFetchInterruptsItsThreadAndDropsTheLateAnswer() throws Exception {
    CountDownLatch fetching = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch returned = new CountDownLatch(1);
    AsyncSyncSource source = AsyncSyncSource.fromBlocking(r -> {
      fetching.countDown();
      try {
        new CountDownLatch(1).await(); // a long poll that only an interrupt ends
      } catch (InterruptedException e) {
        interrupted.set(true);
      } finally {
        returned.countDown();
      }
      return SyncResponse.empty("late");
    }, executor);
    Outcome outcome = new Outcome();
    AsyncSyncSource.Cancellable handle = source.fetch(request, outcome);
    assertThat(fetching.await(5, TimeUnit.SECONDS)).isTrue();
    handle.cancel();
    assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted).isTrue();
    executor.shutdown();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(outcome.result).isNotDone(); // the answer after the cancel was dropped
  }

  @Test
  void cancellingTheSourceCancelsTheBlockingSourceAndRefusesLaterFetches() throws Exception {
    AtomicBoolean sourceCancelled = new AtomicBoolean();
    AsyncSyncSource source = AsyncSyncSource.fromBlocking(new SyncSource() {
      @Override
      public SyncResponse fetch(SyncRequest r) {
        return SyncResponse.empty("n1");
      }

      @Override
      public void cancel() {
        sourceCancelled.set(true);
      }
    }, executor);
    source.cancel();
    assertThat(sourceCancelled).isTrue();
    Outcome outcome = new Outcome();
    source.fetch(request, outcome);
    assertThat(outcome.result).isDone();
    assertThat(outcome.get()).isInstanceOf(MatrixNetworkException.class);
  }

  @Test
  void aBlockingSourceThatThrowsABugStopsAThreadedLoopInError() throws Exception {
    IllegalStateException bug = new IllegalStateException("source bug");
    SyncLoop loop = SyncLoop.builder(r -> {
      throw bug;
    }, batch -> { }).build();
    loop.start();
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.ERROR);
    assertThat(loop.failure()).containsSame(bug);
  }
}
