package io.melo.bench.core;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.TestUser;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The scene of the live latency benchmarks ({@link LiveLatencyBench}, {@link LiveLatencyBenchmark}):
 * one in-process FakeHomeserver, user B ("bob") who sends into a public room straight through the
 * fake's model (no HTTP), user A ("alice") who is in the room and listens, either with a
 * {@link MeloClient} (its {@code MessageCreated} listener) or with the raw {@link RawSyncLoop}
 * (OkHttp long poll + Moshi), both over the same OkHttp client. Every message body is unique; a
 * side that sees a body completes the future {@link #expect} returned for it with the time it saw it.
 */
final class LiveScene implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);
  private static final MediaType JSON = MediaType.get("application/json");

  final FakeHomeserver hs;
  final TestUser alice;
  final TestUser bob;
  final String room;
  final OkHttpClient http;
  final MeloConfig config;
  private final Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final AtomicLong txn = new AtomicLong();

  private LiveScene(FakeHomeserver hs) {
    this.hs = hs;
    this.alice = hs.register("alice");
    this.bob = hs.register("bob");
    this.room = bob.createRoom(r -> r.preset("public_chat").name("bench"));
    alice.join(room);
    this.http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    this.config = MeloConfig.builder(hs.baseUrl()).http(http).build();
  }

  /** Starts a fake (lenient, no request recording) with the two users and their room. */
  static LiveScene start() {
    return new LiveScene(FakeHomeserver.builder().strict(false).maxRecordedRequests(0).start());
  }

  /** A body no message had before. */
  String nextBody() {
    return "bench-" + counter.incrementAndGet();
  }

  /** A future completed with the {@link System#nanoTime()} at which alice's side sees {@code body}. */
  CompletableFuture<Long> expect(String body) {
    CompletableFuture<Long> seen = new CompletableFuture<>();
    pending.put(body, seen);
    return seen;
  }

  /** Alice's side saw {@code body} at {@code at}. */
  void seen(String body, long at) {
    CompletableFuture<Long> f = pending.remove(body);
    if (f != null) {
      f.complete(at);
    }
  }

  /** Connects alice with Melo, her listener reporting each message; returns once her first sync is done. */
  MeloClient connectMelo() throws InterruptedException {
    MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken());
    client.on(MessageCreated.class, e -> seen(e.message().body(), System.nanoTime()));
    Bench.awaitConnected(client, WAIT);
    return client;
  }

  /** Starts alice's raw loop, reporting each body; returns once its initial sync is done. */
  RawSyncLoop startRaw() throws IOException {
    return RawSyncLoop.start(http, hs.baseUrl(), alice.accessToken(), "bench-", this::seen);
  }

  /**
   * Waits (on the fake's condition, no sleep) until one of alice's long polls is parked in the
   * fake, waiting for a change: the next message is then answered to a poll already in flight.
   */
  void awaitPollInFlight() {
    if (!hs.model().awaitWaitingPolls(alice.userId(), 1, WAIT)) {
      throw new IllegalStateException("no long poll of alice reached the fake within " + WAIT);
    }
  }

  /** Bob sends {@code body} straight into the fake (no HTTP). */
  void bobSends(String body) {
    bob.sendText(room, body);
  }

  /** Alice sends {@code body} with a bare OkHttp PUT. */
  void rawSend(String body) throws IOException {
    HttpUrl url = HttpUrl.get(hs.baseUrl()).newBuilder().addPathSegments("_matrix/client/v3/rooms")
        .addPathSegment(room).addPathSegments("send/m.room.message").addPathSegment("raw" + txn.incrementAndGet())
        .build();
    String json = "{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}";
    Request request = new Request.Builder().url(url).put(RequestBody.create(json, JSON))
        .header("Authorization", "Bearer " + alice.accessToken()).build();
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("send answered " + response.code() + ": " + response.body().string());
      }
      response.body().string();
    }
  }

  /** The time {@code f} was completed with; fails after {@link #WAIT}, naming {@code why} as the cause. */
  static long await(CompletableFuture<Long> f, Throwable why) throws InterruptedException {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("alice's side did not see the message within " + WAIT, why);
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    hs.close();
  }
}
