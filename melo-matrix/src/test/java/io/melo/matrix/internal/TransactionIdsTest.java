package io.melo.matrix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionIdsTest {

  @Test
  void idsAreUniqueWithinAndAcrossGenerators() {
    Set<String> seen = new HashSet<>();
    for (int generator = 0; generator < 20; generator++) {
      TransactionIds ids = new TransactionIds(); // a restart: a new generator
      for (int i = 0; i < 100; i++) {
        assertThat(seen.add(ids.next())).isTrue();
      }
    }
  }

  @Test
  void idsAreSafeInAPathWithoutEncoding() {
    String id = new TransactionIds().next();
    assertThat(id).matches("melo[A-Za-z0-9_-]{16}\\.1");
    assertThat(PathEncoder.segment("txnId", id, false)).isEqualTo(id);
  }
}
