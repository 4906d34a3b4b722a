package io.melo.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Presence times out on the clock: idle users become unavailable, users who stopped polling offline. */
class PresenceTimeoutsTest {

  private static Scene scene(Duration idle, Duration offline) {
    return new Scene(HomeserverConfig.builder().serverName("test.local").presenceIdleTimeout(idle)
        .presenceOfflineTimeout(offline));
  }

  private static List<Map<String, Object>> presenceOf(Map<String, Object> sync, String userId) {
    return Scene.list(sync, "presence", "events").stream().filter(e -> userId.equals(e.get("sender"))).toList();
  }

  @Test
  void anInactiveUserBecomesUnavailableAndActivityBringsThemBack() {
    Scene scene = scene(Duration.ofMinutes(1), Duration.ofHours(1));
    Homeserver hs = scene.hs;
    Scene.User alice = scene.user("alice");
    Scene.User bob = scene.user("bob");
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String since = (String) bob.sync(null).get("next_batch");
    alice.sync(null);
    scene.advance(59_000);
    assertThat(hs.presence(bob.req, alice.id())).containsEntry("presence", "online")
        .containsEntry("last_active_ago", 59_000L).containsEntry("currently_active", true);
    scene.advance(2_000);
    assertThat(hs.presence(bob.req, alice.id())).containsEntry("presence", "unavailable")
        .containsEntry("last_active_ago", 61_000L).containsEntry("currently_active", false);
    Map<String, Object> r = bob.sync(since);
    assertThat(presenceOf(r, alice.id())).singleElement()
        .satisfies(e -> assertThat(Scene.obj(e, "content")).containsEntry("presence", "unavailable"));
    // Polling is not activity: alice stays idle.
    alice.sync(null);
    assertThat(hs.presence(bob.req, alice.id())).containsEntry("presence", "unavailable");
    // Sending something is.
    alice.send(room, "back");
    assertThat(hs.presence(bob.req, alice.id())).containsEntry("presence", "online")
        .containsEntry("last_active_ago", 0L).containsEntry("currently_active", true);
    assertThat(presenceOf(bob.sync((String) r.get("next_batch")), alice.id())).singleElement()
        .satisfies(e -> assertThat(Scene.obj(e, "content")).containsEntry("presence", "online"));
  }

  @Test
  void chosenUnavailableIsNotEndedByActivity() {
    Scene scene = scene(Duration.ofMinutes(1), Duration.ofHours(1));
    Scene.User alice = scene.user("alice");
    String room = alice.createRoom();
    scene.hs.setPresence(alice.req, alice.id(), "unavailable", "in a meeting");
    alice.send(room, "typing from the meeting");
    assertThat(scene.hs.presence(alice.req, alice.id())).containsEntry("presence", "unavailable")
        .containsEntry("status_msg", "in a meeting").containsEntry("currently_active", false);
  }

  @Test
  void aUserWhoStopsPollingGoesOfflineAfterTheSyncTimeout() {
    Scene scene = scene(Duration.ofHours(1), Duration.ofSeconds(30));
    Homeserver hs = scene.hs;
    Scene.User alice = scene.user("alice");
    alice.sync(null);
    scene.advance(30_000);
    assertThat(hs.presence(alice.req, alice.id())).containsEntry("presence", "online");
    scene.advance(1);
    assertThat(hs.presence(alice.req, alice.id())).containsEntry("presence", "offline")
        .containsEntry("currently_active", false);
    alice.sync(null);
    assertThat(hs.presence(alice.req, alice.id())).containsEntry("presence", "online")
        .containsEntry("last_active_ago", 0L);
    // Polls with set_presence=offline do not keep a user present.
    hs.sync(alice.req, new SyncRequest(null, null, false, 0, "offline"));
    scene.advance(31_000);
    hs.sync(alice.req, new SyncRequest(null, null, false, 0, "offline"));
    assertThat(hs.presence(alice.req, alice.id())).containsEntry("presence", "offline");
  }

  @Test
  void aLongPollInProgressKeepsTheUserOnlineAndTheTimeoutWakesPeers() throws Exception {
    Scene scene = scene(Duration.ofHours(1), Duration.ofSeconds(30));
    Homeserver hs = scene.hs;
    Scene.User alice = scene.user("alice");
    Scene.User bob = scene.user("bob");
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String aliceSince = (String) alice.sync(null).get("next_batch");
    String bobSince = (String) bob.sync(null).get("next_batch");
    CompletableFuture<Map<String, Object>> alicePoll = CompletableFuture.supplyAsync(() ->
        hs.sync(alice.req, new SyncRequest(aliceSince, null, false, 100_000, null)));
    assertThat(hs.awaitWaitingPolls(alice.id(), 1, Duration.ofSeconds(10))).isTrue();
    CompletableFuture<Map<String, Object>> bobPoll = CompletableFuture.supplyAsync(() ->
        hs.sync(bob.req, new SyncRequest(bobSince, null, false, 100_000, "offline")));
    assertThat(hs.awaitWaitingPolls(bob.id(), 1, Duration.ofSeconds(10))).isTrue();
    scene.advance(60_000);
    // Alice is still polling: online. Bob polls with set_presence=offline: he went offline, and
    // both polls woke with it.
    assertThat(hs.presence(bob.req, alice.id())).containsEntry("presence", "online");
    Map<String, Object> seenByAlice = alicePoll.get(10, TimeUnit.SECONDS);
    assertThat(presenceOf(seenByAlice, bob.id())).singleElement()
        .satisfies(e -> assertThat(Scene.obj(e, "content")).containsEntry("presence", "offline"));
    assertThat(presenceOf(bobPoll.get(10, TimeUnit.SECONDS), bob.id())).singleElement()
        .satisfies(e -> assertThat(Scene.obj(e, "content")).containsEntry("presence", "offline"));
    scene.advance(30_001); // alice has not polled again since her poll returned
    assertThat(hs.presence(bob.req, alice.id())).containsEntry("presence", "offline");
  }
}
