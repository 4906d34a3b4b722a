package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.LoggedOutException;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.Session;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.auth.LoginRequest;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.RecordedCall;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Clock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Renewing a rejected session against the fake homeserver: refresh token, credentials provider
 * (password re-login or the app's own), soft and hard logout, and what the app sees when renewing
 * fails.
 */
@FakeOnly("expires tokens and injects faults")
class SessionRenewalTest {

  private static final String PASSWORD = "CANARYpassword-7q";

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(
      FakeHomeserver.builder().clock(clock).accessTokenLifetime(Duration.ofMinutes(5)));

  private final List<Session> persisted = new CopyOnWriteArrayList<>();

  private MeloConfig.Builder config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).onSessionChanged(persisted::add);
  }

  private TestUser alice() {
    return hs.server().register("alice", PASSWORD);
  }

  /** A session whose access token expired (soft logout) and whose refresh token the server does not know. */
  private Session expiredWithUnknownRefreshToken(TestUser alice) {
    Session session;
    try (MeloClient first = MeloClient.login(config().build(), alice.userId(), PASSWORD).execute()) {
      session = first.session();
    }
    clock.advance(Duration.ofMinutes(10));
    return new Session(session.userId(), session.deviceId().orElseThrow(), session.accessToken(),
        "CANARYnot-a-refresh-token");
  }

  private long mark;

  /** From now on, {@link #authRequests()} counts. */
  private void markRequests() {
    List<RecordedCall> calls = hs.requests();
    mark = calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
  }

  /** The login and refresh requests since {@link #markRequests()}. */
  private List<Endpoint> authRequests() {
    return hs.requests().stream()
        .filter(c -> c.sequence() > mark)
        .map(RecordedCall::endpoint)
        .filter(e -> e == Endpoint.LOGIN || e == Endpoint.REFRESH)
        .toList();
  }

  @Test
  void anExpiredTokenIsRefreshedAndEveryNewSessionIsReportedBeforeItIsUsed() {
    TestUser alice = alice();
    try (MeloClient client = MeloClient.login(config().build(), alice.userId(), PASSWORD).execute()) {
      assertThat(persisted).singleElement().isEqualTo(client.session());
      Session first = client.session();

      clock.advance(Duration.ofMinutes(10));
      Server server = client.createServer("after expiry").execute();

      assertThat(server.name()).isEqualTo("after expiry");
      Session renewed = client.session();
      assertThat(renewed.accessToken()).isNotEqualTo(first.accessToken());
      assertThat(renewed.refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
      assertThat(renewed.deviceId()).isEqualTo(first.deviceId());
      assertThat(persisted).hasSize(2).last().isEqualTo(renewed);
    }
    // What was persisted resumes a new client (the rotated refresh token is the live one).
    clock.advance(Duration.ofMinutes(10));
    try (MeloClient resumed = MeloClient.resume(config().build(), persisted.get(persisted.size() - 1))) {
      assertThat(resumed.createServer("resumed after another expiry").execute().ownerId()).isEqualTo(alice.userId());
      assertThat(persisted).hasSize(3);
    }
  }

  @Test
  void aRefusedRefreshTokenFallsBackToLoggingInAgainOnTheSameDevice() {
    TestUser alice = alice();
    Session stale = expiredWithUnknownRefreshToken(alice);
    persisted.clear();
    markRequests();
    try (MeloClient client = MeloClient.resume(config().reLoginWithPassword(PASSWORD).build(), stale)) {
      Server server = client.createServer("after re-login").execute();

      assertThat(server.ownerId()).isEqualTo(alice.userId());
      Session now = client.session();
      assertThat(now.deviceId()).isEqualTo(stale.deviceId());
      assertThat(now.accessToken()).isNotEqualTo(stale.accessToken());
      assertThat(now.refreshToken()).isPresent().isNotEqualTo(stale.refreshToken());
      assertThat(persisted).singleElement().isEqualTo(now);
      assertThat(authRequests()).containsExactly(Endpoint.REFRESH, Endpoint.LOGIN);

      // The new login's refresh token serves the next expiry: no second login.
      clock.advance(Duration.ofMinutes(10));
      client.setDisplayName("Alice").execute();
      assertThat(authRequests()).containsExactly(Endpoint.REFRESH, Endpoint.LOGIN, Endpoint.REFRESH);
      assertThat(persisted).hasSize(2);
    }
  }

  @Test
  void aHardLogoutIsNotRefreshedAndLogsInAsANewDevice() {
    TestUser alice = alice();
    try (MeloClient client =
        MeloClient.login(config().reLoginWithPassword(PASSWORD).build(), alice.userId(), PASSWORD).execute()) {
      Session before = client.session();
      markRequests();
      alice.expireToken(false); // the server destroys every session of alice

      client.createServer("after hard logout").execute();

      assertThat(authRequests()).containsExactly(Endpoint.LOGIN);
      assertThat(client.session().deviceId()).isPresent().isNotEqualTo(before.deviceId());
      assertThat(client.session().refreshToken()).isPresent();
    }
  }

  @Test
  void theAppsOwnCredentialsProviderIsAskedWhenThereIsNoRefreshToken() {
    TestUser alice = alice();
    AtomicInteger asked = new AtomicInteger();
    MeloConfig config = config()
        .credentialsProvider((matrix, rejected) -> {
          asked.incrementAndGet();
          return matrix.login(LoginRequest.password(alice.userId(), PASSWORD)).execute().credentials();
        })
        .build();
    try (MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      alice.expireToken(false);
      client.createServer("provider").execute();

      assertThat(asked).hasValue(1);
      assertThat(client.session().accessToken()).isNotEqualTo(alice.accessToken());
      assertThat(client.session().refreshToken()).isEmpty();
      assertThat(persisted).singleElement().isEqualTo(client.session());
    }
  }

  @Test
  void aRefreshTokenTheProvidersLoginBroughtRenewsTheNextExpiryWithoutAskingAgain() {
    TestUser alice = alice();
    AtomicInteger asked = new AtomicInteger();
    MeloConfig config = config()
        .credentialsProvider((matrix, rejected) -> {
          asked.incrementAndGet();
          return matrix.login(LoginRequest.password(alice.userId(), PASSWORD).withRefreshToken(true))
              .execute().credentials();
        })
        .build();
    try (MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      alice.expireToken(true);
      client.createServer("provider").execute();
      assertThat(client.session().refreshToken()).isPresent();
      markRequests();

      clock.advance(Duration.ofMinutes(10));
      client.setDisplayName("Alice").execute();

      assertThat(asked).hasValue(1);
      assertThat(authRequests()).containsExactly(Endpoint.REFRESH);
      assertThat(persisted).hasSize(2).last().isEqualTo(client.session());
    }
  }

  @Test
  void aProviderThatLogsInAsAnotherUserIsRefused() {
    TestUser alice = alice();
    TestUser bob = hs.server().register("bob", "bob-password");
    MeloConfig config = config()
        .credentialsProvider((matrix, rejected) -> MatrixCredentials.accessToken(bob.accessToken(), bob.userId(), null))
        .build();
    try (MeloClient client = MeloClient.connect(config, alice.userId(), alice.accessToken())) {
      alice.expireToken(false);
      assertThatThrownBy(() -> client.createServer("hijacked").execute())
          .isInstanceOf(LoggedOutException.class)
          .hasMessageContaining("logged in as " + bob.userId())
          .hasRootCauseInstanceOf(io.melo.core.UserMismatchException.class)
          .hasRootCauseMessage("the credentials provider logged in as " + bob.userId()
              + ", but this client acts for " + alice.userId());
    }
  }

  @Test
  void whenRefreshAndReLoginBothFailCallsFailWithLoggedOutAndTheSyncLoopStopsVisibly() {
    TestUser alice = alice();
    MeloConfig config = config().reLoginWithPassword("CANARYwrong-password").build();
    try (MeloClient client = MeloClient.login(config, alice.userId(), PASSWORD).execute()) {
      Recorder events = new Recorder(client);
      Session stale = client.session();
      persisted.clear();
      markRequests();
      hs.faults().next(Endpoint.REFRESH).error(401, "M_UNKNOWN_TOKEN", "Refresh token revoked");
      // The token expires (soft logout) and the long poll in flight ends: the next sync meets it.
      clock.advance(Duration.ofMinutes(10));

      ConnectionStateChanged failed = events.await(ConnectionStateChanged.class,
          e -> e.state() == ConnectionState.FAILED);
      assertThat(failed.failure()).get().isInstanceOfSatisfying(LoggedOutException.class, e -> {
        assertThat(e.softLogout()).isTrue();
        assertThat(e.userId()).isEqualTo(alice.userId());
      });
      assertThat(client.connectionState()).isEqualTo(ConnectionState.FAILED);
      assertThat(authRequests()).containsExactly(Endpoint.REFRESH, Endpoint.LOGIN);
      // Later calls fail the same way, without asking the server to renew again.
      assertThatThrownBy(() -> client.createServer("never").execute())
          .isInstanceOfSatisfying(LoggedOutException.class, e -> assertThat(e.softLogout()).isTrue())
          .hasMessageContaining("renewing it failed");
      assertThat(authRequests()).containsExactly(Endpoint.REFRESH, Endpoint.LOGIN);
      assertThat(persisted).isEmpty();
      assertThat(client.session()).isEqualTo(stale);
      assertNoSecret(failed.failure().get(), stale);
    }
  }

  @Test
  void aRateLimitedRefreshIsANetworkFailureAndTheNextRequestRenews() {
    TestUser alice = alice();
    try (MeloClient client = MeloClient.login(config().build(), alice.userId(), PASSWORD).execute()) {
      // Every refresh is rate-limited for longer than the client waits (the sync loop's too).
      hs.faults().next(Endpoint.REFRESH).times(1000).rateLimit(Duration.ofMinutes(5));
      clock.advance(Duration.ofMinutes(10));
      assertThatThrownBy(() -> client.setDisplayName("first").execute())
          .isInstanceOf(io.melo.core.MeloNetworkException.class)
          .hasMessageContaining("failed for now");
      assertThat(persisted).hasSize(1);

      hs.faults().clear();
      client.setDisplayName("second").execute();
      assertThat(persisted).hasSize(2);
      assertThat(client.connectionState()).isNotEqualTo(ConnectionState.FAILED);
    }
  }

  @Test
  void withoutRefreshTokenOrProviderARejectedSessionIsLoggedOut() {
    TestUser alice = alice();
    try (MeloClient client = MeloClient.connect(
        MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build(), alice.userId(), alice.accessToken())) {
      alice.expireToken(false);
      assertThatThrownBy(() -> client.createServer("never").execute())
          .isInstanceOfSatisfying(LoggedOutException.class, e -> assertThat(e.softLogout()).isFalse())
          .hasMessageContaining("no refresh token or credentials provider");
    }
  }

  @Test
  void aThrowingSessionListenerDoesNotStopTheRenewal() {
    TestUser alice = alice();
    MeloConfig config = config()
        .onSessionChanged(s -> {
          throw new IllegalStateException("disk full " + s.accessToken());
        })
        .build();
    try (MeloClient client = MeloClient.login(config, alice.userId(), PASSWORD).execute()) {
      clock.advance(Duration.ofMinutes(10));
      assertThat(client.createServer("despite the listener").execute().name()).isEqualTo("despite the listener");
    }
  }

  @Test
  void noSecretInConfigSessionOrClientText() {
    TestUser alice = alice();
    MeloConfig config = config().reLoginWithPassword(PASSWORD).build();
    assertThat(config.toString()).doesNotContain(PASSWORD).contains("<redacted>");
    try (MeloClient client = MeloClient.login(config, alice.userId(), PASSWORD).execute()) {
      Session session = client.session();
      for (String text : List.of(session.toString(), client.toString(), config.toString())) {
        assertThat(text).doesNotContain(session.accessToken(), session.refreshToken().orElseThrow(), PASSWORD);
      }
    }
  }

  private static void assertNoSecret(Throwable failure, Session session) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    StringBuilder all = new StringBuilder(trace.toString());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    assertThat(all.toString())
        .contains("renewing")
        .doesNotContain(session.accessToken(), session.refreshToken().orElseThrow(), PASSWORD, "CANARY");
  }
}
