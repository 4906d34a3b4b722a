package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.sync.AsyncSyncLoopTest.FakeAsyncSource;
import io.melo.matrix.sync.AsyncSyncLoopTest.ManualTimer;
import io.melo.matrix.sync.AsyncSyncLoopTest.Pending;
import io.melo.matrix.sync.AsyncSyncLoopTest.Scheduled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consumers that hand their batches on ({@link SyncConsumer#acceptAsync}): the loop waits for their
 * stage without holding a runtime worker, and saves the token and fetches on only when it completes.
 */
class AsyncConsumerSyncLoopTest {

  final List<SyncLoop> loops = new ArrayList<>();
  final List<ExecutorService> executors = new ArrayList<>();
  final ManualTimer timer = new ManualTimer();
  final ExecutorService workers = executor("test-worker", 1);
  /** One worker and a hand-fired timer: {@link #drainWorker()} tells when the loop's step is over. */
  final SyncRuntime manualRuntime = new SyncRuntime(workers, timer, 1);

  /** Waits until the runtime's one worker has run everything queued so far. */
  void drainWorker() throws Exception {
    CompletableFuture.runAsync(() -> { }, workers).get(5, TimeUnit.SECONDS);
  }

  /** A consumer that hands each batch to {@code listeners} and completes when they have run it. */
  static SyncConsumer handingOnTo(Executor listeners, SyncConsumer listener) {
    return new SyncConsumer() {
      @Override
      public void accept(SyncBatch batch) {
        throw new AssertionError("the loop must use acceptAsync");
      }

      @Override
      public CompletionStage<Void> acceptAsync(SyncBatch batch) {
        return CompletableFuture.runAsync(() -> {
          try {
            listener.accept(batch);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, listeners);
      }
    };
  }

  ExecutorService executor(String name, int threads) {
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executors.add(executor);
    return executor;
  }

  SyncLoop start(SyncLoop.Builder builder) {
    SyncLoop loop = builder.random(() -> 0.5).backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build();
    loops.add(loop);
    loop.start();
    return loop;
  }

  @AfterEach
  void stop() {
    loops.forEach(SyncLoop::close);
    executors.forEach(ExecutorService::shutdownNow);
  }

  @Test
  void nineLoopsWithBlockedListenersDoNotHoldTheEightWorkersThatATenthNeeds() throws Exception {
    int slowLoops = 9;
    try (SyncRuntime runtime = SyncRuntime.create(8)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch allBlocked = new CountDownLatch(slowLoops);
      List<FakeAsyncSource> slowSources = new ArrayList<>();
      List<InMemorySyncStore> slowStores = new ArrayList<>();
      List<BlockingQueue<String>> slowSeen = new ArrayList<>();
      for (int i = 0; i < slowLoops; i++) {
        FakeAsyncSource source = new FakeAsyncSource();
        InMemorySyncStore store = new InMemorySyncStore();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        // Each client's listeners run on an executor of its own, and block until released.
        start(SyncLoop.builder(source, handingOnTo(executor("slow-listener-" + i, 1), batch -> {
          seen.add(batch.response().nextBatch());
          allBlocked.countDown();
          release.await();
        })).runtime(runtime).store(store));
        slowSources.add(source);
        slowStores.add(store);
        slowSeen.add(seen);
      }
      for (FakeAsyncSource source : slowSources) {
        source.next().answer("s1");
      }
      assertThat(allBlocked.await(10, TimeUnit.SECONDS)).as("all nine listeners got their batch and block").isTrue();

      FakeAsyncSource fastSource = new FakeAsyncSource();
      InMemorySyncStore fastStore = new InMemorySyncStore();
      BlockingQueue<String> fastSeen = new LinkedBlockingQueue<>();
      start(SyncLoop.builder(fastSource, handingOnTo(executor("fast-listener", 1),
          batch -> fastSeen.add(batch.response().nextBatch()))).runtime(runtime).store(fastStore));
      for (int n = 1; n <= 3; n++) {
        Pending poll = fastSource.next();
        assertThat(poll.request.since()).isEqualTo(n == 1 ? null : "f" + (n - 1));
        poll.answer("f" + n);
        assertThat(fastSeen.poll(10, TimeUnit.SECONDS)).as("the tenth loop's batch " + n).isEqualTo("f" + n);
      }
      assertThat(fastSource.next().request.since()).as("the tenth loop saved and polls on").isEqualTo("f3");
      assertThat(fastStore.load()).contains("f3");

      for (int i = 0; i < slowLoops; i++) {
        assertThat(slowStores.get(i).load()).as("not saved while its listener runs").isEmpty();
        assertThat(slowSources.get(i).fetches).as("no next request while its listener runs").isEmpty();
      }
      release.countDown();
      for (int i = 0; i < slowLoops; i++) {
        Pending next = slowSources.get(i).next();
        assertThat(next.request.since()).isEqualTo("s1");
        assertThat(slowStores.get(i).load()).contains("s1");
        next.answer("s2");
        assertThat(slowSeen.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("s1");
        assertThat(slowSeen.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("s2");
      }
    }
  }

  @Test
  void theTokenIsSavedAndTheNextRequestSentOnlyWhenTheStageCompletes() throws Exception {
    FakeAsyncSource source = new FakeAsyncSource();
    InMemorySyncStore store = new InMemorySyncStore();
    BlockingQueue<CompletableFuture<Void>> stages = new LinkedBlockingQueue<>();
    BlockingQueue<String> handed = new LinkedBlockingQueue<>();
    SyncLoop loop = start(SyncLoop.builder(source, asyncConsumer(handed, stages)).runtime(manualRuntime).store(store));
    source.next().answer("n1");
    CompletableFuture<Void> first = stages.poll(5, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(handed.poll()).isEqualTo("n1");
    drainWorker();
    assertThat(source.fetches).as("no request while the batch is handled").isEmpty();
    assertThat(store.load()).isEmpty();
    assertThat(loop.state()).isEqualTo(SyncState.CONNECTING);

    first.complete(null);
    Pending second = source.next();
    assertThat(second.request.since()).isEqualTo("n1");
    assertThat(store.load()).contains("n1");
    second.answer("n2");
    assertThat(handed.poll(5, TimeUnit.SECONDS)).isEqualTo("n2");
    assertThat(stages.poll(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aStageThatFailsHasTheBatchDeliveredAgainAndThenGivenUp() throws Exception {
    FakeAsyncSource source = new FakeAsyncSource();
    InMemorySyncStore store = new InMemorySyncStore();
    BlockingQueue<String> handed = new LinkedBlockingQueue<>();
    AtomicReference<Exception> deadLetter = new AtomicReference<>();
    IllegalStateException failure = new IllegalStateException("listener pool down");
    SyncConsumer failing = new SyncConsumer() {
      @Override
      public void accept(SyncBatch batch) {
        throw new AssertionError("the loop must use acceptAsync");
      }

      @Override
      public CompletionStage<Void> acceptAsync(SyncBatch batch) {
        handed.add(batch.response().nextBatch());
        return CompletableFuture.failedFuture(failure);
      }

      @Override
      public void onDeliveryFailed(SyncBatch batch, Exception lastFailure) {
        deadLetter.set(lastFailure);
      }
    };
    start(SyncLoop.builder(source, failing).runtime(manualRuntime).store(store).maxDeliveryAttempts(2));
    source.next().answer("n1");
    assertThat(handed.poll(5, TimeUnit.SECONDS)).isEqualTo("n1");
    Scheduled retry = timer.next();
    assertThat(store.load()).isEmpty();
    retry.fire();
    assertThat(handed.poll(5, TimeUnit.SECONDS)).as("the same batch again").isEqualTo("n1");
    assertThat(source.next().request.since()).as("given up after two attempts").isEqualTo("n1");
    assertThat(deadLetter.get()).isSameAs(failure);
    assertThat(store.load()).contains("n1");
  }

  @Test
  void aNullStageIsAFailedDelivery() throws Exception {
    FakeAsyncSource source = new FakeAsyncSource();
    AtomicReference<Exception> deadLetter = new AtomicReference<>();
    SyncConsumer broken = new SyncConsumer() {
      @Override
      public void accept(SyncBatch batch) {}

      @Override
      public CompletionStage<Void> acceptAsync(SyncBatch batch) {
        return null;
      }

      @Override
      public void onDeliveryFailed(SyncBatch batch, Exception lastFailure) {
        deadLetter.set(lastFailure);
      }
    };
    start(SyncLoop.builder(source, broken).runtime(manualRuntime).maxDeliveryAttempts(1));
    source.next().answer("n1");
    source.next();
    assertThat(deadLetter.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acceptAsync returned null");
  }

  @Test
  void closeDuringAPendingStageDoesNotWaitAndTheStageDecidesTheToken() throws Exception {
    for (boolean succeeds : new boolean[] {true, false}) {
      FakeAsyncSource source = new FakeAsyncSource();
      InMemorySyncStore store = new InMemorySyncStore();
      BlockingQueue<CompletableFuture<Void>> stages = new LinkedBlockingQueue<>();
      BlockingQueue<SyncState> states = new LinkedBlockingQueue<>();
      SyncLoop loop = start(SyncLoop.builder(source, asyncConsumer(new LinkedBlockingQueue<>(), stages))
          .runtime(manualRuntime).store(store).listener((state, cause) -> states.add(state))
          .closeTimeout(Duration.ofMinutes(5)));
      source.next().answer("n1");
      CompletableFuture<Void> stage = stages.poll(5, TimeUnit.SECONDS);
      assertThat(stage).isNotNull();

      loop.close(); // returns at once although the close timeout is long: nothing to interrupt
      drainWorker();
      assertThat(loop.awaitTermination(Duration.ZERO)).as("the stage is still pending").isFalse();
      if (succeeds) {
        stage.complete(null);
      } else {
        stage.completeExceptionally(new IllegalStateException("cut"));
      }
      assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
      assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
      assertThat(store.load()).as("saved only if the stage completed normally").isEqualTo(
          succeeds ? java.util.Optional.of("n1") : java.util.Optional.empty());
      assertThat(source.fetches).as("no request after close").isEmpty();
      assertThat(timer.scheduled).as("no retry after close").isEmpty();
    }
  }

  @Test
  void aCloseFromTheThreadThatCompletesTheStageDoesNotDeadlock() throws Exception {
    FakeAsyncSource source = new FakeAsyncSource();
    InMemorySyncStore store = new InMemorySyncStore();
    AtomicReference<SyncLoop> self = new AtomicReference<>();
    ExecutorService listeners = executor("closing-listener", 1);
    SyncLoop loop = start(SyncLoop.builder(source, handingOnTo(listeners, batch -> self.get().close()))
        .runtime(manualRuntime).store(store).closeTimeout(Duration.ofMinutes(5)));
    self.set(loop);
    source.next().answer("n1");
    assertThat(loop.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(store.load()).contains("n1");
    assertThat(source.fetches).isEmpty();
  }

  @Test
  void aThreadedLoopWaitsForTheStageToo() throws Exception {
    BlockingQueue<SyncResponse> answers = new LinkedBlockingQueue<>();
    BlockingQueue<SyncRequest> requests = new LinkedBlockingQueue<>();
    SyncSource blocking = new SyncSource() {
      @Override
      public SyncResponse fetch(SyncRequest request) {
        requests.add(request);
        try {
          return answers.take();
        } catch (InterruptedException e) {
          throw new io.melo.matrix.MatrixNetworkException("interrupted", false, null);
        }
      }
    };
    InMemorySyncStore store = new InMemorySyncStore();
    BlockingQueue<CompletableFuture<Void>> stages = new LinkedBlockingQueue<>();
    BlockingQueue<String> handed = new LinkedBlockingQueue<>();
    SyncLoop loop = start(SyncLoop.builder(blocking, asyncConsumer(handed, stages)).store(store));
    assertThat(requests.poll(5, TimeUnit.SECONDS)).isNotNull();
    answers.add(SyncResponse.empty("n1"));
    CompletableFuture<Void> stage = stages.poll(5, TimeUnit.SECONDS);
    assertThat(stage).isNotNull();
    assertThat(requests).isEmpty();
    stage.complete(null);
    assertThat(requests.poll(5, TimeUnit.SECONDS).since()).isEqualTo("n1");
    assertThat(store.load()).contains("n1");
    loop.close();
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void anAnswerDeliveredOnTheOfferedExecutorIsHandledOnThatThreadWithoutAnotherHandOver() throws Exception {
    AtomicReference<Executor> offered = new AtomicReference<>();
    BlockingQueue<AsyncSyncSource.Callback> callbacks = new LinkedBlockingQueue<>();
    AsyncSyncSource source = new AsyncSyncSource() {
      @Override
      public Cancellable fetch(SyncRequest request, Callback callback) {
        throw new AssertionError("an event-driven loop offers its executor");
      }

      @Override
      public Cancellable fetch(SyncRequest request, Executor executor, Callback callback) {
        offered.set(executor);
        callbacks.add(callback);
        return () -> { };
      }
    };
    AtomicInteger workerTasks = new AtomicInteger();
    Executor counting = task -> {
      workerTasks.incrementAndGet();
      workers.execute(task);
    };
    SyncRuntime runtime = new SyncRuntime(counting, timer, 2);
    BlockingQueue<String> consumerThreads = new LinkedBlockingQueue<>();
    start(SyncLoop.builder(source, batch -> consumerThreads.add(Thread.currentThread().getName()))
        .runtime(runtime));
    AsyncSyncSource.Callback first = callbacks.poll(5, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    int before = workerTasks.get();
    BlockingQueue<String> answerThreads = new LinkedBlockingQueue<>();
    offered.get().execute(() -> {
      answerThreads.add(Thread.currentThread().getName());
      first.onResponse(SyncResponse.empty("n1"));
    });
    assertThat(consumerThreads.poll(5, TimeUnit.SECONDS)).isEqualTo(answerThreads.poll(5, TimeUnit.SECONDS));
    assertThat(callbacks.poll(5, TimeUnit.SECONDS)).as("the next poll").isNotNull();
    assertThat(workerTasks.get() - before).as("only the answer task ran on the runtime").isEqualTo(1);
  }

  @Test
  void anAnswerFromAnotherThreadIsHandedToAWorker() throws Exception {
    FakeAsyncSource source = new FakeAsyncSource();
    BlockingQueue<String> consumerThreads = new LinkedBlockingQueue<>();
    start(SyncLoop.builder(source, batch -> consumerThreads.add(Thread.currentThread().getName()))
        .runtime(manualRuntime));
    Pending first = source.next();
    Thread transport = new Thread(() -> first.answer("n1"), "transport");
    transport.start();
    assertThat(consumerThreads.poll(5, TimeUnit.SECONDS)).isEqualTo("test-worker");
  }

  /** Records each batch's token and leaves its stage to the test. */
  static SyncConsumer asyncConsumer(BlockingQueue<String> handed, BlockingQueue<CompletableFuture<Void>> stages) {
    return new SyncConsumer() {
      @Override
      public void accept(SyncBatch batch) {
        throw new AssertionError("the loop must use acceptAsync");
      }

      @Override
      public CompletionStage<Void> acceptAsync(SyncBatch batch) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        handed.add(batch.response().nextBatch());
        stages.add(stage);
        return stage;
      }
    };
  }
}
