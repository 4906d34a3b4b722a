package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.Session;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.HomeserverExtension;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Appservice;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Login, stored sessions, token refresh, application services and discovery. */
class SessionsTest {

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final HomeserverExtension hs = new HomeserverExtension(
      FakeHomeserver.builder()
          .clock(clock)
          .accessTokenLifetime(Duration.ofMinutes(5))
          .appservice(new Appservice("bridge", "as-token-secret", "bridgebot", List.of("@app_.*:localhost"))));

  private MeloConfig config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
  }

  @Test
  void aSessionNeverPrintsItsTokens() {
    Session session = new Session("@alice:hs", "DEV", "secret-access", "secret-refresh");
    assertThat(session.toString()).contains("@alice:hs", "DEV").doesNotContain("secret");
  }

  @Test
  @FakeOnly("moves the fake homeserver's clock past the token lifetime")
  void anExpiredAccessTokenIsRefreshedAndTheSessionUpdated() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute()) {
      Session before = client.session();
      assertThat(before.refreshToken()).isPresent();
      assertThat(client.toString()).doesNotContain(before.accessToken());

      clock.advance(Duration.ofMinutes(10));
      Server server = client.createServer("after expiry").execute();

      assertThat(server.name()).isEqualTo("after expiry");
      assertThat(client.session().accessToken()).isNotEqualTo(before.accessToken());
      assertThat(client.session().userId()).isEqualTo(alice.userId());
    }
  }

  @Test
  void aStoredSessionResumesWithoutThePassword() {
    TestUser alice = hs.register("alice");
    Session stored;
    try (MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute()) {
      stored = client.session();
    }
    try (MeloClient resumed = MeloClient.resume(config(), stored)) {
      assertThat(resumed.userId()).isEqualTo(alice.userId());
      assertThat(resumed.createServer("resumed").execute().ownerId()).isEqualTo(alice.userId());
    }
  }

  @Test
  @FakeOnly("needs an appservice registered on the fake")
  void anApplicationServiceActsForUsersInItsNamespace() {
    String userId = MeloClient.provisionAppServiceUser(config(), "as-token-secret", "app_alice").execute();
    assertThat(userId).isEqualTo("@app_alice:localhost");
    assertThat(MeloClient.provisionAppServiceUser(config(), "as-token-secret", "app_alice").execute()).isEqualTo(userId);
    try (MeloClient client = MeloClient.asAppService(config(), "as-token-secret", userId)) {
      Server server = client.createServer("bridged").execute();
      assertThat(server.ownerId()).isEqualTo("@app_alice:localhost");
      assertThat(hs.room(server.id()).membership("@app_alice:localhost")).isEqualTo("join");
    }
  }

  @Test
  @FakeOnly("needs an appservice registered on the fake")
  void theProvisionerCreatesAppServiceUsersAndTypesItsRefusals() {
    io.melo.core.AccountProvisioner provisioner =
        io.melo.core.AccountProvisioner.builder(config()).appServiceToken("as-token-secret").build();
    assertThat(provisioner.appServiceUser("app_bob").execute()).isEqualTo("@app_bob:localhost");
    assertThat(provisioner.appServiceUser("app_bob").execute()).isEqualTo("@app_bob:localhost");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> provisioner.appServiceUser("outsider").execute())
        .isInstanceOfSatisfying(io.melo.core.ProvisioningException.class,
            e -> assertThat(e.reason()).isEqualTo(io.melo.core.ProvisioningException.Reason.EXCLUSIVE));
    io.melo.core.AccountProvisioner wrong =
        io.melo.core.AccountProvisioner.builder(config()).appServiceToken("CANARY-not-the-token").build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> wrong.appServiceUser("app_carol").execute())
        .isInstanceOfSatisfying(io.melo.core.ProvisioningException.class, e -> {
          assertThat(e.reason()).isEqualTo(io.melo.core.ProvisioningException.Reason.CREDENTIALS_REJECTED);
          assertThat(e.getMessage()).doesNotContain("CANARY");
        });
  }

  @Test
  void discoveryFollowsWellKnownOrKeepsTheConfiguredUrl() {
    MeloConfig discovered = MeloClient.discover(config()).execute();
    assertThat(discovered.homeserver().host()).isEqualTo(config().homeserver().host());
    assertThat(discovered.homeserver().port()).isEqualTo(config().homeserver().port());
  }

  @Test
  @FakeOnly("expires a token on the fake")
  void aRevokedTokenWithoutRefreshStopsTheClientVisibly() {
    TestUser alice = hs.register("alice");
    try (MeloClient client = MeloClient.connect(config(), alice.userId(), alice.accessToken())) {
      Recorder events = new Recorder(client);
      alice.expireToken(false);
      clock.advance(Duration.ofSeconds(31)); // ends the long poll in flight
      io.melo.core.event.ConnectionStateChanged failed = events.await(io.melo.core.event.ConnectionStateChanged.class,
          e -> e.state() == io.melo.core.event.ConnectionState.FAILED);
      assertThat(failed.failure()).isPresent();
      assertThat(failed.failure().get().getMessage()).doesNotContain(alice.accessToken());
      assertThat(client.connectionState()).isEqualTo(io.melo.core.event.ConnectionState.FAILED);
    }
  }
}
