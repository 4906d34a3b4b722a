package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.sync.AsyncSyncSource;
import io.melo.matrix.sync.SyncRequest;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The non-blocking long polls of {@link MatrixClient#asyncSyncSource}: the same requests and outcomes as the blocking source. */
class LongPollTransportTest extends MockServerTest {

  static final SyncRequest POLL =
      SyncRequest.builder().filterId("7").since("s1").timeout(Duration.ofSeconds(30)).build();
  static final SyncRequest INITIAL = SyncRequest.builder().filterId("7").build();
  static final String SYNC = "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{}}}";

  LongPollTransport longPolls;
  AsyncSyncSource source;

  @BeforeEach
  void startTransport() {
    longPolls = LongPollTransport.builder().threadName("test-longpoll").build();
    source = client.asyncSyncSource(longPolls);
  }

  @AfterEach
  void closeTransport() {
    longPolls.close();
  }

  static CompletableFuture<SyncResponse> fetch(AsyncSyncSource source, SyncRequest request) {
    CompletableFuture<SyncResponse> outcome = new CompletableFuture<>();
    source.fetch(
        request,
        new AsyncSyncSource.Callback() {
          @Override
          public void onResponse(SyncResponse response) {
            if (!outcome.complete(response)) {
              throw new AssertionError("a second outcome: " + response);
            }
          }

          @Override
          public void onFailure(MatrixException failure) {
            if (!outcome.completeExceptionally(failure)) {
              throw new AssertionError("a second outcome", failure);
            }
          }
        });
    return outcome;
  }

  /** The outcome of a fetch: the answer, or the MatrixException it failed with, thrown. */
  static SyncResponse await(CompletableFuture<SyncResponse> outcome) throws Exception {
    try {
      return outcome.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  SyncResponse poll() throws Exception {
    return await(fetch(source, POLL));
  }

  @Test
  void aLongPollSendsWhatTheBlockingSourceSendsAndParsesTheAnswer() throws Exception {
    ok(SYNC);
    ok(SYNC);
    SyncResponse blocking = client.syncSource().fetch(POLL);
    SyncResponse async = poll();
    assertThat(async.nextBatch()).isEqualTo("s2").isEqualTo(blocking.nextBatch());
    assertThat(longPolls.connectionCount()).as("carried by the transport, not OkHttp").isEqualTo(1);
    RecordedRequest viaOkHttp = take();
    RecordedRequest viaSelector = take();
    assertThat(viaSelector.getTarget())
        .isEqualTo(viaOkHttp.getTarget())
        .isEqualTo("/_matrix/client/v3/sync?filter=7&since=s1&timeout=30000");
    assertThat(viaSelector.getMethod()).isEqualTo("GET");
    assertThat(viaSelector.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(viaSelector.getHeaders().get("Host")).isEqualTo(viaOkHttp.getHeaders().get("Host"));
    assertThat(viaSelector.getHeaders().get("Accept-Encoding")).isEqualTo("identity");
  }

  @Test
  void anAnswerFetchedWithAnExecutorIsParsedAndDeliveredThereNotOnTheTransportsThreads() throws Exception {
    ok(SYNC);
    java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> new Thread(r, "loop-worker"));
    try {
      AtomicInteger tasks = new AtomicInteger();
      java.util.concurrent.Executor counting = task -> {
        tasks.incrementAndGet();
        mine.execute(task);
      };
      CompletableFuture<String> deliveredOn = new CompletableFuture<>();
      source.fetch(POLL, counting, threadAndBatch(deliveredOn));
      assertThat(deliveredOn.get(10, TimeUnit.SECONDS)).isEqualTo("loop-worker s2");
      assertThat(tasks).as("one hand-over: selector to the given executor").hasValue(1);
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void anExecutorThatRefusesTheAnswerLeavesItToTheTransportsWorkers() throws Exception {
    ok(SYNC);
    CompletableFuture<String> deliveredOn = new CompletableFuture<>();
    source.fetch(POLL, task -> {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }, threadAndBatch(deliveredOn));
    assertThat(deliveredOn.get(10, TimeUnit.SECONDS)).startsWith("test-longpoll-worker").endsWith(" s2");
  }

  @Test
  void aChunkedAnswerIsReassembled() throws Exception {
    StringBuilder rooms = new StringBuilder("{\"next_batch\":\"s9\",\"account_data\":{\"events\":[");
    for (int i = 0; i < 300; i++) {
      rooms.append(i == 0 ? "" : ",").append("{\"type\":\"x.t").append(i).append("\",\"content\":{\"n\":").append(i).append("}}");
    }
    rooms.append("]}}");
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "application/json")
            .chunkedBody(new Buffer().writeUtf8(rooms.toString()), 97)
            .build());
    SyncResponse response = poll();
    assertThat(response.nextBatch()).isEqualTo("s9");
    assertThat(response.accountData()).hasSize(300);
    assertThat(response.accountData().get(299).type()).isEqualTo("x.t299");
  }

  @Test
  void oneConnectionCarriesPollAfterPoll() throws Exception {
    for (int i = 0; i < 3; i++) {
      ok(SYNC);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(poll().nextBatch()).isEqualTo("s2");
    }
    List<Integer> connections = new ArrayList<>();
    List<Integer> exchanges = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordedRequest request = take();
      connections.add(request.getConnectionIndex());
      exchanges.add(request.getExchangeIndex());
    }
    assertThat(connections).containsOnly(connections.get(0));
    assertThat(exchanges).containsExactly(0, 1, 2);
    assertThat(longPolls.connectionCount()).isEqualTo(1);
    assertThat(longPolls.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void aConnectionTheServerClosesIsNotReused() throws Exception {
    server.enqueue(
        new MockResponse.Builder().addHeader("Connection", "close").addHeader("Content-Type", "application/json").body(SYNC).build());
    ok(SYNC);
    poll();
    poll();
    assertThat(take().getConnectionIndex()).isNotEqualTo(take().getConnectionIndex());
  }

  @Test
  void errorAnswersFailWithTheSameExceptionsAsTheBlockingSource() throws Exception {
    String[][] answers = {
      {"403", "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"You are not invited\"}"},
      {"404", "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"gone\"}"},
      {"429", "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"slow down\",\"retry_after_ms\":2000}"},
      {"401", "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Bad token " + TOKEN + "\",\"soft_logout\":true}"},
      {"500", "<html>oops</html>"},
      {"400", "{\"errcode\":\"M_BRAND_NEW\",\"error\":\"future\"}"},
      {"200", "not json"},
      {"200", "{\"next_batch\":42}"},
    };
    for (String[] answer : answers) {
      enqueue(Integer.parseInt(answer[0]), answer[1]);
      enqueue(Integer.parseInt(answer[0]), answer[1]);
      Throwable blocking = catchFailure(() -> client.syncSource().fetch(POLL));
      Throwable async = catchFailure(this::poll);
      assertThat(async)
          .as("answer %s %s", answer[0], answer[1])
          .isExactlyInstanceOf(blocking.getClass())
          .hasMessage(blocking.getMessage());
      assertThat(async.getMessage()).doesNotContain(TOKEN);
      if (blocking instanceof MatrixErrorException) {
        MatrixErrorException b = (MatrixErrorException) blocking;
        MatrixErrorException a = (MatrixErrorException) async;
        assertThat(a.httpStatus()).isEqualTo(b.httpStatus());
        assertThat(a.errcode()).isEqualTo(b.errcode());
        assertThat(a.retryAfter()).isEqualTo(b.retryAfter());
      }
    }
    assertThat(server.getRequestCount()).as("no retries").isEqualTo(2 * answers.length);
  }

  interface Failing {
    Object run() throws Exception;
  }

  static Throwable catchFailure(Failing action) {
    try {
      action.run();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aRejectedTokenIsRenewedOnceAndThePollRepeated() throws Exception {
    enqueue(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"expired\",\"soft_logout\":true}");
    ok(SYNC);
    AtomicInteger asked = new AtomicInteger();
    List<String> providerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"),
            (c, rejected) -> {
              asked.incrementAndGet();
              providerThreads.add(Thread.currentThread().getName());
              return MatrixCredentials.accessToken("syt_renewed", ALICE, "DEVICE1");
            })) {
      assertThat(await(fetch(renewing.asyncSyncSource(longPolls), POLL)).nextBatch()).isEqualTo("s2");
      assertThat(renewing.credentials().get().accessToken()).isEqualTo("syt_renewed");
    }
    assertThat(asked).hasValue(1);
    assertThat(providerThreads)
        .as("the provider may block: it runs on the blocking pool, not the workers delivering answers")
        .singleElement()
        .asString()
        .startsWith("test-longpoll-blocking");
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer syt_renewed");
  }

  @Test
  void aFailedRenewalFailsThePollLikeTheBlockingSource() throws Exception {
    enqueue(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"expired\",\"soft_logout\":false}");
    enqueue(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"expired\",\"soft_logout\":false}");
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"),
            (c, rejected) -> {
              throw new IllegalStateException("the refresh token is gone");
            })) {
      Throwable async = catchFailure(() -> await(fetch(renewing.asyncSyncSource(longPolls), POLL)));
      Throwable blocking = catchFailure(() -> renewing.syncSource().fetch(POLL));
      assertThat(async).isExactlyInstanceOf(AuthenticationException.class).isExactlyInstanceOf(blocking.getClass());
      assertThat(async.getMessage()).isEqualTo(blocking.getMessage()).doesNotContain(TOKEN);
    }
  }

  @Test
  void theServerClosingMidBodyIsANetworkFailure() {
    StringBuilder body = new StringBuilder("{\"next_batch\":\"s2\",\"presence\":{\"events\":[");
    for (int i = 0; i < 2000; i++) {
      body.append(i == 0 ? "" : ",").append("{\"type\":\"m.presence\",\"sender\":\"@u").append(i).append(":x\",\"content\":{}}");
    }
    body.append("]}}");
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "application/json")
            .body(body.toString())
            .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    assertThatThrownBy(this::poll)
        .isInstanceOfSatisfying(
            MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isTrue())
        .hasMessageContaining("GET /_matrix/client/v3/sync");
  }

  @Test
  void aPollWithoutAnswerFailsAfterItsTimeoutPlusTheMargin() throws Exception {
    HoldingDispatcher parking = park();
    MatrixConfig quick = config.toBuilder().longPollMargin(Duration.ofMillis(200)).build();
    try (MatrixClient impatient = MatrixClient.create(quick, MatrixCredentials.accessToken(TOKEN))) {
      long start = System.nanoTime();
      SyncRequest shortPoll = POLL.withTimeout(Duration.ofMillis(100));
      assertThatThrownBy(() -> await(fetch(impatient.asyncSyncSource(longPolls), shortPoll)))
          .isInstanceOfSatisfying(
              MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isTrue())
          .hasMessageContaining("timeout");
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(tookMillis).isBetween(300L, 5_000L);
    } finally {
      parking.release.countDown();
    }
  }

  @Test
  void aCancelledPollDoesNotAnswerAndFreesItsConnection() throws Exception {
    HoldingDispatcher parking = park();
    List<Object> outcomes = new ArrayList<>();
    AsyncSyncSource.Cancellable handle =
        source.fetch(
            POLL,
            new AsyncSyncSource.Callback() {
              @Override
              public void onResponse(SyncResponse response) {
                synchronized (outcomes) {
                  outcomes.add(response);
                }
              }

              @Override
              public void onFailure(MatrixException failure) {
                synchronized (outcomes) {
                  outcomes.add(failure);
                }
              }
            });
    assertThat(parking.awaitArrived()).isTrue();
    assertThat(longPolls.connectionCount()).isEqualTo(1);
    handle.cancel();
    awaitConnections(0);
    parking.release.countDown();
    // A second poll still works and learns nothing from the cancelled one.
    server.setDispatcher(new mockwebserver3.QueueDispatcher());
    ok(SYNC);
    assertThat(poll().nextBatch()).isEqualTo("s2");
    synchronized (outcomes) {
      assertThat(outcomes).hasSizeLessThanOrEqualTo(1);
      if (!outcomes.isEmpty()) {
        assertThat(outcomes.get(0)).isInstanceOf(MatrixNetworkException.class);
      }
    }
  }

  /** Holds every request until released (or the server shuts down), then answers SYNC. */
  HoldingDispatcher park() {
    HoldingDispatcher holding = HoldingDispatcher.holdingAll(1, SYNC);
    server.setDispatcher(holding);
    return holding;
  }

  /** Waits (polling the count, bounded) until the transport has {@code expected} connections. */
  void awaitConnections(int expected) {
    awaitConnections(longPolls, expected);
  }

  /** Waits (polling the count, at most 5 s) until {@code transport} has {@code expected} connections. */
  static void awaitConnections(LongPollTransport transport, int expected) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (transport.connectionCount() != expected && System.nanoTime() < until) {
      Thread.yield();
    }
    assertThat(transport.connectionCount()).as("open connections").isEqualTo(expected);
  }

  @Test
  void closingTheTransportFailsWaitingPollsAndLaterOnes() throws Exception {
    HoldingDispatcher parking = park();
    CompletableFuture<SyncResponse> waiting = fetch(source, POLL);
    assertThat(parking.awaitArrived()).isTrue();
    longPolls.close();
    assertThat(longPolls.isClosed()).isTrue();
    assertThatThrownBy(() -> await(waiting)).isInstanceOf(MatrixNetworkException.class);
    assertThatThrownBy(() -> await(fetch(source, POLL))).isInstanceOf(MatrixNetworkException.class);
    assertThatThrownBy(() -> await(fetch(source, INITIAL))).isInstanceOf(MatrixNetworkException.class);
    assertThat(longPolls.connectionCount()).isZero();
    parking.release.countDown();
  }

  @Test
  void anAnswerOverTheCapIsRefusedLikeTheBlockingSourceDoes() throws Exception {
    MatrixConfig small = config.toBuilder().maxResponseBytes(2048).build();
    StringBuilder big = new StringBuilder("{\"next_batch\":\"s2\",\"account_data\":{\"events\":[");
    for (int i = 0; i < 200; i++) {
      big.append(i == 0 ? "" : ",").append("{\"type\":\"x.t").append(i).append("\",\"content\":{}}");
    }
    big.append("]}}");
    try (MatrixClient capped = MatrixClient.create(small, MatrixCredentials.accessToken(TOKEN))) {
      for (boolean chunked : new boolean[] {false, true}) {
        for (int i = 0; i < 2; i++) {
          server.enqueue(
              chunked
                  ? new MockResponse.Builder().chunkedBody(new Buffer().writeUtf8(big.toString()), 100).build()
                  : new MockResponse.Builder().body(big.toString()).build());
        }
        Throwable blocking = catchFailure(() -> capped.syncSource().fetch(POLL));
        Throwable async = catchFailure(() -> await(fetch(capped.asyncSyncSource(longPolls), POLL)));
        assertThat(async)
            .isExactlyInstanceOf(ResponseTooLargeException.class)
            .isExactlyInstanceOf(blocking.getClass())
            .hasMessage(blocking.getMessage())
            .hasMessageContaining("larger than the limit of 2048 bytes");
      }
    }
  }

  @Test
  void syncsWithTimeoutZeroRunTheBlockingSourceOnThePool() throws Exception {
    ok(SYNC);
    List<String> threads = new ArrayList<>();
    SyncSource blocking = client.syncSource();
    SyncSource recording =
        request -> {
          synchronized (threads) {
            threads.add(Thread.currentThread().getName());
          }
          return blocking.fetch(request);
        };
    AsyncSyncSource withInitial = client.asyncSyncSource(longPolls, recording);
    assertThat(await(fetch(withInitial, INITIAL)).nextBatch()).isEqualTo("s2");
    assertThat(threads).singleElement().asString().startsWith("test-longpoll-blocking");
    assertThat(take().getTarget()).isEqualTo("/_matrix/client/v3/sync?filter=7&timeout=0");
    ok(SYNC);
    await(fetch(withInitial, POLL));
    assertThat(threads).as("long polls do not use the blocking source").hasSize(1);
  }

  @Test
  void aCancelledSourceFailsNewFetchesAtOnce() throws Exception {
    source.cancel();
    assertThatThrownBy(() -> await(fetch(source, POLL))).isInstanceOf(MatrixNetworkException.class);
    assertThatThrownBy(() -> await(fetch(source, INITIAL))).isInstanceOf(MatrixNetworkException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void closingTheClientAbortsItsPolls() throws Exception {
    HoldingDispatcher parking = park();
    CompletableFuture<SyncResponse> waiting = fetch(source, POLL);
    assertThat(parking.awaitArrived()).isTrue();
    client.close();
    assertThatThrownBy(() -> await(waiting)).isInstanceOf(MatrixNetworkException.class);
    assertThatThrownBy(() -> await(fetch(source, POLL)))
        .isInstanceOf(MatrixNetworkException.class)
        .hasMessageContaining("closed");
    parking.release.countDown();
  }

  @Test
  void aClientBehindAProxyPollsThroughOkHttp() throws Exception {
    ok(SYNC);
    okhttp3.OkHttpClient proxied = new okhttp3.OkHttpClient.Builder().proxy(server.getProxyAddress()).build();
    MatrixConfig viaProxy =
        MatrixConfig.builder("http://homeserver.test/").allowInsecureHttp(true).http(proxied).build();
    try (MatrixClient behindProxy = MatrixClient.create(viaProxy, MatrixCredentials.accessToken(TOKEN))) {
      assertThat(await(fetch(behindProxy.asyncSyncSource(longPolls), POLL)).nextBatch()).isEqualTo("s2");
    }
    RecordedRequest request = take();
    assertThat(request.getTarget())
        .isEqualTo("http://homeserver.test/_matrix/client/v3/sync?filter=7&since=s1&timeout=30000");
    assertThat(longPolls.connectionCount()).as("the transport opened nothing").isZero();
  }

  @Test
  void aClientSpeakingOnlyHttp2PollsThroughOkHttp() throws Exception {
    server.setProtocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE));
    ok(SYNC);
    okhttp3.OkHttpClient h2Only =
        new okhttp3.OkHttpClient.Builder().protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
    try (MatrixClient h2 = MatrixClient.create(config.toBuilder().http(h2Only).build(), MatrixCredentials.accessToken(TOKEN))) {
      assertThat(await(fetch(h2.asyncSyncSource(longPolls), POLL)).nextBatch()).isEqualTo("s2");
    }
    assertThat(take().getVersion()).isEqualTo("HTTP/2");
    assertThat(longPolls.connectionCount()).as("the transport opened nothing").isZero();
  }

  @Test
  void theSharedTransportIgnoresClose() throws TimeoutException {
    LongPollTransport shared = LongPollTransport.shared();
    assertThat(LongPollTransport.shared()).isSameAs(shared);
    shared.close();
    assertThat(shared.isClosed()).isFalse();
    assertThat(shared.toString()).contains("shared");
  }

  /** A callback that completes {@code deliveredOn} with the delivering thread's name and the answer's next_batch. */
  private static AsyncSyncSource.Callback threadAndBatch(CompletableFuture<String> deliveredOn) {
    return new AsyncSyncSource.Callback() {
      @Override
      public void onResponse(SyncResponse response) {
        deliveredOn.complete(Thread.currentThread().getName() + " " + response.nextBatch());
      }

      @Override
      public void onFailure(MatrixException failure) {
        deliveredOn.completeExceptionally(failure);
      }
    };
  }
}
