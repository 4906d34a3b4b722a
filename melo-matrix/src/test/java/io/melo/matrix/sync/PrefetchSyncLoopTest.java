package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.sync.AsyncSyncLoopTest.FakeAsyncSource;
import io.melo.matrix.sync.AsyncSyncLoopTest.ManualTimer;
import io.melo.matrix.sync.AsyncSyncLoopTest.Pending;
import io.melo.matrix.sync.AsyncSyncLoopTest.Scheduled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncLoop.Builder#prefetch}: the next long poll goes out while the consumer's stage for the
 * batch before it is pending, and its answer is handled only after that batch was acknowledged.
 */
class PrefetchSyncLoopTest {

  final List<SyncLoop> loops = new ArrayList<>();
  final ManualTimer timer = new ManualTimer();
  /** One worker: {@link #drainWorker()} then tells when the loop's steps are over. */
  final ExecutorService workers = Executors.newFixedThreadPool(1, r -> {
    Thread t = new Thread(r, "test-worker");
    t.setDaemon(true);
    return t;
  });
  final SyncRuntime runtime = new SyncRuntime(workers, timer, 1);
  final FakeAsyncSource source = new FakeAsyncSource();
  final InMemorySyncStore store = new InMemorySyncStore();
  final BlockingQueue<SyncState> states = new LinkedBlockingQueue<>();
  /** Each batch handed to the consumer, with the token saved at that moment. */
  final BlockingQueue<String> handed = new LinkedBlockingQueue<>();
  final BlockingQueue<CompletableFuture<Void>> stages = new LinkedBlockingQueue<>();

  /** Records each batch (as "token saved-before") and returns a stage the test completes. */
  final SyncConsumer consumer = new SyncConsumer() {
    @Override
    public void accept(SyncBatch batch) {
      throw new AssertionError("the loop must use acceptAsync");
    }

    @Override
    public CompletionStage<Void> acceptAsync(SyncBatch batch) {
      CompletableFuture<Void> stage = new CompletableFuture<>();
      handed.add(batch.response().nextBatch() + " after " + store.load().orElse("-"));
      stages.add(stage);
      return stage;
    }
  };

  SyncLoop start(SyncConsumer consumer) {
    SyncLoop loop = SyncLoop.builder(source, consumer).runtime(runtime).store(store).prefetch(true)
        .listener((state, cause) -> states.add(state)).random(() -> 0.5)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build();
    loops.add(loop);
    loop.start();
    return loop;
  }

  CompletableFuture<Void> nextStage() throws InterruptedException {
    CompletableFuture<Void> stage = stages.poll(5, TimeUnit.SECONDS);
    assertThat(stage).as("a batch reached the consumer").isNotNull();
    return stage;
  }

  /** Waits until the worker has run everything queued so far. */
  void drainWorker() throws Exception {
    CompletableFuture.runAsync(() -> { }, workers).get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    loops.forEach(SyncLoop::close);
    workers.shutdownNow();
  }

  @Test
  void theNextPollGoesOutDuringDeliveryAndItsAnswerWaitsUntilTheBatchIsSaved() throws Exception {
    start(consumer);
    Pending initial = source.next();
    assertThat(initial.request.timeout()).isEqualTo(Duration.ZERO);
    initial.answer("b1");
    CompletableFuture<Void> stage = nextStage();
    assertThat(handed.poll()).isEqualTo("b1 after -");
    for (int n = 2; n <= 5; n++) {
      Pending early = source.next(); // while the stage of the batch before is still pending
      assertThat(early.request.since()).isEqualTo("b" + (n - 1));
      assertThat(early.request.timeout()).as("a long poll, not a catch-up").isEqualTo(Duration.ofSeconds(30));
      assertThat(store.load()).as("not saved before its stage completes").isEqualTo(
          n == 2 ? Optional.empty() : Optional.of("b" + (n - 2)));
      early.answer("b" + n);
      drainWorker();
      assertThat(handed).as("no batch while the one before is delivered").isEmpty();
      assertThat(stages).isEmpty();
      stage.complete(null);
      stage = nextStage();
      assertThat(handed.poll()).as("delivered after the batch before it was saved").isEqualTo(
          "b" + n + " after b" + (n - 1));
    }
    // The poll after b5 goes out once b5 is handed over (on the worker): wait for it, then no other.
    Pending last = source.next();
    assertThat(last.request.since()).isEqualTo("b5");
    drainWorker();
    assertThat(source.fetches).as("one request per batch, none repeated").isEmpty();
  }

