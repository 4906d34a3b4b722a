package io.melo.bench;

import com.squareup.moshi.JsonReader;
import io.melo.matrix.sync.SyncResponseParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import okio.Buffer;

/**
 * A cross-check of {@link SyncParseBenchmark} for shared, busy machines: runs the raw and the typed
 * parse in alternating slices of 200 ms of this thread's CPU time and reports bytes per CPU second,
 * so other processes stealing the cores do not skew the ratio. GC work on other threads is not
 * counted (it favours the parser that allocates more: the typed one), so JMH stays the reference.
 *
 * <p>Run: {@code java -cp melo-bench/target/benchmarks.jar io.melo.bench.SyncParseCpuCheck [rounds]}
 */
public final class SyncParseCpuCheck {

  private SyncParseCpuCheck() {}

  /** Prints one line per shape: raw MB/s, typed MB/s and the ratio. */
  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int[] shape : new int[][] {{100, 50, 0}, {1000, 20, 30}}) {
      byte[] json = SyncJsonGenerator.generate(shape[0], shape[1], shape[2], 42L);
      long sink = 0;
      long rawCpu = 0;
      long rawOps = 0;
      long typedCpu = 0;
      long typedOps = 0;
      for (int round = 0; round < rounds; round++) {
        long c0 = mx.getCurrentThreadCpuTime();
        int n = 0;
        while (mx.getCurrentThreadCpuTime() - c0 < 200_000_000L) {
          sink += RawJsonScan.readAll(JsonReader.of(new Buffer().write(json)));
          n++;
        }
        long c1 = mx.getCurrentThreadCpuTime();
        int k = 0;
        while (mx.getCurrentThreadCpuTime() - c1 < 200_000_000L) {
          sink += SyncResponseParser.parse(new Buffer().write(json)).rooms().join().size();
          k++;
        }
        long c2 = mx.getCurrentThreadCpuTime();
        if (round >= rounds / 3) { // the first third warms up
          rawCpu += c1 - c0;
          rawOps += n;
          typedCpu += c2 - c1;
          typedOps += k;
        }
      }
      double raw = rawOps * (double) json.length / (rawCpu / 1e9) / 1e6;
      double typed = typedOps * (double) json.length / (typedCpu / 1e9) / 1e6;
      System.out.printf(Locale.ROOT, "%dx%dx%d (%.1f MB): raw %.0f MB/s, typed %.0f MB/s, typed/raw %.2f  [%d]%n",
          shape[0], shape[1], shape[2], json.length / 1e6, raw, typed, typed / raw, sink % 10);
    }
  }
}
