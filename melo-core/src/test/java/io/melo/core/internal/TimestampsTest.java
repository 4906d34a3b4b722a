package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void formatsLikeJavaScriptToIsoString() {
    assertThat(Timestamps.format(Instant.parse("2026-12-01T02:50:29.123456Z"))).isEqualTo("2026-12-01T02:50:29.123Z");
    assertThat(Timestamps.format(Instant.parse("2026-12-01T02:50:29Z"))).isEqualTo("2026-12-01T02:50:29.000Z");
  }

  @Test
  void parsesIsoAndRejectsOtherTextWithoutThrowing() {
    assertThat(Timestamps.parse("2026-12-01T02:50:29.123Z")).hasValue(Instant.parse("2026-12-01T02:50:29.123Z"));
    assertThat(Timestamps.parse("yesterday")).isEmpty();
    assertThat(Timestamps.parse(null)).isEmpty();
    assertThat(Timestamps.fromMillis(1000)).isEqualTo(Instant.ofEpochSecond(1));
  }
}
