package io.melo.bench.core;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.TestUser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Live latency of melo-core against a bare OkHttp long-poll loop, same fake, same run:
 * <ul>
 *   <li>wake: user B's message is put straight into the FakeHomeserver (no HTTP); measured until
 *       user A's {@code MessageCreated} listener runs (Melo) or A's raw loop has read the answer
 *       that holds it (raw);
 *   <li>echo: A sends a message (Melo's {@code sendText(..).execute()}, or a raw OkHttp PUT) and
 *       measured until A's own sync delivers it (Melo's {@code MessageCreated}, or the raw loop).
 * </ul>
 * Melo runs its default sync path: the event-driven {@code SyncLoop} on the shared
 * {@code SyncRuntime}, its long polls on melo-matrix's shared non-blocking {@code LongPollTransport}
 * (initial and catch-up syncs through OkHttp on the transport's blocking pool).
 * Melo and raw run in alternating blocks of {@code perBlock} events, one side at a time (so they
 * never compete for the two cores), {@code rounds} rounds, the first {@code warmupRounds} not
 * counted. Usage: {@code LiveLatencyBench [rounds] [perBlock]}.
 */
public final class LiveLatencyBench {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final FakeHomeserver hs;
  private final TestUser alice;
  private final TestUser bob;
  private final String room;
  private final OkHttpClient http;
  private final MeloConfig config;
  private final Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final AtomicLong txn = new AtomicLong();

  private LiveLatencyBench(FakeHomeserver hs) {
    this.hs = hs;
    this.alice = hs.register("alice");
    this.bob = hs.register("bob");
    this.room = bob.createRoom(r -> r.preset("public_chat").name("bench"));
    alice.join(room);
    this.http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    this.config = MeloConfig.builder(hs.baseUrl()).http(http).build();
  }

  /** Runs the benchmark and prints p50/p99 of each side with their ratios. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int warmupRounds = 2;
    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).maxRecordedRequests(0).start()) {
      new LiveLatencyBench(hs).run(rounds, warmupRounds, perBlock);
    }
  }

  private void run(int rounds, int warmupRounds, int perBlock) throws Exception {
    List<Long> wakeMelo = new ArrayList<>();
    List<Long> wakeRaw = new ArrayList<>();
    List<Long> echoMelo = new ArrayList<>();
    List<Long> echoRaw = new ArrayList<>();
    List<Long> sendMelo = new ArrayList<>();
    List<Long> sendRaw = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      boolean counted = round >= warmupRounds;
      // Alternate which side goes first, so neither always follows the other.
      for (int side = 0; side < 2; side++) {
        boolean melo = (round + side) % 2 == 0;
        if (melo) {
          meloBlock(perBlock, counted ? wakeMelo : new ArrayList<>(), counted ? echoMelo : new ArrayList<>(),
              counted ? sendMelo : new ArrayList<>());
        } else {
          rawBlock(perBlock, counted ? wakeRaw : new ArrayList<>(), counted ? echoRaw : new ArrayList<>(),
              counted ? sendRaw : new ArrayList<>());
        }
      }
    }
    System.out.printf(Locale.ROOT, "samples per side: %d (%d rounds x %d, %d warm-up rounds dropped)%n",
        wakeMelo.size(), rounds - warmupRounds, perBlock, warmupRounds);
    System.out.println("melo sync path: " + config.syncRuntime() + " over " + io.melo.matrix.LongPollTransport.shared());
    report("wake (B sends -> A sees it)", wakeMelo, wakeRaw, 2.0, 3.0);
    report("echo (A sends -> A's sync has it)", echoMelo, echoRaw, 2.5, Double.NaN);
    report("  of which the send call itself", sendMelo, sendRaw, Double.NaN, Double.NaN);
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private static void report(String what, List<Long> melo, List<Long> raw, double p50Target, double p99Target) {
    double m50 = Bench.percentile(melo, 0.50);
    double r50 = Bench.percentile(raw, 0.50);
    double m99 = Bench.percentile(melo, 0.99);
    double r99 = Bench.percentile(raw, 0.99);
    System.out.printf(Locale.ROOT, "%s: p50 melo %s raw %s ratio %.2f%s | p99 melo %s raw %s ratio %.2f%s%n",
        what, Bench.ms(m50), Bench.ms(r50), m50 / r50, verdict(m50 / r50, p50Target),
        Bench.ms(m99), Bench.ms(r99), m99 / r99, verdict(m99 / r99, p99Target));
  }

  private static String verdict(double ratio, double target) {
    if (Double.isNaN(target)) {
      return "";
    }
    return String.format(Locale.ROOT, " (target <= %.1f: %s)", target, ratio <= target ? "PASS" : "FAIL");
  }

  private String nextBody() {
    return "bench-" + counter.incrementAndGet();
  }

  private CompletableFuture<Long> expect(String body) {
    CompletableFuture<Long> seen = new CompletableFuture<>();
    pending.put(body, seen);
    return seen;
  }

  private void seen(String body, long at) {
    CompletableFuture<Long> f = pending.remove(body);
    if (f != null) {
      f.complete(at);
    }
  }

  private void meloBlock(int n, List<Long> wake, List<Long> echo, List<Long> send) throws Exception {
    try (MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      client.on(MessageCreated.class, e -> seen(e.message().body(), System.nanoTime()));
      Bench.awaitConnected(client, WAIT);
      for (int i = 0; i < n; i++) {
        String body = nextBody();
        CompletableFuture<Long> f = expect(body);
        long t0 = System.nanoTime();
        bob.sendText(room, body);
        wake.add(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS) - t0);
      }
      for (int i = 0; i < n; i++) {
        String body = nextBody();
        CompletableFuture<Long> f = expect(body);
        long t0 = System.nanoTime();
        client.sendText(room, body).execute();
        send.add(System.nanoTime() - t0);
        echo.add(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS) - t0);
      }
    }
  }

  private void rawBlock(int n, List<Long> wake, List<Long> echo, List<Long> send) throws Exception {
    try (RawSyncLoop loop = RawSyncLoop.start(http, hs.baseUrl(), alice.accessToken(), "bench-", this::seen)) {
      for (int i = 0; i < n; i++) {
        String body = nextBody();
        CompletableFuture<Long> f = expect(body);
        long t0 = System.nanoTime();
        bob.sendText(room, body);
        wake.add(await(f, loop) - t0);
      }
      for (int i = 0; i < n; i++) {
        String body = nextBody();
        CompletableFuture<Long> f = expect(body);
        long t0 = System.nanoTime();
        rawSend(body);
        send.add(System.nanoTime() - t0);
        echo.add(await(f, loop) - t0);
      }
    }
  }

  private static long await(CompletableFuture<Long> f, RawSyncLoop loop) throws Exception {
    try {
      return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("raw loop did not see the event", loop.failure());
    }
  }

  private void rawSend(String body) throws IOException {
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
}
