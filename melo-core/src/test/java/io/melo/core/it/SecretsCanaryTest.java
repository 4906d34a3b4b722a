package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.AccountProvisioner;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Session;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.matrix.CapturingLogs;
import io.melo.testkit.Endpoint;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.TestUser;
import io.melo.testkit.model.Appservice;
import io.melo.testkit.model.Clock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the session renewal and provisioning flows, succeeding and failing, with canary secrets,
 * and proves that neither a canary nor any token the server issued reaches a log line (any level,
 * stack traces included), an exception's message or cause chain, or a toString().
 */
@FakeOnly("injects faults and needs the fake's token expiry")
class SecretsCanaryTest {

  private static final String PASSWORD = "CANARYpassword3w";
  private static final String WRONG_PASSWORD = "CANARYwrongpw8e";
  private static final String REFRESH = "CANARYrefresh6t";
  private static final String AS_TOKEN = "CANARYastoken1r";
  private static final String SHARED_SECRET = "CANARYshared4d";

  private final Clock clock = Clock.manual(1_800_000_000_000L);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension(
      FakeHomeserver.builder().clock(clock).accessTokenLifetime(Duration.ofMinutes(5))
          .appservice(new Appservice("bridge", AS_TOKEN, "bridgebot", List.of("@app_.*:localhost"))));

