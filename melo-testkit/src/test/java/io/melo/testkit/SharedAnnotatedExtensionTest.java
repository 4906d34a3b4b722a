package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @SharedHomeserver} with parameter injection: one server, its state kept across the class's tests. */
@SharedHomeserver
@ExtendWith(FakeHomeserverExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedAnnotatedExtensionTest {
  private static FakeHomeserver first;

  @Test
  @Order(1)
  void firstTestSeedsAUser(FakeHomeserver hs) {
    first = hs;
    hs.register("alice");
  }

  @Test
  @Order(2)
  void secondTestSeesTheSameServerAndTheUser(FakeHomeserver hs) {
    assertThat(hs).isSameAs(first);
    assertThat(hs.model().userIds()).contains("@alice:localhost");
  }
}
