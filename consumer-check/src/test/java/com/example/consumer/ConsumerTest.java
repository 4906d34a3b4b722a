package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.melo.core.Channel;
import io.melo.core.InviteCode;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Server;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.TestUser;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Uses Melo only through its published POMs: the BOM, melo-core (compile) and melo-testkit
 * (test). Two users on the fake homeserver: one creates a server, the other joins it with the
 * invite and receives the first's message as a live event.
 */
class ConsumerTest {

  @Test
  void aMessageArrivesLiveAtAnotherUser() throws Exception {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      TestUser bob = hs.register("bob");
      MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
      try (MeloClient aliceClient = MeloClient.login(config, alice.userId(), alice.password()).execute();
          MeloClient bobClient = MeloClient.login(config, bob.userId(), bob.password()).execute()) {
        awaitFirstSync(bobClient);
        Server server = aliceClient.createServer("Consumers").execute();
        String invite = server.invite().orElseThrow().alias(config.namespace());
        bobClient.joinServer(InviteCode.parse(invite, config.namespace())).execute();
        Channel general = aliceClient.channels(server.id()).execute().get(0);

        CompletableFuture<MessageCreated> received = new CompletableFuture<>();
        bobClient.on(MessageCreated.class, event -> {
          if (event.message().body().equals("hello from a consumer")) {
            received.complete(event);
          }
        });
        aliceClient.sendText(general.id(), "hello from a consumer").execute();

        MessageCreated event = received.get(10, TimeUnit.SECONDS);
        assertEquals(alice.userId(), event.message().senderId());
        assertEquals(general.id(), event.roomId());
        assertTrue(event.serverId().isPresent(), "a channel message knows its server");
      }
    }
  }

  /** Until its first sync is done, a client learns of changes as catch-up, not as live events. */
  private static void awaitFirstSync(MeloClient client) throws Exception {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    client.on(ConnectionStateChanged.class, event -> {
      if (event.state() == ConnectionState.CONNECTED) {
        connected.complete(null);
      }
    });
    if (client.connectionState() != ConnectionState.CONNECTED) {
      connected.get(10, TimeUnit.SECONDS);
    }
  }
}
