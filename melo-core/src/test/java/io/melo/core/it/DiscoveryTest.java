package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.HomeserverException;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.DiscoveryException;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
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
@FakeOnly("serves .well-known from a scripted MockWebServer and counts the requests the homeserver received")
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
        .isInstanceOfSatisfying(DiscoveryException.class,
            e -> assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.INVALID_WELL_KNOWN))
        .hasMessageContaining("not an http(s) URL: matrix dot example");
  }

  @Test
  void aDocumentWithoutHomeserverFails() {
    wellKnown(200, "{\"m.identity_server\":{\"base_url\":\"https://id.example.org\"}}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOfSatisfying(DiscoveryException.class,
            e -> assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.INVALID_WELL_KNOWN))
        .hasMessageContaining("m.homeserver.base_url");
  }

  @Test
  void aBaseUrlThatIsNotAHomeserverFails() throws Exception {
    // The domain names itself, but answers /versions with 404: not a homeserver.
    wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"" + domain.url("/") + "\"}}");
    wellKnown(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOfSatisfying(DiscoveryException.class, e -> {
          assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.NOT_A_HOMESERVER);
          assertThat(e.baseUrl()).hasValue(domain.url("/").toString());
        })
        .hasMessageContaining("does not answer /_matrix/client/versions like a homeserver");
    taken();
    assertThat(taken().getTarget()).isEqualTo("/_matrix/client/versions");
  }

  @Test
  void aPlainHttpHomeserverElsewhereIsRefused() {
    wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"http://matrix.example.org\"}}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOfSatisfying(DiscoveryException.class,
            e -> assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.INVALID_WELL_KNOWN))
        .hasMessageContaining("names a homeserver Melo may not use")
        .hasMessageContaining("http://");
  }

  @Test
  void aWellKnownThatIsNotJsonIsInvalid() {
    domain.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
        .body("<html>welcome</html>").build());
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOfSatisfying(DiscoveryException.class, e -> {
          assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.INVALID_WELL_KNOWN);
          assertThat(e.serverName()).isEqualTo("localhost");
          assertThat(e.baseUrl()).isEmpty();
        })
        .hasMessageContaining("not a valid discovery document");
  }

  @Test
  void aWebServersPlain404PageMeansNoDocumentToo() {
    domain.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", "text/html")
        .body("<html>Not Found</html>").build());
    MeloConfig config = domainConfig();
    assertThat(MeloClient.discover(config).execute()).isEqualTo(config);
  }

  /** The server name of the domain: {@code localhost:<port>}, reached over http (a loopback host). */
  private String domainName() {
    return "localhost:" + domain.getPort();
  }

  @Test
  void aUserIdImpliesTheServerNameAndALoginDiscoversItsHomeserver() throws Exception {
    // A homeserver whose users are @...:localhost:<domain port>: their server name is the domain.
    try (FakeHomeserver home = FakeHomeserver.builder().serverName(domainName()).start()) {
      TestUser alice = home.register("alice");
      wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"" + home.baseUrl() + "/\"}}");
      MeloConfig config = MeloConfig.forUser(alice.userId()).eventExecutor(Runnable::run).build();
      assertThat(config.needsDiscovery()).isTrue();
      assertThat(config.serverName()).hasValue(domainName());

      try (MeloClient client = MeloClient.login(config, alice.userId(), alice.password()).execute()) {
        assertThat(client.config().homeserver().toString()).isEqualTo(home.baseUrl() + "/");
        assertThat(client.config().needsDiscovery()).isFalse();
        assertThat(client.createServer("found").execute().ownerId()).isEqualTo(alice.userId());
      }
      assertThat(taken().getTarget()).isEqualTo("/.well-known/matrix/client");
      assertThat(home.requests()).extracting(RecordedCall::endpoint).contains(Endpoint.VERSIONS);
    }
  }

  @Test
  void aLocalpartLogsInOnTheConfiguredServerNamesHomeserver() throws Exception {
    try (FakeHomeserver home = FakeHomeserver.builder().serverName(domainName()).start()) {
      TestUser alice = home.register("alice");
      wellKnown(200, "{\"m.homeserver\":{\"base_url\":\"" + home.baseUrl() + "\"}}");
      MeloConfig config = MeloConfig.forServerName(domainName()).eventExecutor(Runnable::run).build();
      try (MeloClient client = MeloClient.login(config, "alice", alice.password()).execute()) {
        assertThat(client.userId()).isEqualTo(alice.userId());
      }
      assertThat(taken().getTarget()).isEqualTo("/.well-known/matrix/client");
    }
  }

  @Test
  void withoutADocumentTheServerNameItselfIsTriedAsTheHomeserver() throws Exception {
    MeloConfig config = MeloConfig.forServerName(domainName()).eventExecutor(Runnable::run).build();
    wellKnown(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"Not found\"}");
    wellKnown(200, "{\"versions\":[\"v1.11\"]}");

    MeloConfig discovered = MeloClient.discover(config).execute();

    assertThat(discovered.homeserver()).isEqualTo(domain.url("/"));
    assertThat(discovered.needsDiscovery()).isFalse();
    assertThat(taken().getTarget()).isEqualTo("/.well-known/matrix/client");
    assertThat(taken().getTarget()).isEqualTo("/_matrix/client/versions");
  }

  @Test
  void noDocumentAndNoHomeserverAtTheServerNameFailsAsNoWellKnown() {
    MeloConfig config = MeloConfig.forServerName(domainName()).eventExecutor(Runnable::run).build();
    wellKnown(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"Not found\"}");
    wellKnown(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");

    assertThatThrownBy(() -> MeloClient.login(config, "@alice:" + domainName(), "pw").execute())
        .isInstanceOfSatisfying(DiscoveryException.class, e -> {
          assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.NO_WELL_KNOWN);
          assertThat(e.serverName()).isEqualTo(domainName());
        })
        .hasMessageContaining("publishes no /.well-known/matrix/client")
        .message().doesNotContain("pw");
  }

  @Test
  void factoriesThatMakeNoRequestNeedADiscoveredConfig() {
    MeloConfig config = MeloConfig.forServerName("example.org").build();
    assertThat(config.homeserver().toString()).isEqualTo("https://example.org/");
    assertThatThrownBy(() -> MeloClient.connect(config, "@alice:example.org", "token"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("example.org")
        .hasMessageContaining("MeloClient.discover(config)");
    assertThatThrownBy(() -> MeloClient.asAppService(config, "as", "@app:example.org"))
        .isInstanceOf(IllegalArgumentException.class);
    // An explicit base URL replaces the server name: used as it is.
    assertThat(config.toBuilder().homeserver("https://matrix.example.org").build().needsDiscovery()).isFalse();
    assertThatThrownBy(() -> MeloConfig.forServerName("not a name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serverName");
    assertThatThrownBy(() -> MeloConfig.forUser("alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("@alice:example.org");
  }

  @Test
  void aLoginAnswersWellKnownMovesTheClientToTheHomeserverItNames() {
    TestUser alice = hs.register("alice");
    // The configured URL answers the login (as a homeserver behind a moved domain would) and names
    // the homeserver to use from now on.
    domain.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body("{\"user_id\":\"" + alice.userId() + "\",\"access_token\":\"" + alice.accessToken()
            + "\",\"device_id\":\"" + alice.deviceId() + "\",\"well_known\":{\"m.homeserver\":{\"base_url\":\""
            + hs.baseUrl() + "\"}}}").build());

    try (MeloClient client = MeloClient.login(domainConfig(), alice.userId(), alice.password()).execute()) {
      assertThat(client.config().homeserver().toString()).isEqualTo(hs.baseUrl() + "/");
      assertThat(client.createServer("moved").execute().ownerId()).isEqualTo(alice.userId());
    }
    assertThat(domain.getRequestCount()).isEqualTo(1);
    assertThat(hs.requests()).extracting(RecordedCall::endpoint).contains(Endpoint.VERSIONS);
  }

  @Test
  void plainHttpElsewhereNeedsTheAppsConsent() {
    MeloConfig insecure = MeloConfig.builder("http://matrix.example.org").build();
    assertThatThrownBy(() -> io.melo.core.AccountProvisioner.builder(insecure).sharedSecret("s").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
    MeloConfig allowed = insecure.toBuilder().allowInsecureHttp(true).build();
    assertThat(allowed.allowInsecureHttp()).isTrue();
    assertThat(io.melo.core.AccountProvisioner.builder(allowed).sharedSecret("s").build().toString())
        .contains("matrix.example.org").doesNotContain("=s");
  }

  @Test
  void aRefusedWellKnownIsReported() {
    wellKnown(400, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"Bad request\"}");
    assertThatThrownBy(() -> MeloClient.discover(domainConfig()).execute())
        .isInstanceOfSatisfying(HomeserverException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
  }
}
