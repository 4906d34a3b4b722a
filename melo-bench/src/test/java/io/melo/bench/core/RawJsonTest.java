package io.melo.bench.core;

import io.melo.bench.RawJsonScan;
import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonReader;
import io.melo.bench.SyncJsonGenerator;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class RawJsonTest {

  @Test
  void scanSyncFindsMarkedStringsAtAnyDepthAndTheTopLevelNextBatch() throws IOException {
    String json = "{\"rooms\":{\"join\":{\"!r:x\":{\"timeline\":{\"events\":[{\"content\":{\"body\":\"bench-7\","
        + "\"n\":3,\"ok\":true,\"no\":null},\"next_batch\":\"inner\"}]}}}},\"next_batch\":\"s42\","
        + "\"account_data\":{\"events\":[{\"content\":{\"x\":\"bench-8\"}}]}}";
    Set<String> found = new HashSet<>();

    String next = RawJson.scanSync(JsonReader.of(new Buffer().writeUtf8(json)), "bench-", found);

    assertThat(next).isEqualTo("s42");
    assertThat(found).containsExactlyInAnyOrder("bench-7", "bench-8");
  }

  @Test
  void readAllConsumesAWholeGeneratedSync() throws IOException {
    byte[] json = SyncJsonGenerator.generate(3, 4, 2, 42L);
    Buffer buffer = new Buffer().write(json);
    JsonReader reader = JsonReader.of(buffer);

    assertThat(RawJsonScan.readAll(reader)).isPositive();
    assertThat(reader.peek()).isEqualTo(JsonReader.Token.END_DOCUMENT);
  }

  @Test
  void percentileIsNearestRank() {
    java.util.List<Long> samples = java.util.List.of(5L, 1L, 4L, 2L, 3L, 6L, 7L, 8L, 9L, 10L);
    assertThat(Bench.percentile(samples, 0.50)).isEqualTo(5.0);
    assertThat(Bench.percentile(samples, 0.99)).isEqualTo(10.0);
    assertThat(Bench.percentile(samples, 0.10)).isEqualTo(1.0);
  }
}
