package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {
  private final Scene scene = new Scene();
  private final Homeserver hs = scene.hs;
  private final Scene.User alice = scene.user("alice");
  private final Scene.User bob = scene.user("bob");

  private static MatrixError error(Runnable r) {
    try {
      r.run();
    } catch (MatrixError e) {
      return e;
    }
    throw new AssertionError("expected a MatrixError");
  }

  @Test
  void eventIdsHaveTheCurrentFormatAndTimestampsComeFromTheClock() {
    String room = alice.createRoom();
    scene.advance(5_000);
    String id = alice.send(room, "hi");
    assertThat(id).matches("\\$[A-Za-z0-9_-]{43}");
    Event e = hs.findEvent(id);
    assertThat(e.originServerTs()).isEqualTo(scene.clock.nowMillis());
    List<Event> timeline = hs.timeline(room);
    Event previous = timeline.get(timeline.size() - 2);
    assertThat(e.prevEvents()).containsExactly(previous.eventId());
    assertThat(e.depth()).isEqualTo(previous.depth() + 1);
    assertThat(e.authEvents()).contains(timeline.get(0).eventId());
  }

  @Test
  void sameDeviceAndTxnIdGiveTheSameEventOnce() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    int before = hs.timeline(room).size();
    String first = hs.sendEvent(alice.req, room, "m.room.message", "txn1", map("msgtype", "m.text", "body", "a"));
    String again = hs.sendEvent(alice.req, room, "m.room.message", "txn1", map("msgtype", "m.text", "body", "a"));
    assertThat(again).isEqualTo(first);
    assertThat(hs.timeline(room)).hasSize(before + 1);
    Map<String, Object> login = hs.login(map("type", "m.login.password", "user", "alice", "password", "pw-alice"), null);
    Requester otherDevice = hs.authenticate((String) login.get("access_token"), null);
    String fromOther = hs.sendEvent(otherDevice, room, "m.room.message", "txn1", map("msgtype", "m.text", "body", "a"));
    assertThat(fromOther).isNotEqualTo(first);
    String otherRoom = alice.createRoom();
    assertThat(hs.sendEvent(alice.req, otherRoom, "m.room.message", "txn1", map("body", "a"))).isNotEqualTo(first);
    String redaction = hs.redact(alice.req, room, fromOther, "txn1", null);
    assertThat(redaction).isNotEqualTo(first);
    assertThat(hs.redact(alice.req, room, fromOther, "txn1", null)).isEqualTo(redaction);
    Map<String, Object> own = hs.event(alice.req, room, first);
    assertThat(Scene.obj(own, "unsigned")).containsEntry("transaction_id", "txn1");
    assertThat(Scene.obj(hs.event(otherDevice, room, first), "unsigned")).doesNotContainKey("transaction_id");
    assertThat(Scene.obj(hs.event(bob.req, room, first), "unsigned")).doesNotContainKey("transaction_id");
    assertThat(Scene.obj(hs.event(bob.req, room, first), "unsigned")).containsEntry("membership", "join");
    String bobsJoin = hs.stateEvent(room, "m.room.member", bob.id()).eventId();
    assertThat(Scene.obj(hs.event(bob.req, room, bobsJoin), "unsigned")).containsEntry("membership", "join");
    assertThat(Scene.obj(hs.event(bob.req, room, hs.timeline(room).get(0).eventId()), "unsigned"))
        .containsEntry("membership", "leave");
    List<Map<String, Object>> synced = Scene.timeline(alice.sync(null), room);
    assertThat(synced).filteredOn(m -> first.equals(m.get("event_id"))).singleElement()
        .extracting(m -> Scene.obj(m, "unsigned").get("transaction_id")).isEqualTo("txn1");
  }

  @Test
  void contentMustBeCanonicalJsonAndEventsAreLimitedInSize() {
    String room = alice.createRoom();
    assertThat(error(() -> alice.sendEvent(room, "m.room.message", map("body", 1.5))).errcode()).isEqualTo("M_BAD_JSON");
    MatrixError big = error(() -> alice.sendEvent(room, "m.room.message", map("body", "x".repeat(70_000))));
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.errcode()).isEqualTo("M_TOO_LARGE");
  }

  @Test
  void redactionV10KeepsOnlyTheV10Keys() {
    String room = alice.createRoom("room_version", "10", "preset", "public_chat");
    Map<String, Object> pl = new java.util.LinkedHashMap<>(hs.stateEvent(room, "m.room.power_levels", "").content());
    pl.put("invite", 10L);
    String plId = alice.state(room, "m.room.power_levels", "", pl);
    String redaction = hs.redact(alice.req, room, plId, "r", "test");
    Event redacted = hs.findEvent(plId);
    assertThat(redacted.content()).containsKeys("users", "events", "ban", "kick", "redact", "state_default",
        "users_default", "events_default").doesNotContainKey("invite");
    Event r = hs.findEvent(redaction);
    assertThat(r.redacts()).isEqualTo(plId);
    assertThat(r.content()).doesNotContainKey("redacts");
    Map<String, Object> json = hs.event(alice.req, room, redaction);
    assertThat(json).containsEntry("redacts", plId);
    String createId = hs.timeline(room).get(0).eventId();
    hs.redact(alice.req, room, createId, "r2", null);
    assertThat(hs.findEvent(createId).content()).containsOnlyKeys("creator");
    Map<String, Object> rjson = hs.event(alice.req, room, redaction);
    hs.redact(alice.req, room, redaction, "r3", null);
    assertThat(hs.findEvent(redaction).content()).isEmpty();
    assertThat(rjson).containsEntry("redacts", plId);
  }

  @Test
  void redactionV11KeepsCreateContentInviteLevelAndRedacts() {
    String room = alice.createRoom("room_version", "11", "preset", "public_chat",
        "creation_content", map("type", "m.space", "m.federate", true));
    Map<String, Object> pl = new java.util.LinkedHashMap<>(hs.stateEvent(room, "m.room.power_levels", "").content());
    pl.put("invite", 10L);
    String plId = alice.state(room, "m.room.power_levels", "", pl);
    String redaction = hs.redact(alice.req, room, plId, "r", null);
    assertThat(hs.findEvent(plId).content()).containsEntry("invite", 10L);
    assertThat(hs.findEvent(redaction).content()).containsEntry("redacts", plId);
    String createId = hs.timeline(room).get(0).eventId();
    hs.redact(alice.req, room, createId, "r2", null);
    assertThat(hs.findEvent(createId).content()).containsEntry("type", "m.space").containsEntry("m.federate", true);
    hs.redact(alice.req, room, redaction, "r3", null);
    assertThat(hs.findEvent(redaction).content()).containsOnlyKeys("redacts");
  }

  @Test
  void redactedMessagesLoseTheirBodyAndCarryRedactedBecause() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String msg = bob.send(room, "secret");
    String redaction = hs.redact(alice.req, room, msg, "r", "spam");
    Map<String, Object> json = hs.event(bob.req, room, msg);
    assertThat(Scene.obj(json, "content")).isEmpty();
    Map<String, Object> because = Scene.obj(json, "unsigned", "redacted_because");
    assertThat(because).containsEntry("event_id", redaction).containsEntry("sender", alice.id());
    assertThat(hs.findEvent(msg).originalContent()).containsEntry("body", "secret");
    Map<String, Object> member = new java.util.LinkedHashMap<>(hs.stateEvent(room, "m.room.member", bob.id()).content());
    assertThat(RoomVersion.V10.redactContent("m.room.member",
        map("membership", "join", "displayname", "B", "join_authorised_via_users_server", "@a:x",
            "third_party_invite", map("signed", map("x", 1L), "display_name", "d"))))
        .containsOnlyKeys("membership", "join_authorised_via_users_server");
    assertThat(RoomVersion.V11.redactContent("m.room.member",
        map("membership", "join", "third_party_invite", map("signed", map("x", 1L), "display_name", "d"))))
        .isEqualTo(map("membership", "join", "third_party_invite", map("signed", map("x", 1L))));
    assertThat(RoomVersion.V10.redactContent("m.room.join_rules",
        map("join_rule", "restricted", "allow", List.of(), "other", 1L))).containsOnlyKeys("join_rule", "allow");
    assertThat(RoomVersion.V10.redactContent("m.room.history_visibility",
        map("history_visibility", "shared", "x", 1L))).containsOnlyKeys("history_visibility");
    assertThat(RoomVersion.V10.redactContent("m.room.aliases", map("aliases", List.of("#a:b")))).isEmpty();
    assertThat(RoomVersion.V10.topLevelKeysKeptByRedaction()).contains("origin", "membership", "prev_state");
    assertThat(RoomVersion.V11.topLevelKeysKeptByRedaction()).doesNotContain("origin", "membership", "prev_state");
    assertThat(member).containsKey("membership");
  }

  @Test
  void createRoomAppliesPresetsOverridesAndOptions() {
    Scene.User carol = scene.user("carol");
    String room = alice.createRoom("preset", "trusted_private_chat", "is_direct", true,
        "invite", List.of(bob.id()), "name", "DM", "topic", "talk", "room_alias_name", "dm",
        "initial_state", List.of(map("type", "m.room.guest_access", "state_key", "", "content", map("guest_access", "forbidden")),
            map("type", "m.room.name", "content", map("name", "ignored"))),
        "power_level_content_override", map("events", map("m.room.name", 100L), "ban", 60L));
    Map<String, Object> pl = hs.stateEvent(room, "m.room.power_levels", "").content();
    assertThat(Scene.obj(pl, "users")).containsEntry(alice.id(), 100L).containsEntry(bob.id(), 100L);
    assertThat(Scene.obj(pl, "events")).isEqualTo(map("m.room.name", 100L));
    assertThat(pl).containsEntry("ban", 60L).containsEntry("invite", 0L).containsEntry("state_default", 50L);
    assertThat(hs.stateEvent(room, "m.room.join_rules", "").content()).containsEntry("join_rule", "invite");
    assertThat(hs.stateEvent(room, "m.room.guest_access", "").content()).containsEntry("guest_access", "forbidden");
    assertThat(hs.stateEvent(room, "m.room.name", "").content()).containsEntry("name", "DM");
    assertThat(hs.stateEvent(room, "m.room.topic", "").content()).containsEntry("topic", "talk");
    assertThat(hs.stateEvent(room, "m.room.member", bob.id()).content())
        .containsEntry("membership", "invite").containsEntry("is_direct", true);
    assertThat(hs.resolveAlias("#dm:test.local")).containsEntry("room_id", room);
    assertThat(hs.stateEvent(room, "m.room.canonical_alias", "").content()).containsEntry("alias", "#dm:test.local");
    MatrixError taken = error(() -> carol.createRoom("room_alias_name", "dm"));
    assertThat(taken.errcode()).isEqualTo("M_ROOM_IN_USE");
    assertThat(hs.roomIds()).hasSize(1);
    List<String> types = hs.timeline(room).stream().map(Event::type).toList();
    assertThat(types.subList(0, 4)).containsExactly("m.room.create", "m.room.member", "m.room.power_levels",
        "m.room.canonical_alias");
    String pub = carol.createRoom("visibility", "public", "room_alias_name", "lobby");
    assertThat(hs.stateEvent(pub, "m.room.join_rules", "").content()).containsEntry("join_rule", "public");
    assertThat(hs.stateEvent(pub, "m.room.power_levels", "").content()).containsEntry("invite", 50L);
    assertThat(hs.directoryVisibility(pub)).containsEntry("visibility", "public");
    assertThat(Scene.list(hs.publicRooms(null, null, null), "chunk")).extracting(c -> c.get("room_id")).containsExactly(pub);
    assertThat(error(() -> alice.createRoom("invite", List.of("@ghost:test.local"))).status()).isEqualTo(404);
    assertThat(error(() -> alice.createRoom("preset", "weird")).errcode()).isEqualTo("M_BAD_JSON");
    assertThat(error(() -> alice.createRoom("room_version", 10L)).getMessage()).isEqualTo("'room_version' must be a string");
    int roomsBefore = hs.roomIds().size();
    MatrixError invalid = error(() -> alice.createRoom("name", "x",
        "power_level_content_override", map("users", map(alice.id(), 10L))));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errcode()).isEqualTo("M_INVALID_ROOM_STATE");
    assertThat(hs.roomIds()).hasSize(roomsBefore);
  }

  @Test
  void upgradingMovesStateAndAliasesAndTombstonesTheOldRoom() {
    String room = alice.createRoom("preset", "public_chat", "name", "Old", "room_alias_name", "up",
        "room_version", "10");
    bob.join(room);
    hs.ban(alice.req, room, scene.user("troll").id(), null);
    MatrixError denied = error(() -> hs.upgradeRoom(bob.req, room, "11"));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(error(() -> hs.upgradeRoom(alice.req, room, "12")).errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
    String next = (String) hs.upgradeRoom(alice.req, room, "11").get("replacement_room");
    assertThat(hs.roomVersion(next)).isEqualTo(RoomVersion.V11);
    assertThat(hs.stateEvent(next, "m.room.create", "").content())
        .containsEntry("room_version", "11").doesNotContainKey("creator")
        .satisfies(c -> assertThat(Scene.obj(c, "predecessor")).containsEntry("room_id", room));
    assertThat(hs.stateEvent(next, "m.room.name", "").content()).containsEntry("name", "Old");
    assertThat(hs.membership(next, "@troll:test.local")).isEqualTo("ban");
    assertThat(hs.resolveAlias("#up:test.local")).containsEntry("room_id", next);
    assertThat(hs.stateEvent(room, "m.room.tombstone", "").content()).containsEntry("replacement_room", next);
    assertThat(error(() -> bob.send(room, "still here?")).status()).isEqualTo(403);
    bob.join(next);
    bob.send(next, "moved");
    assertThat(hs.stateEvent(next, "m.room.power_levels", "").content())
        .isEqualTo(hs.timeline(room).stream().filter(e -> e.type().equals("m.room.power_levels")).findFirst()
            .orElseThrow().content());
  }

  @Test
  void duplicateAnnotationsAndBlockedInvitesAreRefused() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    String msg = alice.send(room, "vote");
    Map<String, Object> like = map("m.relates_to", map("rel_type", "m.annotation", "event_id", msg, "key", "👍"));
    String first = bob.sendEvent(room, "m.reaction", like);
    MatrixError dup = error(() -> bob.sendEvent(room, "m.reaction", like));
    assertThat(dup.status()).isEqualTo(400);
    assertThat(dup.errcode()).isEqualTo("M_DUPLICATE_ANNOTATION");
    alice.sendEvent(room, "m.reaction", like);
    hs.redact(bob.req, room, first, "undo", null);
    bob.sendEvent(room, "m.reaction", like);

    Scene.User hermit = scene.user("hermit");
    hs.setAccountData(hermit.req, hermit.id(), null, "m.invite_permission_config", map("default_action", "block"));
    MatrixError blocked = error(() -> alice.invite(room, hermit));
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.errcode()).isEqualTo("M_INVITE_BLOCKED");
    assertThat(error(() -> alice.state(room, "m.room.member", hermit.id(), map("membership", "invite"))).errcode())
        .isEqualTo("M_INVITE_BLOCKED");
  }

  @Test
  void aliasesCanBeCreatedResolvedAndDeletedWithPermission() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    hs.createAlias(bob.req, "#bobs:test.local", room);
    assertThat(error(() -> hs.createAlias(alice.req, "#bobs:test.local", room)).status()).isEqualTo(409);
    assertThat(error(() -> hs.createAlias(alice.req, "#x:elsewhere", room)).errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(Scene.list(hs.roomAliases(alice.req, room), "aliases")).hasSize(1);
    hs.createAlias(alice.req, "#alices:test.local", room);
    assertThat(error(() -> hs.deleteAlias(bob.req, "#alices:test.local")).status()).isEqualTo(403);
    hs.deleteAlias(alice.req, "#bobs:test.local");
    assertThat(error(() -> hs.resolveAlias("#bobs:test.local")).errcode()).isEqualTo("M_NOT_FOUND");
    Scene.User carol = scene.user("carol");
    carol.join("#alices:test.local");
    assertThat(hs.membership(room, carol.id())).isEqualTo("join");
  }

  @Test
  void forgetHidesTheRoomFromSyncAndNeedsLeavingFirst() {
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    assertThat(error(() -> hs.forget(bob.req, room)).errcode()).isEqualTo("M_UNKNOWN");
    hs.leave(bob.req, room, null);
    hs.forget(bob.req, room);
    Map<String, Object> sync = bob.sync(null, "{\"room\":{\"include_leave\":true}}");
    assertThat(Scene.obj(sync, "rooms", "leave")).isEmpty();
  }
}
