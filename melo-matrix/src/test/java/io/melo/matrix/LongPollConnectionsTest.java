package io.melo.matrix;

import static io.melo.matrix.LongPollTransportTest.INITIAL;
import static io.melo.matrix.LongPollTransportTest.POLL;
import static io.melo.matrix.LongPollTransportTest.SYNC;
import static io.melo.matrix.LongPollTransportTest.await;
import static io.melo.matrix.LongPollTransportTest.awaitConnections;
import static io.melo.matrix.LongPollTransportTest.catchFailure;
import static io.melo.matrix.LongPollTransportTest.fetch;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.sync.AsyncSyncSource;
import io.melo.matrix.sync.SyncResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection handling of the long-poll transport: pool limits, stale connections, DNS, failures, logs. */
class LongPollConnectionsTest extends MockServerTest {

  final List<LongPollTransport> transports = new ArrayList<>();

  LongPollTransport transport(LongPollTransport.Builder builder) {
    LongPollTransport transport = builder.threadName("conn-longpoll").build();
    transports.add(transport);
    return transport;
  }

  @AfterEach
  void closeTransports() {
    transports.forEach(LongPollTransport::close);
  }

  static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void aPooledConnectionTheServerDroppedIsReplacedOnce() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    ok(SYNC);
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    ok("{\"next_batch\":\"s3\"}");
    AsyncSyncSource source = client.asyncSyncSource(longPolls);
    assertThat(await(fetch(source, POLL)).nextBatch()).isEqualTo("s2");
    assertThat(await(fetch(source, POLL)).nextBatch()).isEqualTo("s3");
    RecordedRequest first = take();
    RecordedRequest dropped = take();
    RecordedRequest repeated = take();
    assertThat(dropped.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    assertThat(repeated.getConnectionIndex()).isNotEqualTo(first.getConnectionIndex());
    assertThat(repeated.getTarget()).isEqualTo(dropped.getTarget());
  }

