package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.HomeserverException;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.MeloProtocolException;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MeloClient#discover}: an app configured with its domain reaches the homeserver that the
 * domain's {@code /.well-known/matrix/client} names, and bad documents fail as the spec says.
 */
class DiscoveryTest {

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  /** The app's domain: serves only the well-known document. */
  private final MockWebServer domain = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    domain.start();
  }

  @AfterEach
  void stop() {
    domain.close();
  }

  private MeloConfig domainConfig() {
    return MeloConfig.builder(domain.url("/")).eventExecutor(Runnable::run).build();
  }

  private void wellKnown(int code, String body) {
    domain.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = domain.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the domain").isNotNull();
    return request;
  }

  @Test
  void theDomainsWellKnownLeadsToTheHomeserverAndALoginThere() throws Exception {
    wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"" + hs.baseUrl() + "\"},\"org.example.extra\":{}}");
    TestUser alice = hs.register("alice");

    MeloConfig discovered = MeloClient.discover(domainConfig()).execute();

    assertThat(discovered.homeserver().toString()).isEqualTo(hs.baseUrl() + "/");
    assertThat(discovered.eventExecutor()).isSameAs(domainConfig().eventExecutor());
    assertThat(taken().getTarget()).isEqualTo("/.well-known/matrix/client");
    // The spec: the base URL is checked to be a homeserver before it is used.
    assertThat(hs.requests()).extracting(RecordedCall::endpoint).contains(Endpoint.VERSIONS);
    try (MeloClient client = MeloClient.login(discovered, alice.userId(), alice.password()).execute()) {
      assertThat(client.createServer("found").execute().ownerId()).isEqualTo(alice.userId());
    }
    assertThat(domain.getRequestCount()).isEqualTo(1);
  }

  @Test
  void withoutAWellKnownDocumentTheConfiguredUrlStays() throws Exception {
    wellKnown(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"Not found\"}");
    MeloConfig config = domainConfig();
    assertThat(MeloClient.discover(config).execute()).isEqualTo(config);
    assertThat(taken().getTarget()).isEqualTo("/.well-known/matrix/client");
  }

  @Test
  void aBaseUrlThatIsNoUrlFails() {
    wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"matrix dot example\"}}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("not an http(s) URL: matrix dot example");
  }

  @Test
  void aDocumentWithoutHomeserverFails() {
    wellKnown(200, "{\"m.identity_server\":{\"base_url\":\"https://id.example.org\"}}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("m.homeserver.base_url");
  }

  @Test
  void aBaseUrlThatIsNotAHomeserverFails() throws Exception {
    // The domain names itself, but answers /versions with 404: not a homeserver.
    wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"" + domain.url("/") + "\"}}");
    wellKnown(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("does not answer /_matrix/client/versions like a homeserver");
    taken();
    assertThat(taken().getTarget()).isEqualTo("/_matrix/client/versions");
  }

  @Test
  void aPlainHttpHomeserverElsewhereIsRefused() {
    wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"http://matrix.example.org\"}}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOf(MeloProtocolException.class)
        .hasMessageContaining("names a homeserver Melo may not use")
        .hasMessageContaining("http://");
  }

  @Test
  void aRefusedWellKnownIsReported() {
    wellKnown(400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Bad request\"}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOfSatisfying(HomeserverException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
  }
}
