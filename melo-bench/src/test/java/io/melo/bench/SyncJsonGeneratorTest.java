package io.melo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonReader;
import io.melo.matrix.sync.JoinedRoom;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SyncJsonGeneratorTest {

  @Test
  void generatedSyncIsDeterministicAndParsesCompletely() throws Exception {
    byte[] json = SyncJsonGenerator.generate(20, 15, 12, 42L);
    assertThat(SyncJsonGenerator.generate(20, 15, 12, 42L)).isEqualTo(json);
    assertThat(SyncJsonGenerator.generate(20, 15, 12, 43L)).isNotEqualTo(json);

    SyncResponse sync = SyncResponseParser.parse(new Buffer().write(json));
    assertThat(sync.rejected()).isEmpty();
    assertThat(sync.rooms().join()).hasSize(20);
    for (JoinedRoom room : sync.rooms().join().values()) {
      assertThat(room.timeline().events()).hasSize(15);
      assertThat(room.state()).hasSize(12);
      assertThat(room.receipts()).hasSize(1);
      assertThat(room.typingUserIds()).isPresent();
    }
    assertThat(RawJsonScan.readAll(JsonReader.of(new Buffer().write(json)))).isPositive();
  }
}
