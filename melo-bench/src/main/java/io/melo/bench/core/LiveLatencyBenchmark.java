package io.melo.bench.core;

import io.melo.core.MeloClient;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Live latency of melo-core against a bare OkHttp long-poll loop in JMH ({@link Mode#SampleTime}:
 * every invocation is timed, JMH prints p50/p90/p99 of each method), over the scene of
 * {@link LiveScene}: one in-process FakeHomeserver per fork, alice listening, bob in the same room.
 *
 * <ul>
 *   <li>{@link #meloWake} / {@link #rawWake}: bob's message is put straight into the fake (no HTTP);
 *       the invocation ends when alice's {@code MessageCreated} listener has run (Melo's default
 *       sync path: event-driven loop on the shared {@code SyncRuntime} over melo-matrix's
 *       non-blocking {@code LongPollTransport}, listeners on the "Melo events" pool) or when alice's
 *       raw loop (one OkHttp thread, Moshi over every token) has read the answer that holds it;
 *   <li>{@link #meloEcho} / {@link #rawEcho}: alice sends (Melo's {@code sendText(..).execute()}, or a
 *       raw OkHttp PUT) and the invocation ends when her own sync has delivered it as above.
 * </ul>
 *
 * <p>The poll is in flight before each invocation on both sides: a per-invocation setup (not timed)
 * waits on the fake's own condition until one of alice's long polls is parked in it waiting for a
 * change ({@code Homeserver.awaitWaitingPolls}), so every invocation measures the same thing: an
 * answer to a waiting poll, read, parsed, handled and delivered; not how soon a side sends its next
 * poll after the previous answer. A side waits for the seen future (no sleep). Each method runs in a
 * fork of its own with its own fake and only its own side connected, so the other side never competes
 * for the cores; the ratio of two methods of one run is the figure of merit (issue #5: wake p50 at
 * most 2x raw and p99 at most 3x, echo p50 at most 2.5x). Run:
 * {@code java -jar melo-bench/target/benchmarks.jar LiveLatencyBenchmark}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class LiveLatencyBenchmark {

  /** Alice with a {@link MeloClient} on its default sync path. */
  @State(Scope.Benchmark)
  public static class MeloSide {
    LiveScene scene;
    MeloClient client;

    /** Starts the fake and connects alice; returns once her first sync is done. */
    @Setup(Level.Trial)
    public void start() throws InterruptedException {
      scene = LiveScene.start();
      client = scene.connectMelo();
    }

    /** Waits until alice's next long poll is parked in the fake (not timed). */
    @Setup(Level.Invocation)
    public void pollInFlight() {
      scene.awaitPollInFlight();
    }

    /** Closes the client and the fake. */
    @TearDown(Level.Trial)
    public void stop() {
      client.close();
      scene.close();
    }
  }

  /** Alice with the raw OkHttp + Moshi long-poll loop. */
  @State(Scope.Benchmark)
  public static class RawSide {
    LiveScene scene;
    RawSyncLoop loop;

    /** Starts the fake and the raw loop; returns once its initial sync is done. */
    @Setup(Level.Trial)
    public void start() throws IOException {
      scene = LiveScene.start();
      loop = scene.startRaw();
    }

    /** Waits until alice's next long poll is parked in the fake (not timed). */
    @Setup(Level.Invocation)
    public void pollInFlight() {
      scene.awaitPollInFlight();
    }

    /** Stops the loop and the fake. */
    @TearDown(Level.Trial)
    public void stop() {
      loop.close();
      scene.close();
    }
  }

  /** Bob's message into the fake until alice's Melo listener has run. */
  @Benchmark
  public long meloWake(MeloSide side) throws InterruptedException {
    LiveScene scene = side.scene;
    String body = scene.nextBody();
    CompletableFuture<Long> seen = scene.expect(body);
    scene.bobSends(body);
    return LiveScene.await(seen, null);
  }

  /** Bob's message into the fake until alice's raw loop has read it. */
  @Benchmark
  public long rawWake(RawSide side) throws InterruptedException {
    LiveScene scene = side.scene;
    String body = scene.nextBody();
    CompletableFuture<Long> seen = scene.expect(body);
    scene.bobSends(body);
    return LiveScene.await(seen, side.loop.failure());
  }

  /** Alice's Melo send until her own Melo listener has its echo. */
  @Benchmark
  public long meloEcho(MeloSide side) throws InterruptedException {
    LiveScene scene = side.scene;
    String body = scene.nextBody();
    CompletableFuture<Long> seen = scene.expect(body);
    side.client.sendText(scene.room, body).execute();
    return LiveScene.await(seen, null);
  }

  /** Alice's raw PUT until her raw loop has read its echo. */
  @Benchmark
  public long rawEcho(RawSide side) throws IOException, InterruptedException {
    LiveScene scene = side.scene;
    String body = scene.nextBody();
    CompletableFuture<Long> seen = scene.expect(body);
    scene.rawSend(body);
    return LiveScene.await(seen, side.loop.failure());
  }
}
