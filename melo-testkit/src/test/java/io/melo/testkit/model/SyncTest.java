package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncTest {
  private final Scene scene = new Scene();
  private final Homeserver hs = scene.hs;
  private final Scene.User alice = scene.user("alice");
  private final Scene.User bob = scene.user("bob");
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    hs.close();
    pool.shutdownNow();
  }

  private static MatrixError error(Runnable r) {
    try {
      r.run();
    } catch (MatrixError e) {
      return e;
    }
    throw new AssertionError("expected a MatrixError");
  }

  private static List<Object> bodies(List<Map<String, Object>> events) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> e : events) {
      if ("m.room.message".equals(e.get("type"))) {
        out.add(Scene.obj(e, "content").get("body"));
      }
    }
    return out;
  }

  @Test
  void sinceTokensSurviveManySyncsWithoutLosingOrRepeatingEvents() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    Map<String, Object> initial = bob.sync(null);
    String since = (String) initial.get("next_batch");
    List<Object> seen = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      alice.send(room, "m" + i);
      if (i % 3 == 0) {
        alice.send(room, "m" + i + "b");
      }
      Map<String, Object> next = bob.sync(since);
      seen.addAll(bodies(Scene.timeline(next, room)));
      since = (String) next.get("next_batch");
    }
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      expected.add("m" + i);
      if (i % 3 == 0) {
        expected.add("m" + i + "b");
      }
    }
    assertThat(seen).isEqualTo(expected);
    Map<String, Object> quiet = bob.sync(since);
    assertThat(Scene.obj(quiet, "rooms", "join")).isEmpty();
    assertThat(quiet.get("next_batch")).isEqualTo(since);
  }

  @Test
  void garbageAndForeignSinceTokensAreRefused() {
    assertThat(error(() -> alice.sync("garbage")).errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(error(() -> alice.sync("s999999_" + hs.instanceTag)).errcode()).isEqualTo("M_INVALID_PARAM");
    Scene other = new Scene();
    Scene.User carol = other.user("carol");
    String foreign = (String) carol.sync(null).get("next_batch");
    MatrixError e = error(() -> alice.sync(foreign));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errcode()).isEqualTo("M_INVALID_PARAM");
  }

  @Test
  void limitedTimelineHasPrevBatchAndStateBeforeIt() {
    String room = alice.createRoom("preset", "public_chat", "name", "Lobby");
    bob.join(room);
    String since = (String) bob.sync(null).get("next_batch");
    alice.state(room, "m.room.topic", "", map("topic", "new topic"));
    for (int i = 0; i < 15; i++) {
      alice.send(room, "n" + i);
    }
    Map<String, Object> r = bob.sync(since, "{\"room\":{\"timeline\":{\"limit\":5}}}");
    Map<String, Object> timeline = Scene.obj(r, "rooms", "join", room, "timeline");
    assertThat(timeline).containsEntry("limited", true);
    assertThat(bodies(Scene.timeline(r, room))).containsExactly("n10", "n11", "n12", "n13", "n14");
    List<Map<String, Object>> state = Scene.list(r, "rooms", "join", room, "state", "events");
    assertThat(state).extracting(e -> e.get("type")).containsExactly("m.room.topic");
    Map<String, Object> page = hs.messages(bob.req, room, (String) timeline.get("prev_batch"), since, "b", 20L, null);
    assertThat(bodies(Scene.list(page, "chunk"))).hasSize(10).startsWith("n9").endsWith("n0");

    Map<String, Object> unlimited = bob.sync((String) r.get("next_batch"));
    assertThat(Scene.obj(unlimited, "rooms", "join")).isEmpty();
    alice.send(room, "last");
    Map<String, Object> small = bob.sync((String) r.get("next_batch"));
    assertThat(Scene.obj(small, "rooms", "join", room, "timeline")).containsEntry("limited", false);
    assertThat(Scene.list(small, "rooms", "join", room, "state", "events")).isEmpty();
  }

  @Test
  void useStateAfterGivesTheStateAtTheEndOfTheTimeline() {
    String room = alice.createRoom("preset", "public_chat", "name", "Lobby");
    bob.join(room);
    String since = (String) bob.sync(null).get("next_batch");
    alice.send(room, "x");
    alice.state(room, "m.room.name", "", map("name", "Renamed"));
    Map<String, Object> r = hs.sync(bob.req, new SyncRequest(since, null, false, 0, null, true));
    Map<String, Object> joined = Scene.obj(r, "rooms", "join", room);
    assertThat(joined).doesNotContainKey("state");
    assertThat(Scene.list(joined, "state_after", "events")).singleElement().satisfies(e ->
        assertThat(Scene.obj(e, "content")).containsEntry("name", "Renamed"));
    Map<String, Object> initial = hs.sync(bob.req, new SyncRequest(null, null, false, 0, null, true));
    assertThat(Scene.list(initial, "rooms", "join", room, "state_after", "events"))
        .anySatisfy(e -> assertThat(Scene.obj(e, "content")).containsEntry("name", "Renamed"))
        .noneSatisfy(e -> assertThat(Scene.obj(e, "content")).containsEntry("name", "Lobby"));
  }

  @Test
  void initialSyncHasFullStateAndSummary() {
    String room = alice.createRoom("preset", "public_chat", "name", "Lobby", "topic", "Talk");
    assertThat(Scene.obj(hs.stateContent(alice.req, room, "m.room.topic", ""), "m.topic"))
        .isEqualTo(map("m.text", List.of(map("body", "Talk", "mimetype", "text/plain"))));
    bob.join(room);
    for (int i = 0; i < 12; i++) {
      alice.send(room, "x" + i);
    }
    Map<String, Object> r = bob.sync(null);
    Map<String, Object> joined = Scene.obj(r, "rooms", "join", room);
    assertThat(Scene.obj(joined, "timeline")).containsEntry("limited", true);
    assertThat(Scene.list(joined, "timeline", "events")).hasSize(10);
    assertThat(Scene.list(joined, "state", "events")).extracting(e -> e.get("type"))
        .contains("m.room.create", "m.room.power_levels", "m.room.name", "m.room.join_rules", "m.room.member");
    assertThat(Scene.obj(joined, "summary")).containsEntry("m.joined_member_count", 2L);
    assertThat(Scene.list(r, "account_data", "events")).extracting(e -> e.get("type")).contains("m.push_rules");
    Map<String, Object> full = hs.sync(bob.req, new SyncRequest((String) r.get("next_batch"), null, true, 0, null));
    assertThat(Scene.list(full, "rooms", "join", room, "state", "events")).hasSizeGreaterThan(4);
  }

  @Test
  void invitesCarryStrippedStateAndLeavesShowUp() {
    String room = alice.createRoom("preset", "private_chat", "name", "Secret");
    String since = (String) bob.sync(null).get("next_batch");
    alice.invite(room, bob);
    Map<String, Object> r = bob.sync(since);
    List<Map<String, Object>> stripped = Scene.list(r, "rooms", "invite", room, "invite_state", "events");
    assertThat(stripped).extracting(e -> e.get("type"))
        .contains("m.room.create", "m.room.join_rules", "m.room.name", "m.room.member");
    assertThat(stripped).filteredOn(e -> bob.id().equals(e.get("state_key"))).hasSize(1);
    assertThat(stripped).filteredOn(e -> alice.id().equals(e.get("state_key"))).hasSize(1);
    assertThat(stripped.get(0)).containsOnlyKeys("type", "state_key", "sender", "content");
    bob.join(room);
    alice.send(room, "before kick");
    since = (String) bob.sync((String) r.get("next_batch")).get("next_batch");
    hs.kick(alice.req, room, bob.id(), "bye");
    alice.send(room, "after kick");
    Map<String, Object> left = bob.sync(since);
    List<Map<String, Object>> leaveTimeline = Scene.list(left, "rooms", "leave", room, "timeline", "events");
    assertThat(leaveTimeline).last().satisfies(e -> assertThat(e).containsEntry("state_key", bob.id()));
    assertThat(bodies(leaveTimeline)).doesNotContain("after kick");
    assertThat(Scene.obj(bob.sync(null), "rooms", "leave")).isEmpty();
  }

  @Test
  void aRoomJoinedSinceTheLastSyncComesWithFullStateAndHistory() {
    String room = alice.createRoom("preset", "public_chat", "name", "Hall");
    for (int i = 0; i < 3; i++) {
      alice.send(room, "h" + i);
    }
    String since = (String) bob.sync(null).get("next_batch");
    bob.join(room);
    Map<String, Object> r = bob.sync(since);
    Map<String, Object> joined = Scene.obj(r, "rooms", "join", room);
    assertThat(bodies(Scene.list(joined, "timeline", "events"))).containsExactly("h0", "h1", "h2");
    List<Map<String, Object>> all = new ArrayList<>(Scene.list(joined, "state", "events"));
    all.addAll(Scene.list(joined, "timeline", "events"));
    assertThat(all).extracting(e -> e.get("type")).contains("m.room.create", "m.room.name", "m.room.power_levels");
  }

  @Test
  void knocksShowInTheKnockSectionAndLeftRoomsOnlyWithIncludeLeave() {
    String room = alice.createRoom("preset", "private_chat", "name", "Club",
        "initial_state", List.of(map("type", "m.room.join_rules", "content", map("join_rule", "knock"))));
    String since = (String) bob.sync(null).get("next_batch");
    hs.knock(bob.req, room, "please");
    Map<String, Object> r = bob.sync(since);
    List<Map<String, Object>> knockState = Scene.list(r, "rooms", "knock", room, "knock_state", "events");
    assertThat(knockState).extracting(e -> e.get("type")).contains("m.room.join_rules", "m.room.name", "m.room.member");
    hs.leave(bob.req, room, null);
    Map<String, Object> afterLeave = bob.sync((String) r.get("next_batch"));
    assertThat(Scene.obj(afterLeave, "rooms", "leave")).containsKey(room);
    assertThat(Scene.obj(bob.sync(null), "rooms", "leave")).isEmpty();
    assertThat(Scene.obj(bob.sync(null, "{\"room\":{\"include_leave\":true}}"), "rooms", "leave")).containsKey(room);
  }

  @Test
  void longPollWakesAtOnceWhenSomethingHappens() throws Exception {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String since = (String) bob.sync(null).get("next_batch");
    CompletableFuture<Map<String, Object>> poll =
        CompletableFuture.supplyAsync(() -> hs.sync(bob.req, SyncRequest.since(since, 600_000)), pool);
    awaitWaiter();
    assertThat(poll).isNotDone();
    alice.send(room, "wake up");
    Map<String, Object> r = poll.get(10, TimeUnit.SECONDS);
    assertThat(bodies(Scene.timeline(r, room))).containsExactly("wake up");
  }

  /** Waits (without sleeping) until a long poll is parked on the homeserver's condition. */
  private void awaitWaiter() {
    assertThat(hs.awaitWaitingPolls(null, 1, java.time.Duration.ofSeconds(10))).as("a long poll is waiting").isTrue();
  }

  @Test
  void longPollEndsWhenTheManualClockPassesTheTimeoutAndOnClose() throws Exception {
    String since = (String) bob.sync(null).get("next_batch");
    CompletableFuture<Map<String, Object>> poll =
        CompletableFuture.supplyAsync(() -> hs.sync(bob.req, SyncRequest.since(since, 30_000)), pool);
    awaitWaiter();
    scene.advance(29_999);
    awaitWaiter();
    assertThat(poll).isNotDone();
    scene.advance(1);
    Map<String, Object> r = poll.get(10, TimeUnit.SECONDS);
    assertThat(r.get("next_batch")).isEqualTo(since);
    assertThat(Scene.obj(r, "rooms", "join")).isEmpty();

    CompletableFuture<Boolean> wait = CompletableFuture.supplyAsync(
        () -> hs.awaitChange(bob.id(), hs.currentPosition(), 600_000), pool);
    awaitWaiter();
    hs.close();
    assertThat(wait.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void longPollIgnoresRoomsTheUserLeft() throws Exception {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    hs.leave(bob.req, room, null);
    String since = (String) bob.sync(null).get("next_batch");
    alice.send(room, "after bob left");
    assertThat(hs.awaitChange(bob.id(), hs.currentPosition() - 1, 0)).isFalse();
    CompletableFuture<Map<String, Object>> poll =
        CompletableFuture.supplyAsync(() -> hs.sync(bob.req, SyncRequest.since(since, 10_000)), pool);
    awaitWaiter();
    alice.send(room, "still not for bob");
    awaitWaiter();
    assertThat(poll).isNotDone();
    alice.invite(room, bob);
    assertThat(Scene.obj(poll.get(10, TimeUnit.SECONDS), "rooms", "invite")).containsKey(room);
  }

    @Test
  void longPollIgnoresChangesForOtherUsers() throws Exception {
    Scene.User carol = scene.user("carol");
    String room = alice.createRoom("preset", "private_chat");
    String since = (String) bob.sync(null).get("next_batch");
    CompletableFuture<Map<String, Object>> poll =
        CompletableFuture.supplyAsync(() -> hs.sync(bob.req, SyncRequest.since(since, 10_000)), pool);
    awaitWaiter();
    alice.send(room, "not for bob");
    alice.invite(room, carol);
    awaitWaiter();
    assertThat(poll).isNotDone();
    alice.invite(room, bob);
    Map<String, Object> r = poll.get(10, TimeUnit.SECONDS);
    assertThat(Scene.obj(r, "rooms", "invite")).containsKey(room);
  }

  @Test
  void typingShowsInSyncAndExpiresOnTheClock() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String since = (String) bob.sync(null).get("next_batch");
    hs.setTyping(alice.req, room, alice.id(), true, 10_000L);
    Map<String, Object> r = bob.sync(since);
    List<Map<String, Object>> eph = Scene.list(r, "rooms", "join", room, "ephemeral", "events");
    assertThat(eph).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("type", "m.typing");
      assertThat(Scene.obj(e, "content")).containsEntry("user_ids", List.of(alice.id()));
    });
    since = (String) r.get("next_batch");
    scene.advance(10_000);
    Map<String, Object> after = bob.sync(since);
    assertThat(Scene.list(after, "rooms", "join", room, "ephemeral", "events")).singleElement()
        .satisfies(e -> assertThat(Scene.obj(e, "content")).containsEntry("user_ids", List.of()));
    assertThat(error(() -> hs.setTyping(bob.req, room, alice.id(), true, null)).status()).isEqualTo(403);
  }

  @Test
  void receiptsReadMarkersAndUnreadCounts() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    alice.send(room, "one");
    String two = alice.send(room, "hey bob, two");
    alice.send(room, "three");
    Map<String, Object> r = bob.sync(null);
    assertThat(Scene.obj(r, "rooms", "join", room, "unread_notifications"))
        .containsEntry("notification_count", 3L).containsEntry("highlight_count", 1L);
    String since = (String) r.get("next_batch");
    hs.sendReceipt(bob.req, room, "m.read", two, null);
    hs.sendReceipt(bob.req, room, "m.read.private", two, "main");
    Map<String, Object> after = bob.sync(since);
    Map<String, Object> joined = Scene.obj(after, "rooms", "join", room);
    assertThat(Scene.obj(joined, "unread_notifications")).containsEntry("notification_count", 1L);
    Map<String, Object> receipt = Scene.list(joined, "ephemeral", "events").get(0);
    assertThat(Scene.obj(receipt, "content", two)).containsKeys("m.read", "m.read.private");
    Map<String, Object> forAlice = alice.sync(since);
    Map<String, Object> aliceReceipt = Scene.list(forAlice, "rooms", "join", room, "ephemeral", "events").get(0);
    assertThat(Scene.obj(aliceReceipt, "content", two)).containsOnlyKeys("m.read");
    String reply = alice.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "threaded",
        "m.relates_to", map("rel_type", "m.thread", "event_id", two)));
    hs.sendReceipt(bob.req, room, "m.read", reply, two);
    assertThat(error(() -> hs.sendReceipt(bob.req, room, "m.read", reply, "main")).errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(error(() -> hs.sendReceipt(bob.req, room, "m.read", two, reply)).errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(error(() -> hs.sendReceipt(bob.req, room, "m.read", two, "")).errcode()).isEqualTo("M_INVALID_PARAM");
    hs.setReadMarkers(bob.req, room, two, null, null);
    assertThat(hs.accountData(bob.req, bob.id(), room, "m.fully_read")).containsEntry("event_id", two);
    Map<String, Object> ad = bob.sync((String) after.get("next_batch"));
    assertThat(Scene.list(ad, "rooms", "join", room, "account_data", "events")).extracting(e -> e.get("type"))
        .containsExactly("m.fully_read");
  }

  @Test
  void unreadCountsStayRightAsTheyAreUpdatedIncrementally() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    alice.send(room, "a");
    String since = (String) bob.sync(null).get("next_batch");
    String b = alice.send(room, "b");
    alice.send(room, "c, @bob:test.local");
    Map<String, Object> r = bob.sync(since);
    assertThat(Scene.obj(r, "rooms", "join", room, "unread_notifications"))
        .containsEntry("notification_count", 3L).containsEntry("highlight_count", 1L);
    hs.redact(alice.req, room, b, "rx", null);
    bob.send(room, "own messages do not count");
    hs.setProfileField(bob.req, bob.id(), "displayname", "Bobby");
    Map<String, Object> r2 = bob.sync((String) r.get("next_batch"));
    assertThat(Scene.obj(r2, "rooms", "join", room, "unread_notifications"))
        .containsEntry("notification_count", 2L).containsEntry("highlight_count", 1L);
    alice.send(room, "d");
    Map<String, Object> r3 = bob.sync((String) r2.get("next_batch"));
    assertThat(Scene.obj(r3, "rooms", "join", room, "unread_notifications")).containsEntry("notification_count", 3L);
  }

  @Test
  void ignoredUsersMessagesAndInvitesAreHidden() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    hs.setAccountData(bob.req, bob.id(), null, "m.ignored_user_list", map("ignored_users", map(alice.id(), map())));
    String since = (String) bob.sync(null).get("next_batch");
    alice.send(room, "you can't hear me");
    alice.state(room, "m.room.topic", "", map("topic", "state still shows"));
    List<Map<String, Object>> timeline = Scene.timeline(bob.sync(since), room);
    assertThat(bodies(timeline)).isEmpty();
    assertThat(timeline).extracting(e -> e.get("type")).containsExactly("m.room.topic");
    assertThat(bodies(Scene.list(hs.messages(bob.req, room, null, null, "b", 50L, null), "chunk"))).isEmpty();
    String dm = alice.createRoom("preset", "private_chat", "invite", List.of(bob.id()));
    assertThat(Scene.obj(bob.sync(null), "rooms", "invite")).doesNotContainKey(dm);
  }

  @Test
  void pollingWithSetPresenceOfflineLeavesPresenceAlone() {
    hs.setPresence(alice.req, alice.id(), "unavailable", "away");
    hs.sync(alice.req, new SyncRequest(null, null, false, 0, "offline"));
    assertThat(hs.presence(alice.req, alice.id())).containsEntry("presence", "unavailable");
    hs.sync(alice.req, new SyncRequest(null, null, false, 0, null));
    assertThat(hs.presence(alice.req, alice.id())).containsEntry("presence", "online");
  }

  @Test
  void accountDataAndPresenceAreSynced() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String since = (String) bob.sync(null).get("next_batch");
    hs.setAccountData(bob.req, bob.id(), null, "m.direct", map(alice.id(), List.of(room)));
    hs.setPresence(alice.req, alice.id(), "unavailable", "away");
    Map<String, Object> r = bob.sync(since);
    assertThat(Scene.list(r, "account_data", "events")).extracting(e -> e.get("type")).containsExactly("m.direct");
    assertThat(Scene.list(r, "presence", "events")).anySatisfy(e -> {
      assertThat(e).containsEntry("sender", alice.id());
      assertThat(Scene.obj(e, "content")).containsEntry("presence", "unavailable");
    });
    Scene.User carol = scene.user("carol");
    String carolSince = (String) carol.sync(null).get("next_batch");
    String bobSince = (String) r.get("next_batch");
    carol.join(room);
    assertThat(Scene.list(carol.sync(carolSince), "presence", "events")).extracting(e -> e.get("sender"))
        .contains(alice.id(), bob.id());
    assertThat(Scene.list(bob.sync(bobSince), "presence", "events")).extracting(e -> e.get("sender"))
        .containsExactly(carol.id());
  }

  @Test
  void filtersApplyTypesRoomsAndLazyMembers() {
    String room = alice.createRoom("preset", "public_chat");
    String other = alice.createRoom("preset", "public_chat");
    bob.join(room);
    bob.join(other);
    Scene.User carol = scene.user("carol");
    carol.join(room);
    alice.sendEvent(room, "io.melo.custom", map("x", 1L));
    alice.send(room, "hello");
    String filterId = (String) hs.createFilter(bob.req, bob.id(), map("room", map(
        "not_rooms", List.of(other),
        "timeline", map("types", List.of("m.room.*"), "not_types", List.of("m.room.member"), "limit", 3L),
        "state", map("lazy_load_members", true)))).get("filter_id");
    Map<String, Object> r = bob.sync(null, filterId);
    assertThat(Scene.obj(r, "rooms", "join")).containsOnlyKeys(room);
    List<Map<String, Object>> timeline = Scene.timeline(r, room);
    assertThat(timeline).extracting(e -> e.get("type")).doesNotContain("io.melo.custom", "m.room.member");
    assertThat(timeline).hasSize(3);
    List<Map<String, Object>> state = Scene.list(r, "rooms", "join", room, "state", "events");
    assertThat(state).filteredOn(e -> "m.room.member".equals(e.get("type")))
        .extracting(e -> e.get("state_key")).doesNotContain(carol.id()).contains(bob.id(), alice.id());
    Map<String, Object> slim = bob.sync(null, "{\"event_fields\":[\"type\",\"content.body\"]}");
    assertThat(Scene.timeline(slim, room)).last().satisfies(e -> {
      assertThat(e).containsOnlyKeys("type", "content");
      assertThat(Scene.obj(e, "content")).containsOnlyKeys("body").containsEntry("body", "hello");
    });
    Map<String, Object> page = hs.messages(bob.req, room, null, null, "b", 50L, "{\"types\":[\"io.melo.custom\"]}");
    assertThat(Scene.list(page, "chunk")).singleElement().satisfies(e -> assertThat(e).containsEntry("type", "io.melo.custom"));
  }

  @Test
  void historyVisibilityJoinedHidesEarlierEventsFromNewMembers() {
    String room = alice.createRoom("preset", "public_chat",
        "initial_state", List.of(map("type", "m.room.history_visibility", "content", map("history_visibility", "joined"))));
    String early = alice.send(room, "before bob");
    bob.join(room);
    alice.send(room, "after bob");
    assertThat(bodies(Scene.timeline(bob.sync(null), room))).containsExactly("after bob");
    assertThat(error(() -> hs.event(bob.req, room, early)).status()).isEqualTo(404);
    Scene.User carol = scene.user("carol");
    assertThat(error(() -> hs.messages(carol.req, room, null, null, "b", 10L, null)).status()).isEqualTo(403);

    String shared = alice.createRoom("preset", "public_chat");
    alice.send(shared, "old news");
    bob.join(shared);
    assertThat(bodies(Scene.timeline(bob.sync(null), shared))).containsExactly("old news");
  }

  @Test
  void messagesPaginateBothWaysAndContextSurroundsAnEvent() {
    String room = alice.createRoom("preset", "public_chat");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(alice.send(room, "p" + i));
    }
    Map<String, Object> back = hs.messages(alice.req, room, null, null, "b", 2L, null);
    assertThat(bodies(Scene.list(back, "chunk"))).containsExactly("p5", "p4");
    Map<String, Object> back2 = hs.messages(alice.req, room, (String) back.get("end"), null, "b", 2L, null);
    assertThat(bodies(Scene.list(back2, "chunk"))).containsExactly("p3", "p2");
    Map<String, Object> fwd = hs.messages(alice.req, room, (String) back2.get("end"), null, "f", 3L, null);
    assertThat(bodies(Scene.list(fwd, "chunk"))).containsExactly("p2", "p3", "p4");
    Map<String, Object> all = hs.messages(alice.req, room, null, null, "f", 100L, null);
    assertThat(Scene.list(all, "chunk").get(0)).containsEntry("type", "m.room.create");
    Map<String, Object> start = hs.messages(alice.req, room, null, null, "b", 100L, null);
    assertThat(start).doesNotContainKey("end");
    assertThat(error(() -> hs.messages(alice.req, room, null, null, "x", 1L, null)).errcode()).isEqualTo("M_INVALID_PARAM");
    Map<String, Object> ctx = hs.context(alice.req, room, ids.get(3), 4L, null);
    assertThat(Scene.obj(ctx, "event")).containsEntry("event_id", ids.get(3));
    assertThat(bodies(Scene.list(ctx, "events_before"))).containsExactly("p2", "p1");
    assertThat(bodies(Scene.list(ctx, "events_after"))).containsExactly("p4", "p5");
    assertThat(Scene.list(ctx, "state")).isNotEmpty();
  }

  @Test
  void timestampToEventFindsTheNearestVisibleEvent() {
    String room = alice.createRoom("preset", "public_chat");
    long t0 = scene.clock.nowMillis();
    scene.advance(1_000);
    String a = alice.send(room, "a");
    scene.advance(1_000);
    String b = alice.send(room, "b");
    assertThat(hs.timestampToEvent(alice.req, room, t0 + 500, "f")).containsEntry("event_id", a);
    assertThat(hs.timestampToEvent(alice.req, room, t0 + 1_500, "b")).containsEntry("event_id", a);
    assertThat(hs.timestampToEvent(alice.req, room, t0 + 1_500, "f")).containsEntry("event_id", b);
    assertThat(error(() -> hs.timestampToEvent(alice.req, room, t0 + 10_000, "f")).status()).isEqualTo(404);
  }

  @Test
  void searchFindsVisibleMessagesWithContextAndPaging() {
    String room = alice.createRoom("preset", "public_chat", "name", "Cake club");
    bob.join(room);
    alice.send(room, "I like cake");
    String lie = bob.send(room, "the cake is a lie, cake!");
    alice.send(room, "pie is fine");
    String other = alice.createRoom("preset", "private_chat");
    alice.send(other, "secret cake");
    Map<String, Object> r = hs.search(bob.req, map("search_categories", map("room_events", map(
        "search_term", "Cake", "filter", map("limit", 1L), "event_context", map("before_limit", 1L, "after_limit", 1L,
            "include_profile", true), "include_state", true))), null);
    Map<String, Object> events = Scene.obj(r, "search_categories", "room_events");
    assertThat(events).containsEntry("count", 3L);
    Map<String, Object> top = Scene.list(events, "results").get(0);
    assertThat(Scene.obj(top, "result")).containsEntry("event_id", lie);
    assertThat(Scene.list(top, "context", "events_after")).hasSize(1);
    assertThat(Scene.obj(top, "context", "profile_info")).containsKey(bob.id());
    assertThat(Scene.obj(events, "state")).containsOnlyKeys(room);
    Map<String, Object> page2 = hs.search(bob.req, map("search_categories", map("room_events", map(
        "search_term", "cake", "filter", map("limit", 1L)))), (String) events.get("next_batch"));
    assertThat(Scene.list(Scene.obj(page2, "search_categories", "room_events"), "results")).hasSize(1);
    Map<String, Object> recent = hs.search(bob.req, map("search_categories", map("room_events", map(
        "search_term", "cake", "order_by", "recent", "keys", List.of("content.name")))), null);
    assertThat(Scene.list(Scene.obj(recent, "search_categories", "room_events"), "results")).singleElement()
        .satisfies(h -> assertThat(Scene.obj(h, "result")).containsEntry("type", "m.room.name"));
    assertThat(error(() -> hs.search(bob.req, map("search_categories", map("room_events", map())), null)).errcode())
        .isEqualTo("M_MISSING_PARAM");
  }

  @Test
  void relationsAndThreads() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String root = alice.send(room, "root");
    bob.sendEvent(room, "m.reaction", map("m.relates_to", map("rel_type", "m.annotation", "event_id", root, "key", "👍")));
    alice.sendEvent(room, "m.reaction", map("m.relates_to", map("rel_type", "m.annotation", "event_id", root, "key", "🎉")));
    String reply = bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "in thread",
        "m.relates_to", map("rel_type", "m.thread", "event_id", root)));
    Map<String, Object> ann = hs.relations(alice.req, room, root, "m.annotation", null, null, null, 1L, null, false);
    assertThat(Scene.list(ann, "chunk")).hasSize(1);
    Map<String, Object> ann2 = hs.relations(alice.req, room, root, "m.annotation", "m.reaction",
        (String) ann.get("next_batch"), null, 10L, null, false);
    assertThat(Scene.list(ann2, "chunk")).hasSize(1);
    assertThat(ann2).doesNotContainKey("next_batch");
    assertThat(Scene.list(hs.relations(alice.req, room, root, null, null, null, null, 10L, "f", false), "chunk"))
        .hasSize(3);
    Map<String, Object> threads = hs.threads(alice.req, room, "all", null, null);
    Map<String, Object> t = Scene.list(threads, "chunk").get(0);
    assertThat(t).containsEntry("event_id", root);
    Map<String, Object> summary = Scene.obj(t, "unsigned", "m.relations", "m.thread");
    assertThat(summary).containsEntry("count", 1L).containsEntry("current_user_participated", true);
    assertThat(Scene.obj(summary, "latest_event")).containsEntry("event_id", reply);
    Scene.User carol = scene.user("carol");
    carol.join(room);
    assertThat(Scene.list(hs.threads(carol.req, room, "participated", null, null), "chunk")).isEmpty();
  }

  @Test
  void relationsAreBundledIntoUnsigned() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String original = alice.send(room, "typo");
    String since = (String) bob.sync(null).get("next_batch");
    bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "* hijack",
        "m.new_content", map("msgtype", "m.text", "body", "hijack"),
        "m.relates_to", map("rel_type", "m.replace", "event_id", original)));
    String edit = alice.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "* fixed",
        "m.new_content", map("msgtype", "m.text", "body", "fixed"),
        "m.relates_to", map("rel_type", "m.replace", "event_id", original)));
    String reply = bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "in thread",
        "m.relates_to", map("rel_type", "m.thread", "event_id", original)));
    Map<String, Object> relations = Scene.obj(hs.event(bob.req, room, original), "unsigned", "m.relations");
    assertThat(Scene.obj(relations, "m.replace")).containsEntry("event_id", edit);
    assertThat(Scene.obj(relations, "m.thread")).containsEntry("count", 1L).containsEntry("current_user_participated", true);
    assertThat(Scene.obj(relations, "m.thread", "latest_event")).containsEntry("event_id", reply);
    List<Map<String, Object>> synced = Scene.timeline(bob.sync(null), room);
    assertThat(synced).filteredOn(e -> original.equals(e.get("event_id"))).singleElement()
        .satisfies(e -> assertThat(Scene.obj(e, "unsigned", "m.relations")).containsKeys("m.replace", "m.thread"));
    assertThat(since).isNotBlank();
    hs.redact(alice.req, room, edit, "r-edit", null);
    assertThat(Scene.obj(hs.event(bob.req, room, original), "unsigned", "m.relations")).doesNotContainKey("m.replace");
  }

  @Test
  void hierarchyWalksSpaceChildrenWithDepthSuggestionAndPaging() {
    String space = alice.createRoom("preset", "public_chat", "creation_content", map("type", "m.space"), "name", "Space");
    String general = alice.createRoom("preset", "public_chat", "name", "general");
    String secret = alice.createRoom("preset", "private_chat", "name", "secret");
    String sub = alice.createRoom("preset", "public_chat", "creation_content", map("type", "m.space"));
    String deep = alice.createRoom("preset", "public_chat", "name", "deep");
    alice.state(space, "m.space.child", general, map("via", List.of("test.local"), "suggested", true));
    scene.advance(1);
    alice.state(space, "m.space.child", secret, map("via", List.of("test.local")));
    scene.advance(1);
    alice.state(space, "m.space.child", sub, map("via", List.of("test.local")));
    alice.state(sub, "m.space.child", deep, map("via", List.of("test.local")));
    alice.state(space, "m.space.child", "!gone:test.local", map());
    Map<String, Object> all = hs.hierarchy(bob.req, space, null, null, null, false);
    assertThat(Scene.list(all, "rooms")).extracting(r -> r.get("room_id")).containsExactly(space, general, sub, deep);
    assertThat(Scene.list(all, "rooms").get(0)).containsEntry("room_type", "m.space");
    assertThat(Scene.list(Scene.list(all, "rooms").get(0), "children_state")).hasSize(3);
    Map<String, Object> shallow = hs.hierarchy(bob.req, space, null, null, 1L, false);
    assertThat(Scene.list(shallow, "rooms")).extracting(r -> r.get("room_id")).containsExactly(space, general, sub);
    Map<String, Object> suggested = hs.hierarchy(bob.req, space, null, null, null, true);
    assertThat(Scene.list(suggested, "rooms")).extracting(r -> r.get("room_id")).containsExactly(space, general);
    Map<String, Object> page1 = hs.hierarchy(bob.req, space, null, 2L, null, false);
    Map<String, Object> page2 = hs.hierarchy(bob.req, space, (String) page1.get("next_batch"), 2L, null, false);
    assertThat(Scene.list(page2, "rooms")).extracting(r -> r.get("room_id")).containsExactly(sub, deep);
    assertThat(error(() -> hs.hierarchy(bob.req, space, (String) page1.get("next_batch"), 2L, null, true)).errcode())
        .isEqualTo("M_INVALID_PARAM");
    assertThat(error(() -> hs.hierarchy(bob.req, secret, null, null, null, false)).status()).isEqualTo(403);
    alice.state(space, "m.space.child", sub, map("via", List.of("test.local"), "order", "a"));
    Map<String, Object> ordered = hs.hierarchy(bob.req, space, null, null, 1L, false);
    assertThat(Scene.list(ordered, "rooms")).extracting(r -> r.get("room_id")).containsExactly(space, sub, general);
  }

  @Test
  void membersAndJoinedMembers() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    Scene.User carol = scene.user("carol");
    alice.invite(room, carol);
    assertThat(Scene.list(hs.members(bob.req, room, null, "join", null), "chunk")).hasSize(2);
    assertThat(Scene.list(hs.members(bob.req, room, null, null, "join"), "chunk")).hasSize(1);
    assertThat(Scene.obj(hs.joinedMembers(bob.req, room), "joined")).containsOnlyKeys(alice.id(), bob.id());
    assertThat(error(() -> hs.joinedMembers(carol.req, room)).status()).isEqualTo(403);
    assertThat(hs.joinedRooms(bob.req)).containsEntry("joined_rooms", List.of(room));
    assertThat(error(() -> hs.stateContent(bob.req, room, "m.room.name", "")).status()).isEqualTo(404);
    assertThat(hs.stateContent(bob.req, room, "m.room.join_rules", "")).containsEntry("join_rule", "public");
    assertThat(hs.stateEventJson(bob.req, room, "m.room.join_rules", ""))
        .containsEntry("type", "m.room.join_rules").containsEntry("sender", alice.id()).containsKey("event_id");
    hs.leave(bob.req, room, null);
    alice.state(room, "m.room.name", "", map("name", "after bob left"));
    assertThat(error(() -> hs.stateContent(bob.req, room, "m.room.name", "")).status()).isEqualTo(404);
    assertThat(error(() -> hs.stateContent(carol.req, room, "m.room.join_rules", "")).status()).isEqualTo(403);
  }
}
