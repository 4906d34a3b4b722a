package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Conversation;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.MessageCreated;
import io.melo.testkit.Endpoint;
import io.melo.testkit.Stall;
import io.melo.testkit.model.Requester;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Conversations as they change: a conversation replaced by a newer room is listed no more (from
 * the cache and from the homeserver alike), and an m.direct entry another device adds while this
 * client records a conversation survives this client's write.
 */
class ConversationUpkeepTest extends ThreeUsersScene {

  @SuppressWarnings("unchecked")
  private Map<String, Object> aliceDirect() {
    return (Map<String, Object>) (Map<?, ?>) hs.server().model()
        .accountData(new Requester(alice.userId(), null, null), alice.userId(), null, "m.direct");
  }

  /** Alice's conversations, read by a fresh client of hers before its first sync: from the homeserver. */
  private List<Conversation> conversationsFromTheHomeserver() throws InterruptedException {
    Stall held = hs.faults().next(Endpoint.SYNC).stall();
    MeloConfig config = MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run).build();
    try (MeloClient fresh = MeloClient.login(config, alice.userId(), alice.password()).execute()) {
      assertThat(held.awaitArrival(Duration.ofSeconds(10))).isTrue();
      assertThat(fresh.connectionState()).isEqualTo(ConnectionState.CONNECTING);
      return fresh.conversations().execute();
    } finally {
      held.release();
    }
  }

  /** A room m.direct names for bob that bob is banned from is replaced by a new one: only that one is listed. */
  @Test
  void aConversationReplacedBecauseThePeerIsBannedIsListedNoMore() throws Exception {
    String firstId = alice.createRoom(room -> room.name("made elsewhere"));
    alice.invite(firstId, bob.userId());
    alice.ban(firstId, bob.userId());
    alice.setAccountData("m.direct", Map.of(bob.userId(), List.of(firstId)));
    MeloClient owner = fixture.login(alice);
    Recorder events = new Recorder(owner);

    Conversation second = owner.conversationWith(bob.userId()).execute();
    assertThat(second.id()).isNotEqualTo(firstId);
    bob.join(second.id());
    String marker = bob.sendText(second.id(), "here");
    events.await(MessageCreated.class, e -> e.message().id().equals(marker));

    assertThat(owner.conversations().execute()).as("from the cache").containsExactly(second);
    assertThat(conversationsFromTheHomeserver()).as("from the homeserver").containsExactly(second);
  }

  /** A conversation upgraded away (m.room.tombstone) gives way to its replacement, listed and reused. */
  @Test
  void aTombstonedConversationGivesWayToItsReplacement() throws Exception {
    MeloClient owner = fixture.login(alice);
    Recorder events = new Recorder(owner);
    Conversation first = owner.conversationWith(bob.userId()).execute();
    bob.join(first.id());
    String replacement = alice.createRoom(room -> room.name("the new room"));
    alice.invite(replacement, bob.userId());
    bob.join(replacement);
    alice.setAccountData("m.direct", Map.of(bob.userId(), List.of(first.id(), replacement)));
    alice.setState(first.id(), "m.room.tombstone", "",
        Map.of("body", "this conversation moved", "replacement_room", replacement));
    String marker = bob.sendText(replacement, "moved");
    events.await(MessageCreated.class, e -> e.message().id().equals(marker));

    Conversation live = new Conversation(replacement, bob.userId());
    assertThat(owner.conversations().execute()).as("from the cache").containsExactly(live);
    assertThat(owner.conversationWith(bob.userId()).execute()).isEqualTo(live);
    assertThat(conversationsFromTheHomeserver()).as("from the homeserver").containsExactly(live);
  }

  /**
   * Alice's client reads m.direct, then another device of hers adds carol's entry before the
   * client's write (which is held on the server) lands and drops it. Her sync showed the entry
   * before the write's echo, so the client merges it back: both entries survive.
   */
  @Test
  void anEntryAnotherDeviceAddsWhileAConversationIsRecordedSurvives() throws Exception {
    MeloClient client = fixture.login(alice);
    String elsewhere = alice.createRoom(room -> room.name("with carol, from another device"));
    Stall write = hs.faults().next("PUT", p -> p.endsWith("/account_data/m.direct")).stall();
    CompletableFuture<Conversation> withBob = client.conversationWith(bob.userId()).future();
    assertThat(write.awaitArrival(Duration.ofSeconds(10))).as("the client read m.direct and writes").isTrue();

    alice.setAccountData("m.direct", Map.of(carol.userId(), List.of(elsewhere))); // the other device
    // Two sync requests later the client's sync has delivered the other device's m.direct: a
    // request that arrives after it was written answers with it (or after it).
    Stall first = hs.faults().next(Endpoint.SYNC).stall();
    alice.sendText(elsewhere, "wake"); // answers a poll parked before the stall was armed, so the next one comes
    assertThat(first.awaitArrival(Duration.ofSeconds(10))).isTrue();
    Stall second = hs.faults().next(Endpoint.SYNC).stall();
    first.release();
    alice.sendText(elsewhere, "nudge"); // the first request answers now even if it has nothing else
    assertThat(second.awaitArrival(Duration.ofSeconds(10))).isTrue();

    Stall repair = hs.faults().next("PUT", p -> p.endsWith("/account_data/m.direct")).stall();
    write.release();
    Conversation conversation = withBob.get(10, TimeUnit.SECONDS);
    assertThat(aliceDirect()).as("the client's write dropped carol's entry")
        .containsOnlyKeys(bob.userId());
    second.release(); // the sync brings the write's echo
    assertThat(repair.awaitArrival(Duration.ofSeconds(10))).as("the client merges carol's entry back").isTrue();
    repair.release();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!aliceDirect().containsKey(carol.userId()) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(aliceDirect())
        .containsEntry(carol.userId(), List.of(elsewhere))
        .containsEntry(bob.userId(), List.of(conversation.id()));
  }
}
