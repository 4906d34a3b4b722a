package io.melo.bench.core;

import io.melo.core.MeloClient;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.Subscription;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the core benchmarks: waiting for a client, heap, percentiles. */
final class Bench {

  private Bench() {}

  /** Waits until the client's first sync has filled its cache. */
  static void awaitConnected(MeloClient client, Duration timeout) throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Subscription s = client.on(ConnectionStateChanged.class, e -> {
      if (e.state() == ConnectionState.CONNECTED) {
        connected.countDown();
      }
      e.failure().ifPresent(failure::set);
    });
    try {
      if (client.connectionState() == ConnectionState.CONNECTED) {
        return;
      }
      if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(client.userId() + " not connected after " + timeout
            + ", state " + client.connectionState(), failure.get());
      }
    } finally {
      s.close();
    }
  }

  /** Heap in use after collecting garbage until it stops shrinking. */
  static long usedHeapAfterGc() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      System.gc();
      Thread.sleep(100); // let concurrent cleanup (reference processing) finish between collections
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (used >= best && i >= 2) {
        return Math.min(best, used);
      }
      best = Math.min(best, used);
    }
    return best;
  }

  /** The {@code p}-th percentile (0..1) of the samples, nearest-rank. */
  static double percentile(List<Long> samples, double p) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Nanoseconds as milliseconds, 3 decimals. */
  static String ms(double nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
