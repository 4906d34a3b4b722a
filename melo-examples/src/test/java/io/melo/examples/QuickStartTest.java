package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.InviteCode;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Message;
import io.melo.core.Server;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.TestUser;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's code samples do what the README says; the README quotes this test too. */
class QuickStartTest {

  // --- README: testing
  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension(); // fresh per test

  @Test
  void othersJoinWithTheInviteAndAreHeardLive() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
    try (MeloClient aliceClient = MeloClient.login(config, alice.userId(), alice.password()).execute();
        MeloClient bobClient = MeloClient.login(config, bob.userId(), bob.password()).execute()) {
      String invite = QuickStart.run(aliceClient, System.out);
      assertThat(Expectation.awaitConnected(aliceClient, Duration.ofSeconds(10))).isTrue(); // first sync done
      CompletableFuture<MessageCreated> heard = new CompletableFuture<>();
      aliceClient.on(MessageCreated.class, event -> {
        if (event.message().senderId().equals(bob.userId())) {
          heard.complete(event);
        }
      });

      Server joined = bobClient.joinServer(InviteCode.parse(invite, config.namespace())).execute();
      String general = bobClient.channels(joined.id()).execute().get(0).id();
      bobClient.sendText(general, "Hi alice").execute();

      assertThat(heard.get(10, TimeUnit.SECONDS).message().body()).isEqualTo("Hi alice"); // bounded wait, no sleep
      assertThat(bobClient.messages(general, null, 10).execute().messages())
          .extracting(Message::body)
          .containsExactly("Hi alice", "Hello, Melo!"); // newest first
    }
  }
  // --- README: end

  @Test
  void theQuickStartPrintsWhatItSendsAndHears() throws Exception {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
    Terminal terminal = new Terminal();
    try (MeloClient aliceClient = MeloClient.login(config, alice.userId(), alice.password()).execute();
        MeloClient bobClient = MeloClient.login(config, bob.userId(), bob.password()).execute()) {
      String invite = QuickStart.run(aliceClient, terminal.out());
      assertThat(invite).matches("#io\\.melo\\.invite\\.[A-Za-z0-9_-]{22}:localhost");
      assertThat(terminal.await("sent ")).matches("sent \\$\\S+ to #general");
      assertThat(Expectation.awaitConnected(aliceClient, Terminal.WAIT)).isTrue();

      Server joined = bobClient.joinServer(InviteCode.parse(invite, config.namespace())).execute();
      String general = bobClient.channels(joined.id()).execute().get(0).id();
      bobClient.sendText(general, "Hi alice").execute();
      terminal.await("@bob:localhost: Hi alice");

      Message async = QuickStart.sendAsync(bobClient, general, "sent without blocking").get(10, TimeUnit.SECONDS);
      assertThat(async.body()).isEqualTo("sent without blocking");
      terminal.await("@bob:localhost: sent without blocking");
    }
  }
}
