package io.melo.bench.core;

import io.melo.core.MeloClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

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
 * counted. Each event is sent as soon as the previous one was seen, without waiting for the side's
 * next long poll to reach the fake, so a side's re-poll delay counts when the event comes before it;
 * {@link LiveLatencyBenchmark} measures the same scene in JMH with the poll in flight. Usage:
 * {@code LiveLatencyBench [rounds] [perBlock]}.
 */
public final class LiveLatencyBench {

  private final LiveScene scene;

  private LiveLatencyBench(LiveScene scene) {
    this.scene = scene;
  }

  /** Runs the benchmark and prints p50/p99 of each side with their ratios. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int warmupRounds = 2;
    try (LiveScene scene = LiveScene.start()) {
      new LiveLatencyBench(scene).run(rounds, warmupRounds, perBlock);
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
    System.out.println("melo sync path: " + scene.config.syncRuntime() + " over "
        + io.melo.matrix.LongPollTransport.shared());
    report("wake (B sends -> A sees it)", wakeMelo, wakeRaw, 2.0, 3.0);
    report("echo (A sends -> A's sync has it)", echoMelo, echoRaw, 2.5, Double.NaN);
    report("  of which the send call itself", sendMelo, sendRaw, Double.NaN, Double.NaN);
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

  private void meloBlock(int n, List<Long> wake, List<Long> echo, List<Long> send) throws Exception {
    try (MeloClient client = scene.connectMelo()) {
      for (int i = 0; i < n; i++) {
        String body = scene.nextBody();
        CompletableFuture<Long> f = scene.expect(body);
        long t0 = System.nanoTime();
        scene.bobSends(body);
        wake.add(LiveScene.await(f, null) - t0);
      }
      for (int i = 0; i < n; i++) {
        String body = scene.nextBody();
        CompletableFuture<Long> f = scene.expect(body);
        long t0 = System.nanoTime();
        client.sendText(scene.room, body).execute();
        send.add(System.nanoTime() - t0);
        echo.add(LiveScene.await(f, null) - t0);
      }
    }
  }

  private void rawBlock(int n, List<Long> wake, List<Long> echo, List<Long> send) throws Exception {
    try (RawSyncLoop loop = scene.startRaw()) {
      for (int i = 0; i < n; i++) {
        String body = scene.nextBody();
        CompletableFuture<Long> f = scene.expect(body);
        long t0 = System.nanoTime();
        scene.bobSends(body);
        wake.add(LiveScene.await(f, loop.failure()) - t0);
      }
      for (int i = 0; i < n; i++) {
        String body = scene.nextBody();
        CompletableFuture<Long> f = scene.expect(body);
        long t0 = System.nanoTime();
        scene.rawSend(body);
        send.add(System.nanoTime() - t0);
        echo.add(LiveScene.await(f, loop.failure()) - t0);
      }
    }
  }
}
