package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeHomeserverExtensionTest {

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class PerTestField {
    @RegisterExtension
    final FakeHomeserverExtension hs = new FakeHomeserverExtension();

    @Test
    @Order(1)
    void firstTestLeavesARequestBehind() {
      assertThat(new TestHttp(hs.baseUrl()).get("/_matrix/client/versions").status()).isEqualTo(200);
      assertThat(hs.requests()).hasSize(1);
    }

    @Test
    @Order(2)
    void secondTestGetsAFreshServer() {
      assertThat(hs.requests()).isEmpty();
    }
  }

  @ExtendWith(FakeHomeserverExtension.class)
  @Nested
  class InjectedParameter {
    @Test
    void injectsAStartedServer(FakeHomeserver server) {
      assertThat(new TestHttp(server.baseUrl()).get("/.well-known/matrix/client").status()).isEqualTo(200);
    }
  }

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class SharedByAnnotation {
    @Test
    void annotationMakesOneServerForTheClass() {
      FakeHomeserverExtension ext = new FakeHomeserverExtension();
      FakeHomeserver[] seen = new FakeHomeserver[2];
      ext.beforeAll(context(Annotated.class));
      for (int i = 0; i < 2; i++) {
        ext.beforeEach(null);
        seen[i] = ext.server();
        ext.afterEach(null);
      }
      ext.afterAll(null);
      assertThat(seen[0]).isSameAs(seen[1]);
      assertThatThrownBy(ext::server).isInstanceOf(IllegalStateException.class);
    }
  }

  @SharedHomeserver
  static final class Annotated {}

  static ExtensionContext context(Class<?> testClass) {
    return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("getRequiredTestClass")) {
            return testClass;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void unfiredFaultFailsTheTestAtTeardown() {
    FakeHomeserverExtension ext = new FakeHomeserverExtension();
    ext.beforeEach(null);
    ext.faults().next(Endpoint.SYNC).dropConnection();
    assertThatThrownBy(() -> ext.afterEach(null)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("never fired");
  }

  @Test
  void sharedServerVerifiesAndClearsFaultsAfterEachTest() {
    FakeHomeserverExtension ext = new FakeHomeserverExtension();
    ext.beforeAll(context(Annotated.class));
    ext.beforeEach(null);
    ext.faults().next(Endpoint.SYNC).dropConnection();
    assertThatThrownBy(() -> ext.afterEach(null)).isInstanceOf(AssertionError.class);
    ext.beforeEach(null);
    ext.afterEach(null); // the unfired fault of the previous test does not leak into this one
    ext.afterAll(null);
  }
}
