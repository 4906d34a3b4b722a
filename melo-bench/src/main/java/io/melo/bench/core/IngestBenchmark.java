package io.melo.bench.core;

import io.melo.bench.ByteCounter;
import io.melo.bench.RawJsonScan;
import com.squareup.moshi.JsonReader;
import io.melo.bench.SyncJsonGenerator;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
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
 * Initial sync of 1000 rooms x 20 timeline x 30 state events into melo-core's domain cache
 * ({@link #melo}: a {@link MeloClient} connects, its first {@code /sync} fills the cache, it
 * reports CONNECTED, it closes) against Moshi's raw token stream over the same bytes from the same
 * server ({@link #rawHttp}: OkHttp GET, every token read from the response stream) and in memory
 * ({@link #rawMemory}); {@link #typedHttp} (melo-matrix's parse alone) attributes the difference.
 * The {@code bytes} counter gives bytes per second. Runs with -Xmx256m.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class IngestBenchmark {

  private byte[] json;
  private CannedSyncServer server;
  private OkHttpClient http;
  private MeloConfig config;
  private Request initialSync;
  /** Clients {@link #melo} connected (one benchmark thread). */
  private long connects;

  /** Generates the answer once (seed 42) and starts the server answering it. */
  @Setup
  public void start() throws IOException {
    json = SyncJsonGenerator.generate(1000, 20, 30, 42L);
    server = new CannedSyncServer(json);
    http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    config = MeloConfig.builder(server.baseUrl()).http(http).build();
    initialSync = new Request.Builder().url(server.initialSyncUrl())
        .header("Authorization", "Bearer " + CannedSyncServer.TOKEN).build();
  }

  /**
   * Stops the server; fails the run if Melo asked for anything but {@code /sync} and one session
   * check ({@code /account/whoami}) per client.
   */
  @TearDown
  public void stop() {
    int unexpected = server.unexpected();
    server.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    if (unexpected > 0) {
      throw new IllegalStateException(unexpected + " requests other than /sync and the session check reached"
          + " the canned server");
    }
    if (server.whoamis() != connects) {
      // Each client checks its session once, beside its first sync: more would be a retry loop.
      throw new IllegalStateException(server.whoamis() + " session checks for " + connects + " clients");
    }
  }

  /** Melo: connect, first sync into the domain cache, CONNECTED, close. */
  @Benchmark
  public MeloClient melo(ByteCounter counter) throws InterruptedException {
    MeloClient client = MeloClient.connect(config, CannedSyncServer.USER, CannedSyncServer.TOKEN);
    connects++;
    try {
      Bench.awaitConnected(client, Duration.ofSeconds(60));
    } finally {
      client.close();
    }
    counter.bytes += json.length;
    return client;
  }

  /** The baseline: the same request with OkHttp, Moshi reading every token from the response stream. */
  @Benchmark
  public long rawHttp(ByteCounter counter) throws IOException {
    try (Response response = http.newCall(initialSync).execute()) {
      long sum = RawJsonScan.readAll(JsonReader.of(response.body().source()));
      counter.bytes += json.length;
      return sum;
    }
  }

  /**
   * Attribution, not a baseline: melo-matrix's typed parse of the same HTTP answer into a
   * {@link SyncResponse} without the domain cache, so melo's gap splits into parsing and caching.
   */
  @Benchmark
  public SyncResponse typedHttp(ByteCounter counter) throws IOException {
    try (Response response = http.newCall(initialSync).execute()) {
      SyncResponse parsed = SyncResponseParser.parse(response.body().source());
      counter.bytes += json.length;
      return parsed;
    }
  }

  /** The stricter baseline: Moshi reading every token of the bytes already in memory. */
  @Benchmark
  public long rawMemory(ByteCounter counter) throws IOException {
    long sum = RawJsonScan.readAll(JsonReader.of(new Buffer().write(json)));
    counter.bytes += json.length;
    return sum;
  }
}
