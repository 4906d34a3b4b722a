package io.melo.testkit.bench;

import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.http.NoDelayServerSocketFactory;
import io.melo.testkit.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A plain benchmark main (not a test; surefire does not run it): single-request latency on loopback,
 * and the throughput of 8 concurrent clients doing send+sync against the FakeHomeserver versus a bare
 * MockWebServer answering canned responses, in the same run.
 *
 * <p>Run: {@code mvn -q -o -pl melo-testkit test-compile} then
 * {@code java -cp melo-testkit/target/classes:melo-testkit/target/test-classes:$(cat cp.txt)
 * io.melo.testkit.bench.FakeHomeserverBench [seconds]}. Options: {@code -Dbench.clients=8} (client
 * threads), {@code -Dbench.warmup=3} (seconds of the same workload before each measured phase: the
 * fake's code paths are still being JIT-compiled after 1 s on a loaded 2-core box),
 * {@code -Dbench.rounds=2} (fake/bare pairs). Each phase also prints the CPU it used per request:
 * client threads, server threads and the rest (JIT compiler, GC), which on a shared machine is
 * steadier than requests/s.
 */
public final class FakeHomeserverBench {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int CLIENTS = Integer.getInteger("bench.clients", 8);

  private FakeHomeserverBench() {}

  /** Runs the benchmark and prints the results. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    OkHttpClient http = new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(CLIENTS * 2, 1, TimeUnit.MINUTES))
        .dispatcher(new okhttp3.Dispatcher())
        .readTimeout(Duration.ofSeconds(30))
        .build();
    http.dispatcher().setMaxRequestsPerHost(64);

    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).maxRecordedRequests(0).start()) {
      String base = hs.baseUrl();
      Map<String, Object> reg = register(http, base, "bench");
      String token = (String) reg.get("access_token");
      String room = createRoom(http, base, token);

      // Single request latency: warm up, then measure.
      for (int i = 0; i < 2000; i++) {
        get(http, base + "/_matrix/client/versions", null);
        send(http, base, token, room, "w" + i);
      }
      long[] versions = new long[5000];
      long[] sends = new long[5000];
      for (int i = 0; i < versions.length; i++) {
        long t0 = System.nanoTime();
        get(http, base + "/_matrix/client/versions", null);
        versions[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        send(http, base, token, room, "s" + i);
        sends[i] = System.nanoTime() - t0;
      }
      System.out.printf("single GET /versions      p50 %.3f ms  p99 %.3f ms%n", pct(versions, 50), pct(versions, 99));
      System.out.printf("single PUT send (event)   p50 %.3f ms  p99 %.3f ms%n", pct(sends, 50), pct(sends, 99));

      // 8 clients doing send + incremental sync against the fake.
      List<String> tokens = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        Map<String, Object> r = register(http, base, "client" + c);
        String t = (String) r.get("access_token");
        join(http, base, t, room);
        storeFilter(http, base, t, (String) r.get("user_id"));
        tokens.add(t);
      }
      // Rounds alternate the fake and a bare MockWebServer answering canned copies of the fake's own
      // last answers (same bytes on the wire) with the same TCP_NODELAY sockets, so each ratio compares
      // two phases run seconds apart on this shared machine; the default-socket bare server (the
      // issue's literal baseline, slowed by Nagle/delayed ACK) runs once at the end.
      int rounds = Integer.getInteger("bench.rounds", 2);
      double fake = 0;
      List<String> cannedSync = null;
      String cannedSend = null;
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        fake = throughput(seconds, c -> {
          String t = tokens.get(c);
          String since = sync(http, base, t, null);
          return new Step() {
            String s = since;
            long i;

            @Override
            public int run() throws IOException {
              send(http, base, t, room, "c" + c + "." + (i++));
              s = sync(http, base, t, s);
              return 2;
            }
          };
        });
        System.out.printf("round %d fake: %d clients send+sync  %.0f requests/s (sync answers %d bytes on average)%n",
            round, CLIENTS, fake, SYNC_BYTES.get() / Math.max(1, SYNCS.get()));
        System.out.println(cpuLine(fake, seconds));
        cannedSync = recentSyncs();
        cannedSend = lastSend;
        double nodelay = bare(http, seconds, true, cannedSync, cannedSend);
        System.out.printf("round %d bare MockWebServer canned (TCP_NODELAY, the fake's last %d sync answers, %d bytes on"
            + " average): %d clients  %.0f requests/s  ratio fake/bare %.1f%%%n", round, cannedSync.size(),
            cannedSync.stream().mapToInt(String::length).sum() / cannedSync.size(), CLIENTS, nodelay, 100.0 * fake / nodelay);
        ratios.add(100.0 * fake / nodelay);
      }
      double plain = bare(http, seconds, false, cannedSync, cannedSend);
      System.out.printf("bare MockWebServer canned (default sockets): %d clients  %.0f requests/s  ratio last fake/bare %.1f%%%n",
          CLIENTS, plain, 100.0 * fake / plain);
      System.out.printf("ratios fake/bare (TCP_NODELAY) by round: %s%n", ratios.stream()
          .map(r -> String.format("%.1f%%", r)).collect(java.util.stream.Collectors.toList()));
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private static double bare(OkHttpClient http, int seconds, boolean noDelay, List<String> canned, String cannedSend)
      throws Exception {
    try (MockWebServer bare = new MockWebServer()) {
      double result;
      if (noDelay) {
        bare.setServerSocketFactory(new NoDelayServerSocketFactory());
      }
      AtomicLong served = new AtomicLong();
      bare.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          // The fake's own recent answers in turn: the same sizes as the fake sent, not one lucky answer.
          String body = request.getMethod().equals("PUT")
              ? cannedSend
              : canned.get(Math.floorMod(served.getAndIncrement(), canned.size()));
          return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
              .body(body).build();
        }
      });
      bare.start();
      String bareBase = bare.url("/").toString().replaceAll("/$", "");
      http.connectionPool().evictAll();
      result = throughput(seconds, c -> new Step() {
        String s = "s0";
        long i;

        @Override
        public int run() throws IOException {
          send(http, bareBase, "t", "!r:localhost", "c" + c + "." + (i++));
          s = sync(http, bareBase, "t", s);
          return 2;
        }
      });
      if (noDelay) {
        System.out.println(cpuLine(result, seconds));
      }
      return result;
    }
  }

  interface Step {
    int run() throws IOException;
  }

  interface StepFactory {
    Step create(int client) throws IOException;
  }

  /** CPU used during the last measured throughput window: whole process and the client threads, in ns. */
  private static long lastProcessCpu;
  private static long lastClientCpu;
  private static long lastWallNanos;
  private static long lastServerCpu;
  private static long lastServerAlloc;
  private static long lastClientAlloc;

  /** Bytes allocated so far by a thread (HotSpot's ThreadMXBean), or -1 where unsupported. */
  private static long allocated(long threadId) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    return mx instanceof com.sun.management.ThreadMXBean
        ? ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(threadId)
        : -1;
  }

  /** Bytes allocated so far by every live MockWebServer thread, by thread id. */
  private static Map<Long, Long> serverThreadAlloc() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("MockWebServer")) {
        out.put(info.getThreadId(), allocated(info.getThreadId()));
      }
    }
    return out;
  }

  /** CPU time of every live MockWebServer thread (the servers' connection handlers), by thread id. */
  private static Map<Long, Long> serverThreadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("MockWebServer")) {
        out.put(info.getThreadId(), mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return out;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
        : -1;
  }

  /** One line on where the CPU of the last throughput window went, per request. */
  private static String cpuLine(double requestsPerSecond, int seconds) {
    double requests = requestsPerSecond * seconds;
    double wall = lastWallNanos / 1e9;
    return String.format("  cpu: process %.2f cores busy, per request %.0f us (client threads %.0f us, server threads %.0f us,"
        + " rest = jit+gc %.0f us)",
        lastProcessCpu / 1e9 / wall, lastProcessCpu / 1e3 / requests, lastClientCpu / 1e3 / requests,
        lastServerCpu / 1e3 / requests, (lastProcessCpu - lastClientCpu - lastServerCpu) / 1e3 / requests)
        + String.format("%n  allocated per request: client threads %.1f KB, server threads %.1f KB",
        lastClientAlloc / 1e3 / requests, lastServerAlloc / 1e3 / requests);
  }

  private static double throughput(int seconds, StepFactory factory) throws Exception {
    java.lang.management.ThreadMXBean threadsMx = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] clientCpu = new long[CLIENTS];
    long[] clientAlloc = new long[CLIENTS];
    long[] cpuAtStart = new long[1];
    long[] wallAtStart = new long[1];
    CountDownLatch warm = new CountDownLatch(CLIENTS);
    AtomicLong requests = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(CLIENTS);
    CountDownLatch done = new CountDownLatch(CLIENTS);
    long[] window = new long[2];
    List<Thread> threads = new ArrayList<>();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.warmup", 3));
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        try {
          Step step = factory.create(client);
          ready.countDown();
          while (System.nanoTime() < warmupEnd) {
            step.run();
          }
          long cpu0 = threadsMx.getCurrentThreadCpuTime();
          long alloc0 = allocated(Thread.currentThread().getId());
          warm.countDown();
          while (System.nanoTime() < end) {
            requests.addAndGet(step.run());
          }
          clientCpu[client] = threadsMx.getCurrentThreadCpuTime() - cpu0;
          clientAlloc[client] = allocated(Thread.currentThread().getId()) - alloc0;
        } catch (IOException e) {
          throw new RuntimeException(e);
        } finally {
          done.countDown();
        }
      });
      threads.add(t);
      t.start();
    }
    ready.await();
    warm.await();
    cpuAtStart[0] = processCpuNanos();
    wallAtStart[0] = System.nanoTime();
    Map<Long, Long> serverAtStart = serverThreadCpu();
    Map<Long, Long> serverAllocAtStart = serverThreadAlloc();
    done.await();
    long server = 0;
    for (Map.Entry<Long, Long> e : serverThreadCpu().entrySet()) {
      Long before = serverAtStart.get(e.getKey());
      if (before != null && e.getValue() >= 0 && before >= 0) {
        server += e.getValue() - before;
      }
    }
    lastServerCpu = server;
    long serverAlloc = 0;
    for (Map.Entry<Long, Long> e : serverThreadAlloc().entrySet()) {
      Long before = serverAllocAtStart.get(e.getKey());
      if (before != null && e.getValue() >= 0 && before >= 0) {
        serverAlloc += e.getValue() - before;
      }
    }
    lastServerAlloc = serverAlloc;
    lastClientAlloc = Arrays.stream(clientAlloc).sum();
    lastWallNanos = System.nanoTime() - wallAtStart[0];
    lastProcessCpu = processCpuNanos() - cpuAtStart[0];
    lastClientCpu = Arrays.stream(clientCpu).sum();
    return requests.get() / (double) seconds;
  }

  private static double pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> register(OkHttpClient http, String base, String user) throws IOException {
    String body = "{\"username\":\"" + user + "\",\"password\":\"pw-" + user
        + "-123\",\"auth\":{\"type\":\"m.login.dummy\"}}";
    return (Map<String, Object>) Json.parse(post(http, base + "/_matrix/client/v3/register", null, body));
  }

  @SuppressWarnings("unchecked")
  private static String createRoom(OkHttpClient http, String base, String token) throws IOException {
    String r = post(http, base + "/_matrix/client/v3/createRoom", token, "{\"preset\":\"public_chat\"}");
    return (String) ((Map<String, Object>) Json.parse(r)).get("room_id");
  }

  private static void join(OkHttpClient http, String base, String token, String room) throws IOException {
    post(http, base + "/_matrix/client/v3/join/" + room, token, "{}");
  }

  private static void send(OkHttpClient http, String base, String token, String room, String txn)
      throws IOException {
    lastSend = put(http, base + "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/" + txn, token,
        "{\"msgtype\":\"m.text\",\"body\":\"hello\"}");
  }

  @SuppressWarnings("unchecked")
  private static String sync(OkHttpClient http, String base, String token, String since) throws IOException {
    // A stored filter, as matrix-js-sdk uses after its first sync ("0" on the bare server).
    String filter = FILTERS.getOrDefault(token, "0");
    String url = base + "/_matrix/client/v3/sync?timeout=0&filter=" + filter + (since == null ? "" : "&since=" + since);
    String body = get(http, url, token);
    lastSync = body;
    RECENT_SYNCS[Math.floorMod(RECENT_INDEX.getAndIncrement(), RECENT_SYNCS.length)] = body;
    SYNC_BYTES.addAndGet(body.length());
    SYNCS.incrementAndGet();
    return (String) ((Map<String, Object>) Json.parse(body)).get("next_batch");
  }

  private static final Map<String, String> FILTERS = new java.util.concurrent.ConcurrentHashMap<>();
  private static volatile String lastSync;
  /** The last 64 sync answers (racy writes are fine: any recent answers will do). */
  private static final String[] RECENT_SYNCS = new String[64];
  private static final AtomicLong RECENT_INDEX = new AtomicLong();

  private static List<String> recentSyncs() {
    List<String> out = new ArrayList<>();
    for (String s : RECENT_SYNCS) {
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }
  private static final AtomicLong SYNC_BYTES = new AtomicLong();
  private static final AtomicLong SYNCS = new AtomicLong();
  private static volatile String lastSend;

  @SuppressWarnings("unchecked")
  private static void storeFilter(OkHttpClient http, String base, String token, String userId) throws IOException {
    String r = post(http, base + "/_matrix/client/v3/user/" + userId + "/filter", token,
        "{\"room\":{\"timeline\":{\"limit\":5}}}");
    FILTERS.put(token, (String) ((Map<String, Object>) Json.parse(r)).get("filter_id"));
  }

  private static String get(OkHttpClient http, String url, String token) throws IOException {
    return call(http, new Request.Builder().url(url), token);
  }

  private static String post(OkHttpClient http, String url, String token, String json) throws IOException {
    return call(http, new Request.Builder().url(url).post(RequestBody.create(json, JSON)), token);
  }

  private static String put(OkHttpClient http, String url, String token, String json) throws IOException {
    return call(http, new Request.Builder().url(url).put(RequestBody.create(json, JSON)), token);
  }

  private static String call(OkHttpClient http, Request.Builder b, String token) throws IOException {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = http.newCall(b.build()).execute()) {
      String body = r.body().string();
      if (!r.isSuccessful()) {
        throw new IOException("HTTP " + r.code() + ": " + body);
      }
      return body;
    }
  }
}
