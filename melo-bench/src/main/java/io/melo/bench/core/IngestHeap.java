package io.melo.bench.core;

import io.melo.bench.SyncJsonGenerator;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import com.squareup.moshi.JsonReader;
import io.melo.bench.RawJsonScan;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Locale;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Retained heap of melo-core's domain cache after an initial sync of 1000 rooms x 20 timeline x
 * 30 state events, as a multiple of the payload's bytes (target: at most 5x). Run it with
 * {@code -Xmx256m}: {@code java -Xmx256m -cp melo-bench/target/benchmarks.jar io.melo.bench.core.IngestHeap}.
 * An optional argument holds the ingested client for that many seconds (to take a class histogram).
 * The heap is read through {@code MemoryMXBean} after repeated collections, before and after, with
 * the payload and the server alive in both readings. For reference it also reports the retained
 * heap of melo-matrix's parsed {@link SyncResponse} of the same bytes.
 *
 * <p>Before that it times the ingest against the raw baseline interleaved (melo, raw, melo, raw,
 * ...; {@code -Drounds=N}, default 12): on a shared machine the load drifts, and JMH runs all of one
 * benchmark before the other, so the interleaved medians compare the two under the same load. Each
 * side also reports the process CPU time per ingest (every thread, the server's and the collector's
 * included), which the load on other processes inflates less than the wall time.
 */
public final class IngestHeap {

  private IngestHeap() {}

  /** Runs the measurement and prints the numbers. */
  public static void main(String[] args) throws Exception {
    byte[] json = SyncJsonGenerator.generate(1000, 20, 30, 42L);
    long max = Runtime.getRuntime().maxMemory();
    System.out.printf(Locale.ROOT, "payload %d bytes (%.1f MB), max heap %d MB%n", json.length, json.length / 1e6, max >> 20);
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    try (CannedSyncServer server = new CannedSyncServer(json)) {
      MeloConfig config = MeloConfig.builder(server.baseUrl()).http(http).build();
      // Warm up, and time where an ingest goes: connect to CONNECTED, then close.
      for (int i = 0; i < 6; i++) {
        long s0 = System.nanoTime();
        MeloClient warm = MeloClient.connect(config, CannedSyncServer.USER, CannedSyncServer.TOKEN);
        Bench.awaitConnected(warm, Duration.ofSeconds(60));
        long s1 = System.nanoTime();
        warm.close();
        long s2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "warm-up %d: connect to CONNECTED %.0f ms (%.0f MB/s), close %.0f ms%n",
            i, (s1 - s0) / 1e6, json.length / ((s1 - s0) / 1e9) / 1e6, (s2 - s1) / 1e6);
      }

      interleaved(json, http, config, server, Integer.getInteger("rounds", 12));

      long before = Bench.usedHeapAfterGc();
      SyncResponse parsed = SyncResponseParser.parse(new Buffer().write(json));
      long parsedHeap = Bench.usedHeapAfterGc() - before;
      Reference.reachabilityFence(parsed);
      parsed = null;

      before = Bench.usedHeapAfterGc();
      long t0 = System.nanoTime();
      MeloClient client = MeloClient.connect(config, CannedSyncServer.USER, CannedSyncServer.TOKEN);
      Bench.awaitConnected(client, Duration.ofSeconds(60));
      long took = System.nanoTime() - t0;
      long after = Bench.usedHeapAfterGc();
      long retained = after - before;
      System.out.printf(Locale.ROOT, "melo ingest (one cold-ish run) %.0f ms%n", took / 1e6);
      System.out.printf(Locale.ROOT, "melo-core cache retained %d bytes (%.1f MB) = %.2fx payload (target <= 5x): %s%n",
          retained, retained / 1e6, (double) retained / json.length, retained <= 5L * json.length ? "PASS" : "FAIL");
      System.out.printf(Locale.ROOT, "reference: parsed SyncResponse alone retains %d bytes (%.1f MB) = %.2fx payload%n",
          parsedHeap, parsedHeap / 1e6, (double) parsedHeap / json.length);
      System.out.println("unexpected requests: " + server.unexpected());
      if (args.length > 0) {
        // Diagnosis: hold the ingested client so that `jcmd <pid> GC.class_histogram` can see it.
        System.out.println("holding the client for " + args[0] + " s, pid " + ProcessHandle.current().pid());
        Thread.sleep(Long.parseLong(args[0]) * 1000);
      }
      Reference.reachabilityFence(client);
      client.close();
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** Melo's ingest and the raw baseline, alternating, with wall and CPU time per ingest. */
  private static void interleaved(byte[] json, OkHttpClient http, MeloConfig config, CannedSyncServer server, int rounds)
      throws Exception {
    Request initial = new Request.Builder().url(server.initialSyncUrl())
        .header("Authorization", "Bearer " + CannedSyncServer.TOKEN).build();
    List<Long> meloWall = new ArrayList<>();
    List<Long> meloCpu = new ArrayList<>();
    List<Long> rawWall = new ArrayList<>();
    List<Long> rawCpu = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long w0 = System.nanoTime();
      long c0 = processCpuNanos();
      MeloClient client = MeloClient.connect(config, CannedSyncServer.USER, CannedSyncServer.TOKEN);
      Bench.awaitConnected(client, Duration.ofSeconds(60));
      client.close();
      meloWall.add(System.nanoTime() - w0);
      meloCpu.add(processCpuNanos() - c0);
      w0 = System.nanoTime();
      c0 = processCpuNanos();
      try (Response response = http.newCall(initial).execute()) {
        RawJsonScan.readAll(JsonReader.of(response.body().source()));
      }
      rawWall.add(System.nanoTime() - w0);
      rawCpu.add(processCpuNanos() - c0);
    }
    double mb = json.length / 1e6;
    double meloMedian = Bench.percentile(meloWall, 0.5);
    double rawMedian = Bench.percentile(rawWall, 0.5);
    System.out.printf(Locale.ROOT, "interleaved, %d rounds: melo median %.0f ms (%.1f MB/s), best %.0f ms; raw median %.0f ms"
            + " (%.1f MB/s), best %.0f ms%n", rounds, meloMedian / 1e6, mb / (meloMedian / 1e9), Bench.percentile(meloWall, 0)
            / 1e6, rawMedian / 1e6, mb / (rawMedian / 1e9), Bench.percentile(rawWall, 0) / 1e6);
    System.out.printf(Locale.ROOT, "interleaved ratio melo/raw (throughput): median %.2f, best %.2f; by process CPU time"
            + " (median %.0f vs %.0f ms): %.2f%n", rawMedian / meloMedian,
        Bench.percentile(rawWall, 0) / Bench.percentile(meloWall, 0), Bench.percentile(meloCpu, 0.5) / 1e6,
        Bench.percentile(rawCpu, 0.5) / 1e6, Bench.percentile(rawCpu, 0.5) / Bench.percentile(meloCpu, 0.5));
  }

  /** CPU time of the whole process (every thread). */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }
}
