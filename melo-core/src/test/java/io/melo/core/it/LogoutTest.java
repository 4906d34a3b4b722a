package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.LoggedOutException;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Session;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MeloClient#logout()}: the client closes and the homeserver forgets the session. */
@FakeOnly("expires tokens and counts the requests the homeserver received")
class LogoutTest {

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(
      FakeHomeserver.builder().clock(clock).accessTokenLifetime(Duration.ofMinutes(5)));

  private MeloConfig config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
  }

  private List<Endpoint> authRequests(long after) {
    return hs.requests().stream()
        .filter(c -> c.sequence() > after)
        .map(RecordedCall::endpoint)
        .filter(e -> e == Endpoint.LOGIN || e == Endpoint.REFRESH || e == Endpoint.LOGOUT)
        .toList();
  }

  private long lastRequest() {
    List<RecordedCall> calls = hs.requests();
    return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
  }

  @Test
  void logoutClosesTheClientAndTheHomeserverForgetsTheSession() {
    TestUser alice = hs.register("alice");
    MeloClient client = MeloClient.login(config(), alice.userId(), alice.password()).execute();
    Recorder events = new Recorder(client);
    Session session = client.session();
    long mark = lastRequest();

    client.logout().execute();

    events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.STOPPED);
    assertThat(authRequests(mark)).containsExactly(Endpoint.LOGOUT);
    assertThatThrownBy(client::logout).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    // Neither the access token nor the refresh token works any more.
    try (MeloClient stale = MeloClient.resume(config(), session)) {
      assertThatThrownBy(() -> stale.setDisplayName("ghost").execute()).isInstanceOf(LoggedOutException.class);
    }
  }

  @Test
  void anExpiredTokenIsRefreshedToLogOutAndARejectedSessionCountsAsLoggedOut() {
    TestUser alice = hs.register("alice");
    MeloClient expiring = MeloClient.login(
        config().toBuilder().reLoginWithPassword(alice.password()).build(), alice.userId(), alice.password()).execute();
    clock.advance(Duration.ofMinutes(10));
    long mark = lastRequest();
    expiring.logout().execute();
    // Refreshed (the device would survive an expired token), then logged out.
    assertThat(authRequests(mark)).endsWith(Endpoint.REFRESH, Endpoint.LOGOUT).doesNotContain(Endpoint.LOGIN);

    MeloClient ended = MeloClient.login(
        config().toBuilder().reLoginWithPassword(alice.password()).build(), alice.userId(), alice.password()).execute();
    alice.expireToken(false);
    mark = lastRequest();
    ended.logout().execute(); // nothing left to log out: no error, and no login just to log out
    assertThat(authRequests(mark)).doesNotContain(Endpoint.LOGIN, Endpoint.REFRESH);
  }

  @Test
  void anApplicationServiceClientHasNoSessionToLogOut() {
    try (FakeHomeserver home = FakeHomeserver.builder()
        .appservice(new io.melo.testkit.model.Appservice("b", "as-token-x", "bot", List.of("@app_.*:localhost")))
        .start()) {
      MeloConfig config = MeloConfig.builder(home.baseUrl()).eventExecutor(Runnable::run).build();
      String user = MeloClient.provisionAppServiceUser(config, "as-token-x", "app_a").execute();
      try (MeloClient app = MeloClient.asAppService(config, "as-token-x", user)) {
        assertThatThrownBy(app::logout).isInstanceOf(IllegalStateException.class).hasMessageContaining("close it");
      }
    }
  }
}