  private final List<String> texts = new ArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  private MeloConfig.Builder config() {
    return MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).onSessionChanged(sessions::add);
  }

  private void fail(Supplier<Object> action) {
    try {
      texts.add(String.valueOf(action.get()));
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      texts.add(trace.toString());
      for (Throwable t = e; t != null; t = t.getCause()) {
        texts.add(t.toString());
      }
    }
  }

  @Test
  void noSecretReachesLogsExceptionsOrToString() throws Exception {
    TestUser alice = hs.server().register("alice", PASSWORD);
    TestUser bob = hs.server().register("bob", "CANARYbobpw5x");
    CapturingLogs.start();
    List<String> logs;
    try {
      // Refresh, then a throwing listener that quotes the token.
      MeloConfig throwing = config().onSessionChanged(s -> {
        sessions.add(s);
        throw new IllegalStateException("cannot store " + s.accessToken() + " " + s.refreshToken().orElse(""));
      }).reLoginWithPassword(PASSWORD).build();
      texts.add(throwing.toString());
      try (MeloClient client = MeloClient.login(throwing, alice.userId(), PASSWORD).execute()) {
        clock.advance(Duration.ofMinutes(10));
        texts.add(client.createServer("refreshed").execute().toString());
        texts.add(client.toString());
        texts.add(client.session().toString());
      }

      // A refused refresh token, then a re-login with the password.
      Session last = sessions.get(sessions.size() - 1);
      clock.advance(Duration.ofMinutes(10));
      Session stale = new Session(last.userId(), last.deviceId().orElseThrow(), last.accessToken(), REFRESH);
      try (MeloClient client = MeloClient.resume(config().reLoginWithPassword(PASSWORD).build(), stale)) {
        texts.add(client.createServer("re-logged in").execute().toString());
      }

      // Refresh refused and the re-login password wrong: the client stops.
      try (MeloClient client = MeloClient.login(config().reLoginWithPassword(WRONG_PASSWORD).build(),
          alice.userId(), PASSWORD).execute()) {
        Recorder events = new Recorder(client);
        hs.faults().next(Endpoint.REFRESH).error(401, "M_UNKNOWN_TOKEN", "Refresh token revoked");
        clock.advance(Duration.ofMinutes(10));
        ConnectionStateChanged failed =
            events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.FAILED);
        fail(() -> {
          throw failed.failure().orElseThrow();
        });
        fail(() -> client.createServer("never").execute());

        // Resuming the failed client: a wrong password, another user's session, a rejected
        // session, then the right password.
        fail(() -> client.resumeWithPassword(WRONG_PASSWORD).execute());
        fail(() -> client.resume(new Session(bob.userId(), null, bob.accessToken(), null)).execute());
        fail(() -> client.resume(new Session(alice.userId(), null, bob.accessToken(), REFRESH)).execute());
        fail(() -> client.resume(new Session(alice.userId(), null, "CANARYrejected2k", REFRESH)).execute());
        texts.add(client.resumeWithPassword(PASSWORD).execute().toString());
        events.await(ConnectionStateChanged.class, e -> e.state() == ConnectionState.CONNECTED);
        texts.add(client.createServer("resumed").execute().toString());
        texts.add(client.toString());
      }

      // An application service with a wrong as_token, resumed with the right one.
      String appUser = MeloClient.provisionAppServiceUser(config().build(), AS_TOKEN, "app_z").execute();
      try (MeloClient app = MeloClient.asAppService(config().build(), "CANARYwrongas7v", appUser)) {
        fail(() -> app.createServer("never").execute());
        fail(() -> app.resume(new Session(appUser, null, "CANARYwrongas8w", null)).execute());
        texts.add(app.resume(new Session(appUser, null, AS_TOKEN, null)).execute().toString());
        texts.add(app.createServer("bridged").execute().toString());
        texts.add(app.toString());
      }

      // A login that discovers its homeserver, failing: the password stays out of the message.
      try (MockWebServer domain = new MockWebServer()) {
        domain.start();
        domain.enqueue(new MockResponse.Builder().code(404).body("{\"errcode\":\"M_NOT_FOUND\"}").build());
        domain.enqueue(new MockResponse.Builder().code(404).body("{\"errcode\":\"M_UNRECOGNIZED\"}").build());
        String name = "localhost:" + domain.getPort();
        fail(() -> MeloClient.login(MeloConfig.forServerName(name).build(), "@alice:" + name, PASSWORD).execute());
      }

      // Provisioning: a wrong as_token, the right one, and a wrong shared secret.
      fail(() -> AccountProvisioner.builder(config().build()).appServiceToken("CANARYwrongas").build()
          .appServiceUser("app_x").execute());
      AccountProvisioner open = AccountProvisioner.builder(config().build()).registrationToken("CANARYtoken3q").build();
      texts.add(open.toString());
      texts.add(open.register("carol", PASSWORD).execute().toString());
      fail(() -> open.register("carol", PASSWORD).execute());
      AccountProvisioner bridge = AccountProvisioner.builder(config().build()).appServiceToken(AS_TOKEN).build();
      texts.add(bridge.toString());
      texts.add(bridge.appServiceUser("app_y").execute());
      try (MockWebServer synapse = new MockWebServer()) {
        synapse.start();
        synapse.enqueue(new MockResponse.Builder().code(200).body("{\"nonce\":\"n\"}").build());
        synapse.enqueue(new MockResponse.Builder().code(403)
            .body("{\"errcode\":\"M_UNKNOWN\",\"error\":\"HMAC incorrect\"}").build());
        AccountProvisioner admin = AccountProvisioner.builder(
            MeloConfig.builder(synapse.url("/")).eventExecutor(Runnable::run).build()).sharedSecret(SHARED_SECRET).build();
        texts.add(admin.toString());
        fail(() -> admin.registerWithSharedSecret("bob", PASSWORD, true).execute());
      }
    } finally {
      logs = CapturingLogs.stop();
    }

    assertThat(sessions).hasSizeGreaterThanOrEqualTo(4);
    assertThat(logs).as("something was logged").isNotEmpty();
    List<String> secrets = new ArrayList<>(List.of("CANARY", alice.accessToken(), bob.accessToken()));
    for (Session s : sessions) {
      secrets.add(s.accessToken());
      s.refreshToken().ifPresent(secrets::add);
      texts.add(s.toString());
    }
    List<String> everything = new ArrayList<>(texts);
    everything.addAll(logs);
    for (String text : everything) {
      for (String secret : secrets) {
        assertThat(text).as("a text or log line").doesNotContain(secret);
      }
    }
  }
}
