package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.AccountProvisioner;
import io.melo.core.LoggedOutException;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Session;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.FakeOnly;
import io.melo.testkit.TestUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The samples of melo-core/README.md's sections on sessions and provisioning: they run here, and
 * the README quotes each block between {@code // --- README: <name>} and {@code // --- README: end}
 * verbatim (unindented).
 */
@FakeOnly("needs the fake's appservice and token expiry, and a scripted MockWebServer")
class AccountsReadmeTest {

  private static final Pattern BLOCK =
      Pattern.compile("// --- README: (?!end)([a-z ]+)\\n(.*?)\\n[ \\t]*// --- README: end", Pattern.DOTALL);

  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  private final List<Session> saved = new CopyOnWriteArrayList<>();

  private void save(Session session) {
    saved.add(session);
  }

  @Test
  void sessionsSample() {
    String homeserverUrl = hs.baseUrl();
    String botPassword = "bot-password";
    TestUser registered = hs.server().register("bot", botPassword);
    List<Object> loggedOut = new ArrayList<>();

    // --- README: sessions
    MeloConfig config = MeloConfig.builder(homeserverUrl)
        .reLoginWithPassword(botPassword)     // when the refresh token cannot renew the session
        .onSessionChanged(session -> save(session)) // persist every new session, before it is used
        .build();
    MeloClient bot = MeloClient.login(config, "bot", botPassword).execute();
    bot.on(ConnectionStateChanged.class, event -> {
      if (event.failure().orElse(null) instanceof LoggedOutException) {
        loggedOut.add(event); // renewing failed too: log in again
      }
    });
    // --- README: end

    try (bot) {
      registered.expireToken(false); // the server ends every session of the bot
      bot.setDisplayName("Bot").execute();
      assertThat(saved).hasSize(2).last().isEqualTo(bot.session());
      assertThat(loggedOut).isEmpty();
    }
  }

  private final List<Throwable> alerts = new CopyOnWriteArrayList<>();

  private void alert(Throwable failure) {
    alerts.add(failure);
  }

  /** What an interactive app would ask its user for. */
  private String askForPassword() {
    return "alice-password";
  }

  @Test
  void resumeSample() throws InterruptedException {
    TestUser registered = hs.server().register("alice", askForPassword());
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).onSessionChanged(this::save).build();
    MeloClient client = MeloClient.connect(config, registered.userId(), registered.accessToken());
    java.util.concurrent.BlockingQueue<String> bodies = new java.util.concurrent.LinkedBlockingQueue<>();
    client.on(io.melo.core.event.MessageCreated.class, e -> bodies.add(e.message().body()));
    java.util.concurrent.CountDownLatch reconnected = new java.util.concurrent.CountDownLatch(1);

    // --- README: resume
    client.on(ConnectionStateChanged.class, event -> {
      if (event.failure().orElse(null) instanceof LoggedOutException) {
        // The same client: its cache, listeners and sync position stay; the events sent
        // meanwhile arrive once the new session is in.
        client.resumeWithPassword(askForPassword()).future()
            .exceptionally(failure -> {
              alert(failure); // a wrong password: HomeserverException (M_FORBIDDEN)
              return null;
            });
      }
    });
    // --- README: end

    try (client) {
      SharedSyncRuntimeTest.awaitConnected(client);
      io.melo.core.Server server = client.createServer("HQ").execute();
      String general = client.channels(server.id()).execute().get(0).id();
      TestUser bob = hs.server().register("bob", "bob-password");
      bob.join(server.id());
      bob.join(general);
      client.on(ConnectionStateChanged.class, event -> {
        if (event.state() == io.melo.core.event.ConnectionState.CONNECTED) {
          reconnected.countDown();
        }
      });
      // The server ends the session; Bob's message ends the long poll in flight, and the next
      // sync is rejected: the loop fails and the listener resumes.
      registered.expireToken(false);
      bob.sendText(general, "while logged out");
      assertThat(reconnected.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(bodies.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("while logged out");
      bob.sendText(general, "after");
      assertThat(bodies.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("after");
      assertThat(alerts).isEmpty();
      assertThat(saved).last().isEqualTo(client.session());
    }
  }

  @Test
  void discoverySample() throws IOException {
    String alicePassword = "alice-password";
    try (MockWebServer domain = new MockWebServer()) {
      domain.start();
      // The domain's users are @...:localhost:<port>; its well-known names the fake homeserver.
      try (io.melo.testkit.FakeHomeserver home = io.melo.testkit.FakeHomeserver.builder()
          .serverName("localhost:" + domain.getPort()).start()) {
        domain.enqueue(json("{\"m.homeserver\":{\"base_url\":\"" + home.baseUrl() + "\"}}"));
        String userId = home.register("alice", alicePassword).userId();

        // --- README: discovery
        MeloConfig config = MeloConfig.forUser(userId).build(); // @alice:example.org: example.org
        MeloClient alice = MeloClient.login(config, userId, alicePassword).execute();
        MeloConfig found = alice.config(); // the base URL found: resume(found, session) needs no discovery
        // --- README: end

        try (alice) {
          assertThat(found.homeserver().toString()).isEqualTo(home.baseUrl() + "/");
          assertThat(alice.createServer("found").execute().ownerId()).isEqualTo(userId);
        }
      }
    }
  }

  @Test
  void provisioningSample() throws IOException {
    String alicePassword = "alice-password";
    String registrationSharedSecret = "the-shared-secret";
    try (MockWebServer synapse = new MockWebServer()) {
      // Synapse's admin endpoint, creating the account on the fake homeserver.
      synapse.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          if (request.getMethod().equals("GET")) {
            return json("{\"nonce\":\"n1\"}");
          }
          Map<?, ?> body;
          try {
            body = (Map<?, ?>) com.squareup.moshi.JsonReader.of(new Buffer().writeUtf8(request.getBody().utf8()))
                .readJsonValue();
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          String mac = io.melo.core.internal.SharedSecretRegistration.mac(registrationSharedSecret, "n1",
              (String) body.get("username"), (String) body.get("password"), false);
          assertThat(body.get("mac")).isEqualTo(mac);
          TestUser created = hs.server().register((String) body.get("username"), (String) body.get("password"));
          return json("{\"user_id\":\"" + created.userId() + "\",\"access_token\":\"" + created.accessToken()
              + "\",\"device_id\":\"" + created.deviceId() + "\",\"home_server\":\"localhost\"}");
        }
      });
      synapse.start();
      MeloConfig config = MeloConfig.builder(synapse.url("/")).build();

      // --- README: provisioning
      AccountProvisioner provisioner = AccountProvisioner.builder(config)
          .sharedSecret(registrationSharedSecret)
          .build();
      Session session = provisioner.registerWithSharedSecret("alice", alicePassword, false).execute();
      // --- README: end

      try (MeloClient alice = MeloClient.resume(MeloConfig.builder(hs.baseUrl()).build(), session)) {
        assertThat(alice.userId()).isEqualTo("@alice:localhost");
        assertThat(alice.createServer("provisioned").execute().ownerId()).isEqualTo("@alice:localhost");
      }
    }
  }

  @Test
  void theReadmeQuotesEverySampleVerbatim() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    Matcher m = BLOCK.matcher(Files.readString(
        Path.of("src/test/java/io/melo/core/it/AccountsReadmeTest.java"), StandardCharsets.UTF_8));
    int count = 0;
    while (m.find()) {
      assertThat(readme).as("melo-core/README.md quotes the sample '" + m.group(1) + "'").contains(unindent(m.group(2)));
      count++;
    }
    assertThat(count).isEqualTo(4);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static String unindent(String block) {
    String[] lines = block.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      out.append(lines[i].isBlank() ? "" : lines[i].substring(indent));
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }
}