  @Test
  void anEarlyAnswerThatComesAfterTheBatchWasSavedIsDeliveredAsItArrives() throws Exception {
    start(consumer);
    source.next().answer("b1");
    CompletableFuture<Void> stage = nextStage();
    Pending early = source.next();
    stage.complete(null);
    drainWorker();
    assertThat(store.load()).contains("b1");
    assertThat(source.fetches).as("the loop waits for the early request, it does not ask again").isEmpty();
    early.answer("b2");
    nextStage();
    assertThat(handed).containsExactly("b1 after -", "b2 after b1");
  }

  @Test
  void closeDuringDeliveryCancelsTheEarlyPollAndDropsItsAnswer() throws Exception {
    for (boolean answeredBeforeClose : new boolean[] {true, false}) {
      handed.clear();
      SyncLoop loop = start(consumer);
      Pending initial = source.next();
      initial.answer("c1");
      CompletableFuture<Void> stage = nextStage();
      Pending early = source.next();
      if (answeredBeforeClose) {
        early.answer("c2");
      }
      loop.close();
      assertThat(early.cancelled).as("the early poll is cancelled").isTrue();
      if (!answeredBeforeClose) {
        early.answer("c2"); // an answer that still comes is ignored
      }
      stage.complete(null); // the batch that was out is seen through and saved
      assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
      drainWorker();
      assertThat(store.load()).contains("c1");
      assertThat(handed).as("the early answer never reaches the consumer").containsExactly("c1 after -");
      assertThat(source.fetches).as("no request after close").isEmpty();
      assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
      store.clear();
    }
  }

  @Test
  void aFailedEarlyPollIsHandledAfterTheBatchLikeAnyFailedPoll() throws Exception {
    SyncLoop loop = start(consumer);
    source.next().answer("f1");
    CompletableFuture<Void> stage = nextStage();
    source.next().fail(new MatrixNetworkException("connection reset", true, null));
    drainWorker();
    assertThat(timer.scheduled).as("no backoff while the batch before is delivered").isEmpty();
    assertThat(loop.state()).isNotEqualTo(SyncState.RECONNECTING);
    stage.complete(null);
    Scheduled retry = timer.next();
    assertThat(store.load()).contains("f1");
    assertThat(loop.state()).isEqualTo(SyncState.RECONNECTING);
    retry.fire();
    Pending again = source.next();
    assertThat(again.request.since()).isEqualTo("f1");
    assertThat(again.request.timeout()).as("catch-up after a failure").isEqualTo(Duration.ZERO);
    again.answer("f2");
    nextStage();
    assertThat(handed).containsExactly("f1 after -", "f2 after f1");
  }

  @Test
  void aBatchDeliveredAgainAfterAFailedStageStillComesBeforeTheEarlyAnswer() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    SyncConsumer failingOnce = new SyncConsumer() {
      @Override
      public void accept(SyncBatch batch) {
        throw new AssertionError("the loop must use acceptAsync");
      }

      @Override
      public CompletionStage<Void> acceptAsync(SyncBatch batch) {
        handed.add(batch.response().nextBatch());
        if (batch.response().nextBatch().equals("r1") && attempts.incrementAndGet() == 1) {
          return CompletableFuture.failedFuture(new IllegalStateException("listener pool down"));
        }
        return CompletableFuture.completedFuture(null);
      }
    };
    start(failingOnce);
    source.next().answer("r1");
    Pending early = source.next();
    assertThat(early.request.since()).isEqualTo("r1");
    early.answer("r2");
    Scheduled retry = timer.next();
    drainWorker();
    assertThat(handed).as("r2 waits for r1").containsExactly("r1");
    retry.fire();
    Pending third = source.next();
    assertThat(third.request.since()).as("r1 again, then r2 from the early poll, not asked again").isEqualTo("r2");
    drainWorker();
    assertThat(handed).containsExactly("r1", "r1", "r2");
    assertThat(store.load()).contains("r2");
  }

  @Test
  void onlyAnEventDrivenLoopPrefetches() {
    SyncSource blocking = request -> SyncResponse.empty("x");
    assertThatThrownBy(() -> SyncLoop.builder(blocking, consumer).prefetch(true))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("event-driven");
  }
}
