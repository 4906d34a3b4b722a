package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.room.CreateRoomRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class RetryBehaviourTest extends MockServerTest {

  private static final String ROOMS = "{'joined_rooms':['!a:example.org']}".replace('\'', '"');

  @Test
  void rateLimitWaitsRetryAfterMsThenSucceeds() throws Exception {
    enqueue(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"slow down\",\"retry_after_ms\":2500}");
    ok(ROOMS);
    assertThat(client.joinedRooms().execute()).containsExactly("!a:example.org");
    assertThat(clock.delays).containsExactly(Duration.ofMillis(2500));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void rateLimitHonoursRetryAfterSecondsHeader() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "7")
            .body("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"\"}")
            .build());
    ok(ROOMS);
    client.joinedRooms().execute();
    assertThat(clock.delays).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void rateLimitHonoursRetryAfterHttpDate() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "Thu, 01 Jan 2026 00:00:12 GMT")
            .body("{\"errcode\":\"M_LIMIT_EXCEEDED\"}")
            .build());
    ok(ROOMS);
    client.joinedRooms().execute();
    assertThat(clock.delays).containsExactly(Duration.ofSeconds(12));
  }

  @Test
  void rateLimitLongerThanCapIsReportedNotWaited() {
    enqueue(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"later\",\"retry_after_ms\":60000}");
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(429);
              assertThat(e.retryAfter()).contains(Duration.ofMinutes(1));
            });
    assertThat(clock.delays).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void rateLimitedPostIsRetriedBecauseTheServerRefusedIt() throws Exception {
    enqueue(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":100}");
    ok("{\"room_id\":\"!new:example.org\"}");
    assertThat(client.createRoom(CreateRoomRequest.builder().build()).execute()).isEqualTo("!new:example.org");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void serverErrorsOnGetBackOffExponentially() {
    enqueue(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"boom\"}");
    enqueue(502, "<html>bad gateway</html>");
    ok(ROOMS);
    assertThat(client.joinedRooms().execute()).hasSize(1);
    assertThat(clock.delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void backoffGivesUpAfterMaxAttempts() {
    for (int i = 0; i < 5; i++) {
      enqueue(503, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"down\"}");
    }
    assertThatThrownBy(() -> client.joinedRooms().execute())
        .isInstanceOfSatisfying(MatrixErrorException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(clock.delays)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void serverErrorOnPostIsNeverRepeated() {
    enqueue(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"maybe created\"}");
    assertThatThrownBy(() -> client.createRoom(CreateRoomRequest.builder().name("x").build()).execute())
        .isInstanceOfSatisfying(MatrixErrorException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(clock.delays).isEmpty();
  }

  @Test
  void lostResponseToPostIsNotResentByMeloNorByOkHttp() throws Exception {
    ok(ROOMS); // warm a pooled connection, the case where OkHttp would silently retry
    client.joinedRooms().execute();
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    ok("{\"room_id\":\"!twice:example.org\"}");
    assertThatThrownBy(() -> client.createRoom(CreateRoomRequest.builder().build()).execute())
        .isInstanceOfSatisfying(MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isTrue());
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(clock.delays).isEmpty();
  }

  @Test
  void lostResponseToGetIsRetried() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    ok(ROOMS);
    assertThat(client.joinedRooms().execute()).hasSize(1);
    assertThat(clock.delays).hasSize(1);
  }

  @Test
  void unsentPostIsRetriedWhenNoConnectionCouldBeMade() throws IOException {
    MockWebServer dead = new MockWebServer();
    dead.start();
    MatrixConfig deadConfig = config.toBuilder().homeserver(dead.url("/")).build();
    dead.close();
    try (MatrixClient deadClient = MatrixClient.create(deadConfig, MatrixCredentials.accessToken(TOKEN))) {
      assertThatThrownBy(() -> deadClient.createRoom(CreateRoomRequest.builder().build()).execute())
          .isInstanceOfSatisfying(MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isFalse());
    }
    assertThat(clock.delays).hasSize(3);
  }

  @Test
  void asyncCallRetriesAndCompletesTheFuture() throws Exception {
    enqueue(500, "{\"errcode\":\"M_UNKNOWN\"}");
    ok(ROOMS);
    CompletableFuture<List<String>> future = client.joinedRooms().future();
    assertThat(future.get(5, TimeUnit.SECONDS)).containsExactly("!a:example.org");
    assertThat(clock.delays).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void asyncFailureReachesTheCallbackOnTheConfiguredExecutor() throws Exception {
    enqueue(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no\"}");
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.ExecutorService executor =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    try (MatrixClient other =
        MatrixClient.create(
            config.toBuilder().callbackExecutor(executor).build(), MatrixCredentials.accessToken(TOKEN))) {
      CompletableFuture<MatrixException> failure = new CompletableFuture<>();
      other.joinedRooms()
          .enqueue(
              new MatrixCallback<List<String>>() {
                @Override
                public void onSuccess(List<String> result) {
                  failure.completeExceptionally(new AssertionError("unexpected success"));
                }

                @Override
                public void onFailure(MatrixException e) {
                  threads.add(Thread.currentThread().getName());
                  failure.complete(e);
                }
              });
      assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(ForbiddenException.class);
      assertThat(threads).containsExactly("app-callbacks");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void cancellingTheFutureCancelsTheHttpCall() throws Exception {
    CountDownLatch canceled = new CountDownLatch(1);
    OkHttpClient http =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void canceled(Call call) {
                    canceled.countDown();
                  }
                })
            .build();
    server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body(ROOMS).build());
    try (MatrixClient other =
        MatrixClient.create(config.toBuilder().http(http).build(), MatrixCredentials.accessToken(TOKEN))) {
      CompletableFuture<List<String>> future = other.joinedRooms().future();
      take();
      future.cancel(true);
      assertThat(canceled.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void cancelledBlockingCallFailsAsCancelled() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body(ROOMS).build());
    MatrixCall<List<String>> call = client.joinedRooms();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                call.execute();
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    runner.start();
    take();
    call.cancel();
    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isInstanceOf(MatrixNetworkException.class)
        .hasMessageContaining("cancelled");
  }

  @Test
  void closingTheClientCancelsCallsInFlight() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body(ROOMS).build());
    CompletableFuture<List<String>> future = client.joinedRooms().future();
    take();
    client.close();
    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(MatrixNetworkException.class);
    assertThatThrownBy(() -> client.joinedRooms()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCallRunsOnceAndCopiesRunAgain() {
    ok(ROOMS);
    ok(ROOMS);
    MatrixCall<List<String>> call = client.joinedRooms();
    call.execute();
    assertThat(call.isExecuted()).isTrue();
    assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class);
    MatrixCall<List<String>> copy = call.copy();
    assertThat(copy.isExecuted()).isFalse();
    assertThat(copy.execute()).hasSize(1);
  }

  @Test
  void retryPolicyNeverStopsAfterTheFirstFailure() {
    enqueue(500, "{}");
    try (MatrixClient strict =
        MatrixClient.create(
            config.toBuilder().retryPolicy(RetryPolicy.NEVER).build(), MatrixCredentials.accessToken(TOKEN))) {
      assertThatThrownBy(() -> strict.joinedRooms().execute()).isInstanceOf(MatrixErrorException.class);
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void backoffJitterStaysBetweenHalfAndFullDelay() {
    RetryPolicy low = RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 10, () -> 0.0);
    RetryPolicy high = RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 10, () -> 0.999);
    MatrixException failure = new MatrixNetworkException("x", false, null);
    assertThat(low.delayAfter(3, failure)).contains(Duration.ofSeconds(2));
    assertThat(high.delayAfter(3, failure)).contains(Duration.ofMillis(3998));
    assertThat(low.delayAfter(9, failure)).contains(Duration.ofSeconds(5));
    assertThat(low.delayAfter(10, failure)).isEmpty();
    assertThatThrownBy(() -> RetryPolicy.backoff(Duration.ZERO, Duration.ofSeconds(1), 3))
        .hasMessageContaining("first must be positive");
  }

  @Test
  void aCallbackThatThrowsIsLoggedAndDoesNotBreakTheClient() throws Exception {
    ok(ROOMS);
    ok(ROOMS);
    CountDownLatch called = new CountDownLatch(1);
    CapturingLogs.clear();
    client.joinedRooms()
        .enqueue(
            new MatrixCallback<List<String>>() {
              @Override
              public void onSuccess(List<String> result) {
                called.countDown();
                throw new IllegalStateException("app bug");
              }

              @Override
              public void onFailure(MatrixException failure) {}
            });
    assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(client.joinedRooms().execute()).hasSize(1);
    assertThat(CapturingLogs.lines()).anyMatch(line -> line.startsWith("ERROR") && line.contains("app bug"));
  }

  @Test
  void cancellingAChainedMediaCallStopsItBeforeTheDownload() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(30, TimeUnit.SECONDS).body("{\"versions\":[]}").build());
    CompletableFuture<io.melo.matrix.media.Media> download =
        client.download(io.melo.matrix.media.MxcUri.parse("mxc://example.org/abc")).future();
    assertThat(take().getTarget()).isEqualTo("/_matrix/client/versions");
    download.cancel(true);
    assertThat(download).isCancelled();
    ok(ROOMS);
    assertThat(client.joinedRooms().execute()).hasSize(1);
    assertThat(take().getTarget()).isEqualTo("/_matrix/client/v3/joined_rooms"); // no download was sent
  }

  @Test
  void requestLogsShowMethodAndPathButNeverTheQuery() {
    CapturingLogs.clear();
    ok("{\"next_batch\":\"n\"}");
    client.sync(io.melo.matrix.sync.SyncRequest.builder().since("since_token_7").timeout(Duration.ZERO).build()).execute();
    assertThat(CapturingLogs.lines())
        .anyMatch(line -> line.startsWith("DEBUG") && line.contains("GET /_matrix/client/v3/sync"))
        .noneMatch(line -> line.contains("since_token_7") || line.contains("?"));
  }

  @Test
  void lostRefreshAnswerIsRetriedWithTheSameRefreshToken() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    ok("{\"access_token\":\"a2\",\"refresh_token\":\"r2\"}");
    assertThat(client.refresh("r1").execute().accessToken()).isEqualTo("a2");
    assertThat(take().getBody().utf8()).isEqualTo(take().getBody().utf8()).contains("r1");
  }

  @Test
  void aSecondEnqueueIsRefusedAndDoesNotStealTheFirstCallback() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(200, TimeUnit.MILLISECONDS).body(ROOMS).build());
    MatrixCall<List<String>> call = client.joinedRooms();
    CompletableFuture<List<String>> first = call.future();
    org.assertj.core.api.Assertions.assertThatThrownBy(call::future).isInstanceOf(IllegalStateException.class);
    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly("!a:example.org");
  }

  @Test
  void theDefaultHttpClientLeavesOnlyDaemonThreads() throws Exception {
    ok(ROOMS);
    ok(ROOMS);
    MatrixConfig defaults = MatrixConfig.builder(server.url("/")).build();
    try (MatrixClient plain = MatrixClient.create(defaults, MatrixCredentials.accessToken(TOKEN))) {
      plain.joinedRooms().future().get(5, TimeUnit.SECONDS);
      plain.sync(io.melo.matrix.sync.SyncRequest.builder().timeout(Duration.ZERO).build()).future()
          .exceptionally(e -> null).get(5, TimeUnit.SECONDS);
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith("melo-matrix"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }
}
