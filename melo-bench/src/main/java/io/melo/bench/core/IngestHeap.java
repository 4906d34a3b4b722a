package io.melo.bench.core;

import io.melo.bench.SyncJsonGenerator;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Locale;
import okhttp3.OkHttpClient;
import okio.Buffer;

/**
 * Retained heap of melo-core's domain cache after an initial sync of 1000 rooms x 20 timeline x
 * 30 state events, as a multiple of the payload's bytes (target: at most 5x). Run it with
 * {@code -Xmx256m}: {@code java -Xmx256m -cp melo-bench/target/benchmarks.jar io.melo.bench.core.IngestHeap}.
 * An optional argument holds the ingested client for that many seconds (to take a class histogram).
 * The heap is read through {@code MemoryMXBean} after repeated collections, before and after, with
 * the payload and the server alive in both readings. For reference it also reports the retained
 * heap of melo-matrix's parsed {@link SyncResponse} of the same bytes.
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
}
