package io.melo.bench.core;

import com.squareup.moshi.JsonReader;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.MessageCreated;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * Many Melo clients in one process against one fake: threads and heap per client after every
 * client's first sync, against the same number of bare OkHttp long-poll loops in the same run.
 * The FakeHomeserver runs in a child JVM (the standalone main) so that its own threads (one per
 * connection in mockwebserver3) and heap are not counted. All clients are members of one shared
 * room; after they connect, one message is sent and the time until every client's listener has
 * seen it is reported (fan-out). Usage: {@code ManyClientsBench [clients]}.
 */
public final class ManyClientsBench {

  private static final MediaType JSON = MediaType.get("application/json");

  private ManyClientsBench() {}

  /** Runs the benchmark and prints the numbers. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Process fake = startFake();
    try {
      String base = readBaseUrl(fake);
      run(base, n);
    } finally {
      fake.destroy();
      fake.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process startFake() throws IOException {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.melo.testkit.Main", "--port", "0").redirectErrorStream(true).start();
  }

  private static String readBaseUrl(Process fake) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("listening on ")) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {
              // keep the child's output pipe from filling up
            }
          } catch (IOException ignored) {
            // the child ended
          }
        }, "fake-output");
        drain.setDaemon(true);
        drain.start();
        return line.substring("listening on ".length()).trim();
      }
    }
    throw new IOException("the fake homeserver ended without printing its URL");
  }

  private static void run(String base, int n) throws Exception {
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    http.dispatcher().setMaxRequestsPerHost(n + 10);
    http.dispatcher().setMaxRequests(n + 10);
    // Seed over HTTP: n users, one public room they all join.
    List<String[]> users = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> r = post(http, base, "/_matrix/client/v3/register", null,
          "{\"username\":\"user" + i + "\",\"password\":\"pw-" + i + "-bench\",\"auth\":{\"type\":\"m.login.dummy\"}}");
      users.add(new String[] {(String) r.get("user_id"), (String) r.get("access_token")});
    }
    String room = (String) post(http, base, "/_matrix/client/v3/createRoom", users.get(0)[1],
        "{\"preset\":\"public_chat\",\"name\":\"lobby\"}").get("room_id");
    for (int i = 1; i < n; i++) {
      String join = HttpUrl.get(base).newBuilder().addPathSegments("_matrix/client/v3/join").addPathSegment(room)
          .build().encodedPath();
      post(http, base, join, users.get(i)[1], "{}");
    }
    System.out.printf(Locale.ROOT, "%d users in one room on %s%n", n, base);
    MeloConfig config = MeloConfig.builder(base).http(http).build();

    // ---- Melo
    Snapshot before = Snapshot.take();
    long t0 = System.nanoTime();
    List<MeloClient> clients = new ArrayList<>();
    CountDownLatch fanOut = new CountDownLatch(n);
    String body = "bench-fanout";
    Snapshot half = null;
    long snapshotNanos = 0; // the half-way snapshot's GCs are not counted in the connect time
    for (String[] u : users) {
      MeloClient client = MeloClient.connect(config, u[0], u[1]);
      client.on(MessageCreated.class, e -> {
        if (e.message().body().equals(body)) {
          fanOut.countDown();
        }
      });
      clients.add(client);
      if (clients.size() == n / 2) {
        for (MeloClient c : clients) {
          Bench.awaitConnected(c, Duration.ofSeconds(120));
        }
        long s0 = System.nanoTime();
        half = Snapshot.take();
        snapshotNanos = System.nanoTime() - s0;
      }
    }
    for (MeloClient client : clients) {
      Bench.awaitConnected(client, Duration.ofSeconds(120));
    }
    long connected = System.nanoTime() - t0 - snapshotNanos;
    Snapshot melo = Snapshot.take();
    long f0 = System.nanoTime();
    clients.get(0).sendText(room, body).execute();
    boolean all = fanOut.await(60, TimeUnit.SECONDS);
    long fan = System.nanoTime() - f0;
    long c0 = System.nanoTime();
    for (MeloClient client : clients) {
      client.close();
    }
    long closing = System.nanoTime() - c0;
    Reference.reachabilityFence(clients);
    clients.clear();
    http.connectionPool().evictAll();
    Snapshot afterClose = Snapshot.take();

    System.out.printf(Locale.ROOT, "melo: %d clients connected (first sync done) in %.0f ms; fan-out of one message to all: %s in %.0f ms; close all: %.0f ms%n",
        n, connected / 1e6, all ? "all" : "NOT all (" + fanOut.getCount() + " missing)", fan / 1e6, closing / 1e6);
    report("melo", n, before, melo);
    int secondHalf = n - n / 2;
    int grownSecondHalf = melo.threads - half.threads;
    // "Threads do not grow per client": the clients added after the first half add (almost) no thread.
    System.out.printf(Locale.ROOT, "  threads added by the last %d clients: %+d (%.3f per client; target: no growth"
            + " per client, <= 0.02: %s); by name: %s%n",
        secondHalf, grownSecondHalf, (double) grownSecondHalf / secondHalf,
        (double) grownSecondHalf / secondHalf <= 0.02 ? "PASS" : "FAIL", growth(half, melo));
    System.out.println("  long-poll transport: " + io.melo.matrix.LongPollTransport.shared()
        + "; sync runtime: " + config.syncRuntime());
    System.out.printf(Locale.ROOT, "  after closing every client: %d threads (%+d vs before)%n",
        afterClose.threads, afterClose.threads - before.threads);

    // ---- raw baseline: n bare long-poll loops, one thread each (OkHttp's blocking API)
    Snapshot rawBefore = Snapshot.take();
    List<RawSyncLoop> loops = new ArrayList<>();
    for (String[] u : users) {
      loops.add(RawSyncLoop.start(http, base, u[1], "bench-", (v, t) -> { }));
    }
    Snapshot raw = Snapshot.take();
    for (RawSyncLoop loop : loops) {
      loop.close();
    }
    report("raw", n, rawBefore, raw);
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private static void report(String what, int n, Snapshot before, Snapshot after) {
    int threads = after.threads - before.threads;
    long heap = after.heap - before.heap;
    System.out.printf(Locale.ROOT, "%s: threads %d -> %d (%+d, %.2f per client); heap %+.1f MB (%.0f KB per client, target <= 1024 KB: %s)%n",
        what, before.threads, after.threads, threads, (double) threads / n, heap / 1e6, heap / 1024.0 / n,
        heap / n <= 1024 * 1024 ? "PASS" : "FAIL");
    System.out.println("  thread growth by name: " + growth(before, after));
  }

  private static Map<String, Integer> growth(Snapshot before, Snapshot after) {
    Map<String, Integer> grown = new TreeMap<>();
    after.byName.forEach((name, count) -> {
      int d = count - before.byName.getOrDefault(name, 0);
      if (d != 0) {
        grown.put(name, d);
      }
    });
    before.byName.forEach((name, count) -> {
      if (!after.byName.containsKey(name)) {
        grown.put(name, -count);
      }
    });
    return grown;
  }

  /** Threads (by name, numbers stripped) and heap after collection. */
  private static final class Snapshot {
    final int threads;
    final long heap;
    final Map<String, Integer> byName = new TreeMap<>();

    private Snapshot(int threads, long heap) {
      this.threads = threads;
      this.heap = heap;
    }

    static Snapshot take() throws InterruptedException {
      long heap = Bench.usedHeapAfterGc();
      Snapshot s = new Snapshot(ManagementFactory.getThreadMXBean().getThreadCount(), heap);
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        s.byName.merge(t.getName().replaceAll("[0-9]+", "N"), 1, Integer::sum);
      }
      return s;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> post(OkHttpClient http, String base, String path, String token, String json)
      throws IOException {
    Request.Builder request = new Request.Builder().url(base + path).post(RequestBody.create(json, JSON));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(path + " answered " + response.code() + ": " + text);
      }
      return (Map<String, Object>) JsonReader.of(new Buffer().writeUtf8(text)).readJsonValue();
    }
  }
}
