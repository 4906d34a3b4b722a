package io.melo.bench;

import com.squareup.moshi.JsonReader;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing a large {@code /sync} answer: Melo's typed parser ({@link #typed}) against Moshi's raw
 * streaming read of every token of the same bytes ({@link #raw}), in the same run. The
 * {@code bytes} counter gives each one's throughput in bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SyncParseBenchmark {

  /** Rooms x timeline events x state events per room. */
  @Param({"100x50x0", "1000x20x30"})
  public String shape;

  private byte[] json;

  /** Generates the answer once, with a fixed seed. */
  @Setup
  public void generate() {
    String[] parts = shape.split("x");
    json = SyncJsonGenerator.generate(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
        Integer.parseInt(parts[2]), 42L);
  }

  /** Melo's typed parse into {@link SyncResponse}. */
  @Benchmark
  public SyncResponse typed(ByteCounter counter) {
    SyncResponse response = SyncResponseParser.parse(new Buffer().write(json));
    counter.bytes += json.length;
    return response;
  }

  /** The baseline: Moshi's streaming reader reads every name and value (numbers as their literal). */
  @Benchmark
  public long raw(ByteCounter counter) throws IOException {
    long sum = RawJsonScan.readAll(JsonReader.of(new Buffer().write(json)));
    counter.bytes += json.length;
    return sum;
  }
}
