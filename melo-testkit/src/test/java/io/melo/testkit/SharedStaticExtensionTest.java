package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An extension in a static field serves the whole class with one server. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStaticExtensionTest {
  @RegisterExtension
  static final FakeHomeserverExtension HS = new FakeHomeserverExtension();
  private static FakeHomeserver first;

  @Test
  @Order(1)
  void firstTestSeesTheServer() {
    first = HS.server();
    assertThat(new TestHttp(HS.baseUrl()).get("/_matrix/client/versions").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void secondTestSeesTheSameServerAndItsHistory() {
    assertThat(HS.server()).isSameAs(first);
    assertThat(HS.requests()).extracting(RecordedCall::endpoint).containsExactly(Endpoint.VERSIONS);
  }
}
