package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event-driven loop over a truly non-blocking source: timers, cancellation, shared threads. */
class AsyncSyncLoopTest {

  /** A non-blocking fake homeserver: every fetch waits in {@link #fetches} until the test answers it. */
  static final class FakeAsyncSource implements AsyncSyncSource {
    final BlockingQueue<Pending> fetches = new LinkedBlockingQueue<>();
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public Cancellable fetch(SyncRequest request, Callback callback) {
      Pending pending = new Pending(request, callback);
      fetches.add(pending);
      return pending::cancel;
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }

    Pending next() throws InterruptedException {
      Pending pending = fetches.poll(5, TimeUnit.SECONDS);
      assertThat(pending).as("the loop sent a request").isNotNull();
      return pending;
    }
  }

  /** One request in flight. */
  static final class Pending {
    final SyncRequest request;
    final AsyncSyncSource.Callback callback;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Pending(SyncRequest request, AsyncSyncSource.Callback callback) {
      this.request = request;
      this.callback = callback;
    }

    void cancel() {
      cancelled.set(true);
    }

    void answer(String nextBatch) {
      callback.onResponse(SyncResponse.empty(nextBatch));
    }

    void fail(MatrixException e) {
      callback.onFailure(e);
    }
  }

  /** A timer the test fires by hand. */
  static final class ManualTimer implements SyncRuntime.Timer {
    final BlockingQueue<Scheduled> scheduled = new LinkedBlockingQueue<>();

    @Override
    public AsyncSyncSource.Cancellable schedule(Duration delay, Runnable task) {
      Scheduled s = new Scheduled(delay, task);
      scheduled.add(s);
      return () -> s.cancelled.set(true);
    }

    Scheduled next() throws InterruptedException {
      Scheduled s = scheduled.poll(5, TimeUnit.SECONDS);
      assertThat(s).as("the loop scheduled a wait").isNotNull();
      return s;
    }
  }

  record Scheduled(Duration delay, Runnable task, AtomicBoolean cancelled) {
    Scheduled(Duration delay, Runnable task) {
      this(delay, task, new AtomicBoolean());
    }

    void fire() {
      if (!cancelled.get()) {
        task.run();
      }
    }
  }