  @Test
  void aNewConnectionDroppedBeforeTheAnswerIsANetworkFailure() {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    Throwable failure = catchFailure(() -> await(fetch(client.asyncSyncSource(longPolls), POLL)));
    assertThat(failure).isInstanceOfSatisfying(MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isTrue());
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void theIdlePoolKeepsAtMostItsLimit() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder().maxIdleConnections(1));
    HoldingDispatcher holding = HoldingDispatcher.holdingAll(2, SYNC);
    server.setDispatcher(holding);
    CompletableFuture<SyncResponse> one = fetch(client.asyncSyncSource(longPolls), POLL);
    CompletableFuture<SyncResponse> two = fetch(client.asyncSyncSource(longPolls), POLL);
    assertThat(holding.awaitArrived()).isTrue();
    assertThat(longPolls.connectionCount()).isEqualTo(2);
    holding.release.countDown();
    await(one);
    await(two);
    awaitConnections(longPolls, 1);
    assertThat(longPolls.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder().idleTimeout(Duration.ofMillis(100)));
    ok(SYNC);
    await(fetch(client.asyncSyncSource(longPolls), POLL));
    awaitConnections(longPolls, 0);
    assertThat(longPolls.idleConnectionCount()).isZero();
  }

  @Test
  void anIdleConnectionTheServerClosesLeavesThePool() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    server.enqueue(
        new MockResponse.Builder().body(SYNC).onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
    await(fetch(client.asyncSyncSource(longPolls), POLL));
    awaitConnections(longPolls, 0);
  }

  @Test
  void hostNamesAreResolvedByTheClientsDnsOffTheSelectorThread() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    ok(SYNC);
    List<String> lookups = new CopyOnWriteArrayList<>();
    InetAddress serverAddress = InetAddress.getByName(server.getHostName());
    Dns dns =
        host -> {
          lookups.add(host + " on " + Thread.currentThread().getName());
          if (!host.equals("homeserver.test")) {
            throw new UnknownHostException(host);
          }
          // The first address refuses connections: the next one is tried.
          return List.of(InetAddress.getByName("127.0.0.2"), serverAddress);
        };
    MatrixConfig named =
        MatrixConfig.builder("http://homeserver.test:" + server.getPort() + "/")
            .allowInsecureHttp(true)
            .http(new OkHttpClient.Builder().dns(dns).build())
            .build();
    try (MatrixClient viaDns = MatrixClient.create(named, MatrixCredentials.accessToken(TOKEN))) {
      assertThat(await(fetch(viaDns.asyncSyncSource(longPolls), POLL)).nextBatch()).isEqualTo("s2");
    }
    assertThat(lookups).singleElement().asString().startsWith("homeserver.test on conn-longpoll-worker");
    assertThat(take().getHeaders().get("Host")).isEqualTo("homeserver.test:" + server.getPort());
  }

  @Test
  void anUnknownHostOrARefusedConnectionFailsBeforeAnythingWasSent() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    Dns nowhere =
        host -> {
          throw new UnknownHostException("no such host: " + host);
        };
    MatrixConfig unknown =
        MatrixConfig.builder("http://nowhere.test/").allowInsecureHttp(true).http(new OkHttpClient.Builder().dns(nowhere).build()).build();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    MatrixConfig refused = MatrixConfig.builder("http://127.0.0.1:" + closedPort + "/").build();
    for (MatrixConfig config : List.of(unknown, refused)) {
      try (MatrixClient unreachable = MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN))) {
        Throwable async = catchFailure(() -> await(fetch(unreachable.asyncSyncSource(longPolls), POLL)));
        Throwable blocking = catchFailure(() -> unreachable.syncSource().fetch(POLL));
        assertThat(async)
            .isExactlyInstanceOf(blocking.getClass())
            .isInstanceOfSatisfying(MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isFalse())
            .hasMessageContaining("before it was sent");
      }
    }
    assertThat(longPolls.connectionCount()).isZero();
  }

  @Test
  void cancellingTheSourceAbortsItsBlockingSyncAndFreesThePoolThread() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder().blockingThreads(1));
    HoldingDispatcher holding =
        new HoldingDispatcher(1, request -> HoldingDispatcher.token(request).equals("first"), request -> json(SYNC));
    server.setDispatcher(holding);
    try (MatrixClient first = MatrixClient.create(config, MatrixCredentials.accessToken("first"));
        MatrixClient second = MatrixClient.create(config, MatrixCredentials.accessToken("second"))) {
      AsyncSyncSource cancelled = first.asyncSyncSource(longPolls);
      List<Object> outcomes = new CopyOnWriteArrayList<>();
      cancelled.fetch(
          INITIAL,
          new AsyncSyncSource.Callback() {
            @Override
            public void onResponse(SyncResponse response) {
              outcomes.add(response);
            }

            @Override
            public void onFailure(MatrixException failure) {
              outcomes.add(failure);
            }
          });
      assertThat(holding.awaitArrived()).isTrue();
      CompletableFuture<SyncResponse> queued = fetch(second.asyncSyncSource(longPolls), INITIAL);
      assertThat(queued).as("waits for the only blocking thread").isNotDone();
      cancelled.cancel();
      assertThat(await(queued).nextBatch()).isEqualTo("s2");
      assertThat(outcomes).isEmpty();
    } finally {
      holding.release.countDown();
    }
  }

  @Test
  void aConnectionThatCannotBeMadeInTimeFailsBeforeAnythingWasSent() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<java.net.Socket> fillers = new ArrayList<>();
    // A listener that never accepts, its backlog filled: further connects get no answer.
    try (ServerSocket full = new ServerSocket(0, 1, loopback)) {
      for (int i = 0; i < 4; i++) {
        java.net.Socket filler = new java.net.Socket();
        fillers.add(filler);
        try {
          filler.connect(new java.net.InetSocketAddress(loopback, full.getLocalPort()), 200);
        } catch (java.io.IOException e) {
          break; // the backlog is full
        }
      }
      OkHttpClient impatient = new OkHttpClient.Builder().connectTimeout(Duration.ofMillis(300)).build();
      MatrixConfig unanswered =
          MatrixConfig.builder("http://127.0.0.1:" + full.getLocalPort() + "/").http(impatient).build();
      try (MatrixClient client = MatrixClient.create(unanswered, MatrixCredentials.accessToken(TOKEN))) {
        long start = System.nanoTime();
        Throwable failure = catchFailure(() -> await(fetch(client.asyncSyncSource(longPolls), POLL)));
        assertThat(failure)
            .isInstanceOfSatisfying(MatrixNetworkException.class, e -> assertThat(e.mayHaveApplied()).isFalse())
            .hasMessageContaining("before it was sent")
            .hasMessageContaining("connect timed out");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
      }
    } finally {
      for (java.net.Socket filler : fillers) {
        filler.close();
      }
    }
    awaitConnections(longPolls, 0);
  }

  @Test
  void aSessionOfInitialSyncThenLongPollsChainsTheTokensOverOneConnection() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    // The poll after s1 waits for a message; the initial sync and later polls answer at once.
    HoldingDispatcher holding =
        new HoldingDispatcher(
            1,
            request -> "s1".equals(request.getUrl().queryParameter("since")),
            request -> {
              String since = request.getUrl().queryParameter("since");
              if (since == null) {
                return json("{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":[]}}}}}");
              }
              if (since.equals("s1")) {
                return json(
                    "{\"next_batch\":\"s2\",\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":[{\"type\":\"m.room.message\","
                        + "\"event_id\":\"$e1\",\"sender\":\"@bob:x\",\"origin_server_ts\":1,"
                        + "\"content\":{\"msgtype\":\"m.text\",\"body\":\"hi\"}}]}}}}}");
              }
              return json("{\"next_batch\":\"" + since + "x\"}");
            });
    server.setDispatcher(holding);
    AsyncSyncSource source = client.asyncSyncSource(longPolls);
    SyncResponse initial = await(fetch(source, INITIAL));
    assertThat(initial.nextBatch()).isEqualTo("s1");
    assertThat(longPolls.connectionCount()).as("the initial sync went through OkHttp").isZero();

    CompletableFuture<SyncResponse> waiting = fetch(source, POLL.withSince(initial.nextBatch()));
    assertThat(holding.awaitArrived()).isTrue();
    assertThat(waiting).isNotDone();
    holding.release.countDown();
    SyncResponse withMessage = await(waiting);
    assertThat(withMessage.nextBatch()).isEqualTo("s2");
    assertThat(withMessage.rooms().join().get("!r:x").timeline().events())
        .singleElement()
        .satisfies(event -> assertThat(event.eventId()).isEqualTo("$e1"));
    SyncResponse next = await(fetch(source, POLL.withSince(withMessage.nextBatch())));
    assertThat(next.nextBatch()).isEqualTo("s2x");

    RecordedRequest initialRequest = take();
    RecordedRequest firstPoll = take();
    RecordedRequest secondPoll = take();
    assertThat(initialRequest.getTarget()).isEqualTo("/_matrix/client/v3/sync?filter=7&timeout=0");
    assertThat(firstPoll.getTarget()).isEqualTo("/_matrix/client/v3/sync?filter=7&since=s1&timeout=30000");
    assertThat(secondPoll.getTarget()).isEqualTo("/_matrix/client/v3/sync?filter=7&since=s2&timeout=30000");
    assertThat(secondPoll.getConnectionIndex()).isEqualTo(firstPoll.getConnectionIndex());
    assertThat(longPolls.connectionCount()).isEqualTo(1);
  }

  @Test
  void noSecretReachesLogsMessagesOrToString() throws Exception {
    LongPollTransport longPolls = transport(LongPollTransport.builder());
    List<String> texts = new ArrayList<>();
    enqueue(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"token " + TOKEN + " expired\"}");
    enqueue(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"no for syt_CANARYrenewed\"}");
    enqueue(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"db down; your token syt_CANARYrenewed\"}");
    try (MatrixClient renewing =
        MatrixClient.create(
            config,
            MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"),
            (c, rejected) -> MatrixCredentials.accessToken("syt_CANARYrenewed", ALICE, "DEVICE1"))) {
      AsyncSyncSource source = renewing.asyncSyncSource(longPolls);
      texts.add(source.toString());
      texts.add(longPolls.toString());
      for (Class<?> expected : List.of(ForbiddenException.class, MatrixErrorException.class)) {
        Throwable failure = catchFailure(() -> await(fetch(source, POLL)));
        assertThat(failure).isInstanceOf(expected);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        texts.add(trace.toString());
      }
      AsyncSyncSource.Cancellable cancelled = source.fetch(POLL.withSince("s9"), new AsyncSyncSource.Callback() {
        @Override
        public void onResponse(SyncResponse response) {}

        @Override
        public void onFailure(MatrixException failure) {
          texts.add(String.valueOf(failure));
        }
      });
      cancelled.cancel();
    }
    assertThat(texts).anyMatch(text -> text.contains("<redacted>"));
    assertThat(CapturingLogs.lines()).anyMatch(line -> line.contains("non-blocking"));
    for (String secret : List.of(TOKEN, "CANARY")) {
      assertThat(texts).noneMatch(text -> text.contains(secret));
      assertThat(CapturingLogs.lines()).noneMatch(line -> line.contains(secret));
    }
  }
}
