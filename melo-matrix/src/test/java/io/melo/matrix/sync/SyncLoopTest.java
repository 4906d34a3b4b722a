package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.MatrixProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncLoopTest {

  /** A scripted homeserver: answers in order; with nothing scripted, a fetch long-polls until cancelled. */
  static final class FakeSource implements SyncSource {
    final BlockingQueue<Object> script = new LinkedBlockingQueue<>();
    final List<SyncRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch cancelled = new CountDownLatch(1);
    final CountDownLatch polling = new CountDownLatch(1);

    FakeSource then(Object... outcomes) {
      Collections.addAll(script, outcomes);
      return this;
    }

    @Override
    public SyncResponse fetch(SyncRequest request) {
      requests.add(request);
      Object next = script.poll();
      if (next == null) {
        polling.countDown();
        try {
          cancelled.await(); // a long poll that only close() ends
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new MatrixNetworkException("cancelled", false, null);
      }
      if (next instanceof MatrixException e) {
        throw e;
      }
      return (SyncResponse) next;
    }

    @Override
    public void cancel() {
      cancelled.countDown();
    }
  }

  static SyncResponse batch(String nextBatch) {
    return SyncResponse.empty(nextBatch);
  }

  static MatrixErrorException error(int status, String errcode, String message) {
    return new MatrixErrorException(status, errcode, message, null);
  }

  final FakeSource source = new FakeSource();
  final BlockingQueue<SyncBatch> delivered = new LinkedBlockingQueue<>();
  final BlockingQueue<SyncState> states = new LinkedBlockingQueue<>();
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  final InMemorySyncStore store = new InMemorySyncStore();
  SyncLoop loop;

  SyncLoop.Builder builder(SyncConsumer consumer) {
    return withTestOptions(SyncLoop.builder(source, consumer));
  }

  /** This test's store, request, state listener, sleeper, fixed jitter and backoff on {@code builder}. */
  SyncLoop.Builder withTestOptions(SyncLoop.Builder builder) {
    return builder
        .store(store)
        .request(SyncRequest.builder().filterId("f1").timeout(Duration.ofSeconds(30)).build())
        .listener((state, cause) -> states.add(state))
        .sleeper(sleeps::add)
        .random(() -> 0.5)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
  }

  SyncLoop start(SyncConsumer consumer) {
    loop = builder(consumer).build();
    loop.start();
    return loop;
  }

  @AfterEach
  void closeLoop() {
    if (loop != null) {
      loop.close();
    }
  }

  SyncBatch next() throws InterruptedException {
    return SyncQueues.next(delivered);
  }

  void awaitState(SyncState expected) throws InterruptedException {
    SyncQueues.awaitState(states, expected);
  }

  void awaitPolling() throws InterruptedException {
    assertThat(source.polling.await(5, TimeUnit.SECONDS)).as("the loop long-polls").isTrue();
  }

  /** A store that cannot be read fails the loop at once: no sync request, no save over it. */
  @Test
  void aStoreThatCannotBeReadFailsTheLoopAndIsNeverOverwritten() throws Exception {
    source.then(batch("n1"));
    List<String> saved = Collections.synchronizedList(new ArrayList<>());
    IllegalStateException unreadable = new IllegalStateException("store unreadable");
    SyncStore broken = new SyncStore() {
      @Override
      public Optional<String> load() {
        throw unreadable;
      }

      @Override
      public void save(String since) {
        saved.add(since);
      }

      @Override
      public void clear() {
        saved.add("cleared");
      }
    };
    loop = builder(delivered::add).store(broken).build();
    loop.start();
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.failure()).contains(unreadable);
    assertThat(states).contains(SyncState.ERROR);
    assertThat(delivered).isEmpty();
    assertThat(saved).isEmpty();
  }

  @Test
  void deliversInOrderAndSavesEachTokenOnlyAfterTheConsumerReturned() throws Exception {
    source.then(batch("n1"), batch("n2"));
    List<Optional<String>> storedDuringDelivery = Collections.synchronizedList(new ArrayList<>());
    start(b -> {
      storedDuringDelivery.add(store.load());
      delivered.add(b);
    });
    assertThat(next().response().nextBatch()).isEqualTo("n1");
    assertThat(next().response().nextBatch()).isEqualTo("n2");
    awaitPolling();
    assertThat(storedDuringDelivery).containsExactly(Optional.empty(), Optional.of("n1"));
    assertThat(store.load()).contains("n2");
    assertThat(source.requests).extracting(SyncRequest::since).containsExactly(null, "n1", "n2");
    assertThat(source.requests).extracting(SyncRequest::timeout)
        .containsExactly(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(30));
    assertThat(source.requests).extracting(SyncRequest::filterId).containsOnly("f1");
    loop.close();
    assertThat(states).containsExactly(SyncState.CONNECTING, SyncState.PREPARED, SyncState.SYNCING, SyncState.STOPPED);
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
  }

  @Test
  void resumesFromTheStoredToken() throws Exception {
    store.save("s5");
    source.then(batch("s6"));
    start(delivered::add);
    SyncBatch first = next();
    assertThat(first.since()).isEqualTo("s5");
    assertThat(first.isInitial()).isFalse();
    assertThat(first.reset()).isFalse();
  }

  @Test
  void backsOffWithJitterWhileUnreachableAndResumes() throws Exception {
    source.then(new MatrixNetworkException("connection refused", false, null),
        error(503, "M_UNKNOWN", "overloaded"),
        new MatrixProtocolException("not JSON", null),
        error(502, "M_UNKNOWN", ""),
        batch("n1"));
    start(delivered::add);
    assertThat(next().response().nextBatch()).isEqualTo("n1");
    // random 0.5: half of the base fixed plus a quarter: 1s -> 750ms, 2s -> 1.5s, 4s -> 3s, 8s (cap) -> 6s
    assertThat(sleeps).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500), Duration.ofMillis(3000),
        Duration.ofMillis(6000));
    awaitState(SyncState.RECONNECTING);
    awaitState(SyncState.PREPARED);
    assertThat(loop.failure()).isEmpty();
  }

  @Test
  void jitterStaysWithinHalfAndAllOfTheBase() {
    SyncLoop low = builder(b -> { }).random(() -> 0.0).build();
    SyncLoop high = builder(b -> { }).random(() -> 1.0).build();
    MatrixException failure = new MatrixNetworkException("x", false, null);
    for (int attempt = 1; attempt <= 12; attempt++) {
      long base = Math.min(1000L << Math.min(attempt - 1, 20), 8000L);
      assertThat(low.delayAfter(attempt, failure)).isEqualTo(Duration.ofMillis(base / 2));
      assertThat(high.delayAfter(attempt, failure)).isEqualTo(Duration.ofMillis(base));
    }
  }

  @Test
  void rateLimitWaitsForTheServersDelay() throws Exception {
    source.then(new MatrixErrorException(429, "M_LIMIT_EXCEEDED", "slow down", Duration.ofMillis(2500)), batch("n1"));
    start(delivered::add);
    next();
    assertThat(sleeps).containsExactly(Duration.ofMillis(2500));
  }

  @Test
  void backoffRestartsAfterASuccess() throws Exception {
    source.then(new MatrixNetworkException("a", false, null), new MatrixNetworkException("b", false, null),
        batch("n1"), new MatrixNetworkException("c", false, null), batch("n2"));
    start(delivered::add);
    next();
    next();
    assertThat(sleeps).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500), Duration.ofMillis(750));
    // after a failure the loop catches up with timeout zero
    assertThat(source.requests.get(4).timeout()).isEqualTo(Duration.ZERO);
    assertThat(source.requests.get(4).since()).isEqualTo("n1");
  }

  @Test
  void unknownSinceTokenResetsToAnInitialSyncOnce() throws Exception {
    store.save("old");
    source.then(error(400, "M_UNKNOWN_POS", "Unknown position"), batch("fresh1"), batch("fresh2"));
    start(delivered::add);
    SyncBatch reset = next();
    assertThat(reset.reset()).isTrue();
    assertThat(reset.isInitial()).isTrue();
    assertThat(reset.response().nextBatch()).isEqualTo("fresh1");
    SyncBatch after = next();
    assertThat(after.reset()).isFalse();
    assertThat(after.since()).isEqualTo("fresh1");
    awaitPolling();
    assertThat(source.requests).extracting(SyncRequest::since).startsWith("old", null, "fresh1");
    assertThat(sleeps).isEmpty();
    assertThat(store.load()).contains("fresh2");
  }

  @Test
  void synapseStyleInvalidSinceIsRecognised() {
    assertThat(SyncLoop.isInvalidSince(error(400, "M_UNKNOWN", "Invalid since token"))).isTrue();
    assertThat(SyncLoop.isInvalidSince(error(404, "M_NOT_FOUND", "Unknown stream position"))).isTrue();
    assertThat(SyncLoop.isInvalidSince(error(400, "M_UNKNOWN_POS", ""))).isTrue();
    assertThat(SyncLoop.isInvalidSince(error(400, "M_BAD_JSON", "since"))).isFalse();
    assertThat(SyncLoop.isInvalidSince(error(404, "M_NOT_FOUND", "Filter not found"))).isFalse();
    assertThat(SyncLoop.isInvalidSince(error(500, "M_UNKNOWN", "since"))).isFalse();
  }

  @Test
  void aSecondUnknownTokenRightAfterAResetStopsInsteadOfLooping() throws Exception {
    store.save("old");
    MatrixErrorException again = error(400, "M_UNKNOWN_POS", "Unknown position");
    source.then(error(400, "M_UNKNOWN_POS", "Unknown position"), batch("fresh1"), again, batch("never"));
    start(delivered::add);
    assertThat(next().reset()).isTrue();
    awaitState(SyncState.ERROR);
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.failure()).containsSame(again);
    assertThat(source.requests).hasSize(3);
    assertThat(delivered).isEmpty();
  }

  @Test
  void anAnswerOverTheSizeCapStopsTheLoopInErrorInsteadOfFetchingItForever() throws Exception {
    store.save("s1");
    io.melo.matrix.ResponseTooLargeException tooLarge = new io.melo.matrix.ResponseTooLargeException(
        "answer to GET /sync is larger than the limit of 2048 bytes", 2048);
    source.then(tooLarge, batch("never"));
    start(delivered::add);
    awaitState(SyncState.ERROR);
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.failure()).containsSame(tooLarge);
    assertThat(source.requests).hasSize(1);
    assertThat(store.load()).contains("s1");
    assertThat(sleeps).isEmpty();
    assertThat(tooLarge).isInstanceOf(MatrixProtocolException.class);
    assertThat(tooLarge.limit()).isEqualTo(2048);
  }

  @Test
  void authenticationFailureStopsTheLoopInError() throws Exception {
    store.save("s1");
    MatrixErrorException unauthorized = error(401, "M_UNKNOWN_TOKEN", "Invalid access token passed.");
    source.then(unauthorized, batch("never"));
    start(delivered::add);
    awaitState(SyncState.ERROR);
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.ERROR);
    assertThat(loop.failure()).containsSame(unauthorized);
    assertThat(source.requests).hasSize(1);
    assertThat(store.load()).contains("s1");
    assertThat(sleeps).isEmpty();
    assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRefusedRequestStopsTheLoopInError() throws Exception {
    source.then(error(400, "M_BAD_JSON", "bad filter"));
    start(delivered::add);
    awaitState(SyncState.ERROR);
    assertThat(loop.failure().map(Exception::getMessage)).contains("HTTP 400 M_BAD_JSON: bad filter");
  }

  @Test
  void aThrowingConsumerGetsTheBatchAgainAndTheLoopGoesOn() throws Exception {
    source.then(batch("n1"), batch("n2"));
    AtomicInteger calls = new AtomicInteger();
    List<Optional<String>> stored = Collections.synchronizedList(new ArrayList<>());
    start(b -> {
      stored.add(store.load());
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("listener bug");
      }
      delivered.add(b);
    });
    assertThat(next().response().nextBatch()).isEqualTo("n1");
    assertThat(next().response().nextBatch()).isEqualTo("n2");
    assertThat(calls).hasValue(4);
    assertThat(stored).containsExactly(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("n1"));
    assertThat(sleeps).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500));
  }

  @Test
  void aBatchThatAlwaysFailsGoesToOnDeliveryFailedAndTheTokenAdvances() throws Exception {
    source.then(batch("poison"), batch("n2"));
    AtomicReference<SyncBatch> deadLetter = new AtomicReference<>();
    AtomicInteger attempts = new AtomicInteger();
    loop = builder(new SyncConsumer() {
      @Override
      public void accept(SyncBatch b) throws Exception {
        if (b.response().nextBatch().equals("poison")) {
          attempts.incrementAndGet();
          throw new Exception("cannot handle");
        }
        delivered.add(b);
      }

      @Override
      public void onDeliveryFailed(SyncBatch b, Exception lastFailure) {
        assertThat(lastFailure).hasMessage("cannot handle");
        deadLetter.set(b);
      }
    }).maxDeliveryAttempts(3).build();
    loop.start();
    SyncBatch good = next();
    assertThat(good.since()).isEqualTo("poison");
    assertThat(attempts).hasValue(3);
    assertThat(deadLetter.get().response().nextBatch()).isEqualTo("poison");
    assertThat(loop.state()).isNotEqualTo(SyncState.ERROR);
  }

  @Test
  void closeCancelsTheLongPollPromptlyAndLeavesNoThread() throws Exception {
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    source.then(batch("n1"));
    loop = builder(delivered::add).threadFactory(r -> {
      Thread t = new Thread(r, "test-sync");
      t.setDaemon(true);
      threads.add(t);
      return t;
    }).build();
    loop.start();
    next();
    awaitPolling();
    loop.close();
    assertThat(source.cancelled.getCount()).isZero();
    assertThat(loop.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(threads).singleElement().satisfies(t -> assertThat(t.isAlive()).isFalse());
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
    assertThat(store.load()).contains("n1");
  }

  @Test
  void theDefaultThreadIsADaemonAndEndsOnClose() throws Exception {
    source.then(batch("n1"));
    start(delivered::add);
    next();
    awaitPolling();
    List<Thread> syncThreads = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("melo-sync-")) {
        syncThreads.add(t);
      }
    }
    assertThat(syncThreads).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    loop.close();
    assertThat(syncThreads).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
  }

  @Test
  void closeInterruptsABackoffWait() throws Exception {
    source.then(new MatrixNetworkException("down", false, null));
    CountDownLatch sleeping = new CountDownLatch(1);
    loop = builder(delivered::add).sleeper(d -> {
      sleeping.countDown();
      new CountDownLatch(1).await(); // a backoff wait that only close()'s interrupt can end
    }).build();
    loop.start();
    assertThat(sleeping.await(5, TimeUnit.SECONDS)).isTrue();
    loop.close();
    assertThat(loop.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
    assertThat(source.requests).hasSize(1);
  }

  @Test
  void aBatchInterruptedByCloseIsNotAcknowledged() throws Exception {
    store.save("s1");
    source.then(batch("n2"));
    CountDownLatch inConsumer = new CountDownLatch(1);
    loop = builder(b -> {
      inConsumer.countDown();
      new CountDownLatch(1).await(); // a consumer blocked until interrupted
    }).build();
    loop.start();
    assertThat(inConsumer.await(5, TimeUnit.SECONDS)).isTrue();
    loop.close();
    assertThat(loop.awaitTermination(Duration.ZERO)).isTrue();
    assertThat(store.load()).contains("s1");
  }

  @Test
  void theConsumerMayCloseTheLoopFromItsOwnThread() throws Exception {
    source.then(batch("n1"), batch("n2"));
    loop = builder(b -> {
      delivered.add(b);
      loop.close();
    }).build();
    loop.start();
    next();
    assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(loop.state()).isEqualTo(SyncState.STOPPED);
    assertThat(store.load()).contains("n1");
    assertThat(delivered).isEmpty();
  }

  @Test
  void aThrowingListenerDoesNotStopTheLoop() throws Exception {
    source.then(batch("n1"), batch("n2"));
    loop = builder(delivered::add).listener((s, c) -> {
      throw new IllegalStateException("listener bug");
    }).build();
    loop.start();
    next();
    next();
    awaitPolling();
    assertThat(loop.state()).isEqualTo(SyncState.SYNCING);
  }

  @Test
  void lifecycle() throws Exception {
    SyncLoop idle = builder(delivered::add).build();
    assertThat(idle.state()).isEqualTo(SyncState.IDLE);
    idle.close();
    assertThat(idle.state()).isEqualTo(SyncState.STOPPED);
    assertThat(idle.awaitTermination(Duration.ZERO)).isTrue();
    assertThatThrownBy(idle::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("STOPPED");
    idle.close();

    source.then(batch("n1"));
    loop = start(delivered::add);
    loop.start(); // no-op while running
    next();
    awaitPolling();
    assertThat(source.requests).hasSize(2);
    assertThatThrownBy(() -> builder(delivered::add).maxDeliveryAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder(delivered::add).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
