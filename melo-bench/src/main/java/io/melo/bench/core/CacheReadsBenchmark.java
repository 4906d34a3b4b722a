package io.melo.bench.core;

import io.melo.core.Member;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.event.RoomEvent;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.TestUser;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reads from the sync cache against the raw HTTP calls the same read needed before the cache
 * served it, in the same run, on an in-process {@link FakeHomeserver}. Alice has joined 100 Melo
 * servers (201 rooms with their general channels, one of them with {@link #members} members, 1000 by
 * default):
 *
 * <ul>
 *   <li>{@link #serversCached}: {@code MeloClient.servers()} from the cache; {@link #serversRaw}:
 *       melo-matrix's {@code GET /joined_rooms} and {@code GET /rooms/{id}/state} for every joined
 *       room, the requests {@code servers()} made before (without building the servers).
 *   <li>{@link #membersCached}: {@code MeloClient.members(server)} of the 1000-member server (roles,
 *       profiles, sorted); {@link #membersRaw}: {@code GET /rooms/{id}/state} of its space, the one
 *       request it made before.
 *   <li>{@link #membersPageCached}: one page of 100 of {@code MeloClient.members(server, cursor, 100)},
 *       each call the next page (from the first again after the last): the cache keeps the
 *       sorted member list until the server changes, so a page costs its own size and a binary
 *       search, not a sort of the whole server; against the same {@link #membersRaw}. Run with
 *       {@code -p members=10000} for the 10,000-member server.
 * </ul>
 *
 * <p>The Melo client connects after the setup, so its first sync fills the cache and no write of
 * its own is pending: every read is served without a request (the setup checks that no request
 * reaches the server during a {@code servers()} and a {@code members(..)} call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CacheReadsBenchmark {

  private static final int SERVERS = 100;
  /** How many members the big server has. */
  @org.openjdk.jmh.annotations.Param({"1000"})
  public int members;
  private String pageCursor;

  private FakeHomeserver hs;
  private MeloClient melo;
  private MatrixClient raw;
  private String bigServer;

  /** Builds the servers with a Melo client, then connects a fresh one (cache from its first sync). */
  @Setup
  public void start() throws InterruptedException {
    hs = FakeHomeserver.builder().maxRecordedRequests(10_000).start();
    TestUser alice = hs.register("alice");
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
    try (MeloClient builder = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      for (int i = 0; i < SERVERS; i++) {
        Server server = builder.createServer("server " + i).execute();
        if (i == 0) {
          bigServer = server.id();
        }
      }
    }
    for (int i = 1; i < members; i++) {
      hs.register("member" + i).join(bigServer);
    }
    melo = MeloClient.connect(config, alice.userId(), alice.accessToken());
    Bench.awaitConnected(melo, Duration.ofSeconds(120));
    raw = MatrixClient.create(MatrixConfig.builder(hs.baseUrl()).build(),
        MatrixCredentials.accessToken(alice.accessToken(), alice.userId(), alice.deviceId()));
    long mark = lastRequest();
    if (melo.servers().execute().size() != SERVERS || melo.members(bigServer).execute().size() != members
        || melo.members(bigServer, null, 100).execute().members().size() != 100) {
      throw new IllegalStateException("the setup did not build " + SERVERS + " servers and " + members + " members");
    }
    List<io.melo.testkit.RecordedCall> sent = hs.requests().stream()
        .filter(c -> c.sequence() > mark && c.endpoint() != io.melo.testkit.Endpoint.SYNC).toList();
    if (!sent.isEmpty()) {
      throw new IllegalStateException("the cached reads sent requests: " + sent);
    }
  }

  /** The sequence number of the last request that reached the server. */
  private long lastRequest() {
    List<io.melo.testkit.RecordedCall> calls = hs.requests();
    return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
  }

  /**
   * Interleaved cross-check for a busy machine, where JMH's one-benchmark-after-the-other blocks
   * see different loads: each round times a block of every read, cached and raw, and the ratio is
   * taken per round (median over the rounds after two warm-up rounds). Usage:
   * {@code java -cp melo-bench/target/benchmarks.jar io.melo.bench.core.CacheReadsBenchmark [rounds]}.
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    CacheReadsBenchmark b = new CacheReadsBenchmark();
    b.members = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    b.start();
    try {
      List<Double> servers = new java.util.ArrayList<>();
      List<Double> members = new java.util.ArrayList<>();
      List<Double> pages = new java.util.ArrayList<>();
      double[] last = new double[5];
      for (int round = 0; round < rounds; round++) {
        last[0] = perOp(b::serversCached, 100);
        last[1] = perOp(b::serversRaw, 3);
        last[2] = perOp(b::membersCached, 100);
        last[3] = perOp(b::membersRaw, 20);
        last[4] = perOp(b::membersPageCached, 1000);
        if (round >= 2) {
          servers.add(last[1] / last[0]);
          members.add(last[3] / last[2]);
          pages.add(last[3] / last[4]);
        }
        System.out.printf(java.util.Locale.ROOT,
            "round %2d: servers cached %.3f ms raw %.2f ms (x%.0f); members cached %.3f ms raw %.2f ms (x%.1f);"
                + " page of 100 cached %.4f ms (x%.0f)%n",
            round, last[0], last[1], last[1] / last[0], last[2], last[3], last[3] / last[2], last[4], last[3] / last[4]);
      }
      System.out.printf(java.util.Locale.ROOT,
          "median ratio raw/cached: servers() x%.0f, members() x%.1f, members(server, cursor, 100) x%.0f%n",
          median(servers), median(members), median(pages));
    } finally {
      b.stop();
    }
  }

  /** Milliseconds per call of {@code read}, over {@code calls} calls. */
  private static double perOp(java.util.function.Supplier<?> read, int calls) {
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      if (read.get() == null) {
        throw new IllegalStateException("no answer");
      }
    }
    return (System.nanoTime() - t0) / 1e6 / calls;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new java.util.ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** Closes everything. */
  @TearDown
  public void stop() {
    melo.close();
    raw.close();
    hs.close();
  }

  /** {@code servers()} from the sync cache. */
  @Benchmark
  public List<Server> serversCached() {
    return melo.servers().execute();
  }

  /** The raw requests {@code servers()} made before: joined rooms, then the state of each. */
  @Benchmark
  public int serversRaw() {
    int events = 0;
    for (String roomId : raw.joinedRooms().execute()) {
      List<RoomEvent> state = raw.state(roomId).execute();
      events += state.size();
    }
    return events;
  }

  /** {@code members(server)} of the 1000-member server from the sync cache. */
  @Benchmark
  public List<Member> membersCached() {
    return melo.members(bigServer).execute();
  }

  /** The next page of 100 members of the big server from the sync cache (the first after the last). */
  @Benchmark
  public io.melo.core.MemberPage membersPageCached() {
    io.melo.core.MemberPage page = melo.members(bigServer, pageCursor, 100).execute();
    pageCursor = page.nextCursor().orElse(null);
    return page;
  }

  /** The raw request {@code members(server)} made before: the space's state. */
  @Benchmark
  public List<RoomEvent> membersRaw() {
    return raw.state(bigServer).execute();
  }
}