  final FakeAsyncSource source = new FakeAsyncSource();
  final ManualTimer timer = new ManualTimer();
  final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "test-worker");
    t.setDaemon(true);
    return t;
  });
  final SyncRuntime runtime = new SyncRuntime(workers, timer, 2);
  final BlockingQueue<SyncBatch> delivered = new LinkedBlockingQueue<>();
  final BlockingQueue<SyncState> states = new LinkedBlockingQueue<>();
  final InMemorySyncStore store = new InMemorySyncStore();
  final List<SyncLoop> loops = new ArrayList<>();

  SyncLoop.Builder builder(AsyncSyncSource source, SyncConsumer consumer) {
    return SyncLoop.builder(source, consumer)
        .runtime(runtime)
        .store(store)
        .listener((state, cause) -> states.add(state))
        .random(() -> 0.5)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  SyncLoop start(SyncLoop loop) {
    loops.add(loop);
    loop.start();
    return loop;
  }

  @AfterEach
  void stop() {
    loops.forEach(SyncLoop::close);
    workers.shutdownNow();
  }

  SyncBatch next() throws InterruptedException {
    return SyncQueues.next(delivered);
  }

  void awaitState(SyncState expected) throws InterruptedException {
    SyncQueues.awaitState(states, expected);
  }

  @Test
  void backoffWaitsAreTimersOfTheRuntimeAndTheLoopCatchesUpAfterwards() throws Exception {
    SyncLoop loop = start(builder(source, delivered::add).build());
    source.next().fail(new MatrixNetworkException("connection refused", false, null));
    Scheduled first = timer.next();
    assertThat(first.delay()).isEqualTo(Duration.ofMillis(750));
    awaitState(SyncState.RECONNECTING);
    assertThat(source.fetches).as("no request while waiting").isEmpty();
    first.fire();
    Pending second = source.next();
    second.fail(new MatrixProtocolException("not JSON", null));
    assertThat(timer.next().delay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(second.request.timeout()).isEqualTo(Duration.ZERO);
    assertThat(loop.state()).isEqualTo(SyncState.RECONNECTING);
  }

  @Test
  void closeDuringABackoffWaitCancelsTheTimerAndEndsAtOnce() throws Exception {
    SyncLoop loop = start(builder(source, delivered::add).build());
    source.next().fail(new MatrixNetworkException("down", false, null));
    Scheduled wait = timer.next();
    loop.close();
    assertThat(wait.cancelled()).isTrue();
    assertThat(loop.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
    wait.task().run(); // a timer that fires anyway changes nothing
    assertThat(source.fetches).isEmpty();
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
  }

  @Test
  void closeCancelsTheFetchInFlightAndALateAnswerIsNeverDelivered() throws Exception {
    SyncLoop loop = start(builder(source, delivered::add).build());
    source.next().answer("n1");
    assertThat(next().response().nextBatch()).isEqualTo("n1");
    Pending poll = source.next();
    assertThat(poll.request.since()).isEqualTo("n1");
    loop.close();
    assertThat(poll.cancelled).isTrue();
    assertThat(source.cancelled).isTrue();
    assertThat(loop.awaitTermination(Duration.ZERO)).isTrue();
    poll.answer("late");
    poll.fail(new MatrixNetworkException("Canceled", false, null));
    assertThat(delivered).isEmpty();
    assertThat(store.load()).contains("n1");
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
  }

  @Test
  void aFailedDeliveryIsRetriedAfterATimer() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    start(builder(source, b -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("listener bug");
      }
      delivered.add(b);
    }).build());
    source.next().answer("n1");
    Scheduled retry = timer.next();
    assertThat(retry.delay()).isEqualTo(Duration.ofMillis(750));
    assertThat(delivered).isEmpty();
    assertThat(store.load()).isEmpty();
    retry.fire();
    assertThat(next().response().nextBatch()).isEqualTo("n1");
    assertThat(calls).hasValue(2);
  }

  @Test
  void theConsumerRunsOnARuntimeWorkerNotOnTheTransportsThread() throws Exception {
    AtomicReference<String> consumerThread = new AtomicReference<>();
    start(builder(source, b -> {
      consumerThread.set(Thread.currentThread().getName());
      delivered.add(b);
    }).build());
    Pending initial = source.next();
    Thread transport = new Thread(() -> initial.answer("n1"), "transport");
    transport.start();
    next();
    assertThat(consumerThread.get()).isEqualTo("test-worker");
  }

  @Test
  void aSourceThatAnswersBeforeFetchReturnsIsHandledInOrder() throws Exception {
    AtomicInteger count = new AtomicInteger();
    AsyncSyncSource immediate = (request, callback) -> {
      int n = count.incrementAndGet();
      if (n <= 3) {
        callback.onResponse(SyncResponse.empty("n" + n));
      } else {
        source.fetch(request, callback); // then a long poll that the test never answers
      }
      return () -> { };
    };
    SyncLoop loop = start(builder(immediate, delivered::add).build());
    assertThat(next().response().nextBatch()).isEqualTo("n1");
    assertThat(next().response().nextBatch()).isEqualTo("n2");
    assertThat(next().response().nextBatch()).isEqualTo("n3");
    assertThat(source.next().request.since()).isEqualTo("n3");
    assertThat(loop.state()).isEqualTo(SyncState.SYNCING);
  }

  @Test
  void aSourceThatThrowsInsteadOfCallingBackStopsTheLoopInError() throws Exception {
    IllegalStateException bug = new IllegalStateException("transport bug");
    SyncLoop loop = start(builder((request, callback) -> {
      throw bug;
    }, delivered::add).build());
    awaitState(SyncState.ERROR);
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.failure()).containsSame(bug);
  }

  @Test
  void aClosedRuntimeStopsItsLoopsInError() throws Exception {
    SyncRuntime own = SyncRuntime.create(1);
    SyncLoop loop = start(SyncLoop.builder(source, delivered::add).runtime(own).listener((s, c) -> states.add(s)).build());
    source.next().answer("n1");
    next();
    Pending poll = source.next();
    own.close();
    assertThat(own.isClosed()).isTrue();
    poll.answer("n2");
    awaitState(SyncState.ERROR);
    assertThat(loop.failure()).get().isInstanceOf(IllegalStateException.class)
        .extracting(Throwable::getMessage).asString().contains("runtime was closed");
    assertThat(loop.failure().get().getCause()).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void twoHundredLoopsRunOnAConstantNumberOfThreads() throws Exception {
    int clients = 200;
    int rounds = 5;
    try (SyncRuntime shared = SyncRuntime.create(2)) {
      List<FakeAsyncSource> sources = new ArrayList<>();
      List<List<String>> seen = new ArrayList<>();
      AtomicInteger overlapping = new AtomicInteger();
      CountDownLatch[] roundDone = new CountDownLatch[rounds + 1];
      for (int r = 0; r <= rounds; r++) {
        roundDone[r] = new CountDownLatch(clients);
      }
      int threadsBefore = Thread.getAllStackTraces().size();
      for (int i = 0; i < clients; i++) {
        FakeAsyncSource s = new FakeAsyncSource();
        List<String> mine = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean inside = new AtomicBoolean();
        sources.add(s);
        seen.add(mine);
        start(SyncLoop.builder(s, b -> {
          if (!inside.compareAndSet(false, true)) {
            overlapping.incrementAndGet();
          }
          mine.add(b.response().nextBatch());
          inside.set(false);
          roundDone[Integer.parseInt(b.response().nextBatch().substring(1))].countDown();
        }).runtime(shared).build());
      }
      for (int r = 0; r <= rounds; r++) {
        for (FakeAsyncSource s : sources) {
          s.next().answer("r" + r);
        }
        assertThat(roundDone[r].await(10, TimeUnit.SECONDS)).as("round " + r + " reached every loop").isTrue();
      }
      for (FakeAsyncSource s : sources) {
        assertThat(s.next().request.since()).isEqualTo("r" + rounds); // every loop polls again
      }
      int grown = Thread.getAllStackTraces().size() - threadsBefore;
      assertThat(grown).as("threads added by 200 loops: at most the runtime's 2 workers and its timer")
          .isLessThanOrEqualTo(3);
      assertThat(overlapping).hasValue(0);
      List<String> expected = new ArrayList<>();
      for (int r = 0; r <= rounds; r++) {
        expected.add("r" + r);
      }
      assertThat(seen).allSatisfy(list -> assertThat(list).containsExactlyElementsOf(expected));
      assertThat(loops).allSatisfy(l -> assertThat(l.state()).isEqualTo(SyncState.SYNCING));
      loops.forEach(SyncLoop::close);
      assertThat(loops).allSatisfy(l -> assertThat(l.state()).isEqualTo(SyncState.STOPPED));
      assertThat(sources).allSatisfy(s -> assertThat(s.cancelled).isTrue());
    }
  }

  @Test
  void aListenerMayCloseTheLoopWhenItStartsConnecting() {
    AtomicReference<SyncLoop> self = new AtomicReference<>();
    SyncLoop loop = builder(source, delivered::add).closeTimeout(Duration.ofMinutes(5)).listener((state, cause) -> {
      states.add(state);
      if (state == SyncState.CONNECTING) {
        self.get().close(); // on start()'s thread: must not wait for a step that start() has yet to queue
      }
    }).build();
    self.set(loop);
    loops.add(loop);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), loop::start);
    assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> loop.awaitTermination(Duration.ofSeconds(5)))).isTrue();
    assertThat(states).containsExactly(SyncState.CONNECTING, SyncState.STOPPED);
    assertThat(source.fetches).isEmpty();
  }

  @Test
  void theSharedRuntimeIsOneObjectThatCloseDoesNotStop() {
    SyncRuntime shared = SyncRuntime.shared();
    assertThat(SyncRuntime.shared()).isSameAs(shared);
    shared.close();
    assertThat(shared.isClosed()).isFalse();
    assertThat(shared.workerThreads()).isEqualTo(SyncRuntime.DEFAULT_WORKER_THREADS);
    assertThatThrownBy(() -> SyncRuntime.create(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workerThreads must be at least 1, was: 0");
    try (SyncRuntime own = SyncRuntime.create(3, Thread::new)) {
      assertThat(own.workerThreads()).isEqualTo(3);
      assertThat(own.toString()).contains("3 workers");
    }
  }

  @Test
  void anEventDrivenLoopUsesTheSharedRuntimeByDefault() throws Exception {
    AtomicReference<String> consumerThread = new AtomicReference<>();
    SyncLoop loop = SyncLoop.builder(source, b -> {
      consumerThread.set(Thread.currentThread().getName());
      delivered.add(b);
    }).build();
    loops.add(loop);
    loop.start();
    source.next().answer("n1");
    next();
    assertThat(consumerThread.get()).startsWith("Melo sync");
  }
}
