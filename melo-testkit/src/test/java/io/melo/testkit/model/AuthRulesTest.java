package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per authorization rule, each with an allowed and a refused case. */
class AuthRulesTest {
  private final Scene scene = new Scene();
  private final Homeserver hs = scene.hs;
  private final Scene.User admin = scene.user("admin");
  private final Scene.User mod = scene.user("mod");
  private final Scene.User guest = scene.user("guest");
  private final Scene.User outsider = scene.user("outsider");

  static MatrixError refused(Runnable r) {
    try {
      r.run();
    } catch (MatrixError e) {
      assertThat(e.status()).isEqualTo(403);
      assertThat(e.errcode()).isEqualTo("M_FORBIDDEN");
      assertThat(e.getMessage()).isNotBlank();
      return e;
    }
    throw new AssertionError("expected 403 M_FORBIDDEN");
  }

  /** A public room where mod has 50 and guest 0. */
  private String publicRoom(String version) {
    String room = admin.createRoom("preset", "public_chat", "room_version", version,
        "power_level_content_override", map("users", map(admin.id(), 100L, mod.id(), 50L)));
    mod.join(room);
    guest.join(room);
    return room;
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "11"})
  void createEventComesFirstAndNamesTheCreatorPerVersion(String version) {
    String room = publicRoom(version);
    Event create = hs.timeline(room).get(0);
    assertThat(create.type()).isEqualTo("m.room.create");
    assertThat(create.content()).containsEntry("room_version", version);
    if (version.equals("10")) {
      assertThat(create.content()).containsEntry("creator", admin.id());
    } else {
      assertThat(create.content()).doesNotContainKey("creator");
    }
    assertThat(hs.timeline(room).get(1).stateKey()).isEqualTo(admin.id());
    refused(() -> admin.state(room, "m.room.create", "", map("room_version", version, "x", 1L)));
    refused(() -> AuthRules.check(RoomVersion.V10, StateMap.EMPTY, admin.id(), "m.room.create", "", Map.of()));
    AuthRules.check(RoomVersion.V11, StateMap.EMPTY, admin.id(), "m.room.create", "", Map.of());
  }

  @Test
  void unsupportedRoomVersionIsRefused() {
    try {
      admin.createRoom("room_version", "9");
      throw new AssertionError("expected refusal");
    } catch (MatrixError e) {
      assertThat(e.errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
      assertThat(e.status()).isEqualTo(400);
    }
  }

  @Test
  void joinPublicRoomIsAllowedButNotForAnotherUser() {
    String room = publicRoom("10");
    outsider.join(room);
    assertThat(hs.membership(room, outsider.id())).isEqualTo("join");
    Scene.User other = scene.user("other");
    refused(() -> admin.state(room, "m.room.member", other.id(), map("membership", "join")));
  }

  @Test
  void inviteOnlyRoomNeedsAnInvite() {
    String room = admin.createRoom("preset", "private_chat");
    refused(() -> outsider.join(room));
    admin.invite(room, outsider);
    outsider.join(room);
    assertThat(hs.membership(room, outsider.id())).isEqualTo("join");
  }

  @Test
  void bannedUsersCannotJoinOrBeInvited() {
    String room = publicRoom("10");
    hs.ban(admin.req, room, outsider.id(), "spam");
    refused(() -> outsider.join(room));
    refused(() -> admin.invite(room, outsider));
    hs.unban(admin.req, room, outsider.id(), null);
    outsider.join(room);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "11"})
  void restrictedJoinIsAuthorisedViaMembershipOfAnAllowedRoom(String version) {
    String space = admin.createRoom("preset", "public_chat", "room_version", version,
        "creation_content", map("type", "m.space"));
    String channel = admin.createRoom("preset", "private_chat", "room_version", version,
        "initial_state", List.of(map("type", "m.room.join_rules", "state_key", "",
            "content", map("join_rule", "restricted",
                "allow", List.of(map("type", "m.room_membership", "room_id", space))))));
    refused(() -> outsider.join(channel));
    outsider.join(space);
    outsider.join(channel);
    Event join = hs.stateEvent(channel, "m.room.member", outsider.id());
    assertThat(join.content()).containsEntry("join_authorised_via_users_server", admin.id());
    refused(() -> AuthRules.check(RoomVersion.of(version), stateOf(channel), guest.id(), "m.room.member", guest.id(),
        map("membership", "join", "join_authorised_via_users_server", guest.id())));
  }

  private StateMap stateOf(String roomId) {
    StateMap s = StateMap.EMPTY;
    for (Event e : hs.currentState(roomId)) {
      s = s.with(e);
    }
    return s;
  }

  @Test
  void knockingNeedsAKnockJoinRuleAndLeadsToInvite() {
    String knockRoom = admin.createRoom("preset", "private_chat",
        "initial_state", List.of(map("type", "m.room.join_rules", "content", map("join_rule", "knock"))));
    hs.knock(outsider.req, knockRoom, "let me in");
    assertThat(hs.membership(knockRoom, outsider.id())).isEqualTo("knock");
    refused(() -> hs.knock(admin.req, knockRoom, null));
    admin.invite(knockRoom, outsider);
    outsider.join(knockRoom);
    String inviteRoom = admin.createRoom("preset", "private_chat");
    refused(() -> hs.knock(guest.req, inviteRoom, null));
  }

  @Test
  void knockRestrictedAllowsJoiningViaAnAllowedRoomAndKnockingOtherwise() {
    String space = admin.createRoom("preset", "public_chat");
    String room = admin.createRoom("preset", "private_chat", "room_version", "10",
        "initial_state", List.of(map("type", "m.room.join_rules", "content", map("join_rule", "knock_restricted",
            "allow", List.of(map("type", "m.room_membership", "room_id", space))))));
    refused(() -> outsider.join(room));
    hs.knock(outsider.req, room, null);
    assertThat(hs.membership(room, outsider.id())).isEqualTo("knock");
    guest.join(space);
    guest.join(room);
    assertThat(hs.membership(room, guest.id())).isEqualTo("join");
  }

  @Test
  void privateAndUnknownJoinRulesRefuseJoins() {
    String room = admin.createRoom("preset", "private_chat",
        "initial_state", List.of(map("type", "m.room.join_rules", "content", map("join_rule", "private"))));
    MatrixError e = refused(() -> outsider.join(room));
    assertThat(e.getMessage()).contains("private");
    admin.invite(room, outsider);
    refused(() -> outsider.join(room));
  }

  @Test
  void invitingNeedsMembershipAndTheInviteLevel() {
    String room = publicRoom("10");
    Scene.User target = scene.user("target");
    refused(() -> outsider.invite(room, target));
    refused(() -> guest.invite(room, target));
    mod.invite(room, target);
    assertThat(hs.membership(room, target.id())).isEqualTo("invite");
    refused(() -> mod.invite(room, guest));
  }

  @Test
  void kickingNeedsTheKickLevelAndMorePowerThanTheTarget() {
    String room = publicRoom("10");
    refused(() -> hs.kick(guest.req, room, mod.id(), null));
    Scene.User mod2 = scene.user("mod2");
    mod2.join(room);
    Map<String, Object> pl = new java.util.LinkedHashMap<>(hs.stateEvent(room, "m.room.power_levels", "").content());
    pl.put("users", map(admin.id(), 100L, mod.id(), 50L, mod2.id(), 50L));
    admin.state(room, "m.room.power_levels", "", pl);
    refused(() -> hs.kick(mod.req, room, mod2.id(), null));
    hs.kick(mod.req, room, guest.id(), "bye");
    assertThat(hs.membership(room, guest.id())).isEqualTo("leave");
    refused(() -> hs.kick(mod.req, room, outsider.id(), null));
  }

  @Test
  void banningNeedsTheBanLevelAndUnbanningToo() {
    String room = publicRoom("10");
    refused(() -> hs.ban(guest.req, room, outsider.id(), null));
    refused(() -> hs.ban(mod.req, room, admin.id(), null));
    hs.ban(mod.req, room, outsider.id(), null);
    refused(() -> hs.unban(guest.req, room, outsider.id(), null));
    hs.unban(mod.req, room, outsider.id(), null);
    assertThat(hs.membership(room, outsider.id())).isEqualTo("leave");
  }

  @Test
  void leavingIsOnlyForMembers() {
    String room = publicRoom("10");
    refused(() -> hs.leave(outsider.req, room, null));
    hs.leave(guest.req, room, null);
    refused(() -> hs.leave(guest.req, room, null));
  }

  @Test
  void onlyJoinedUsersSendEvents() {
    String room = publicRoom("10");
    refused(() -> outsider.send(room, "hi"));
    guest.send(room, "hi");
  }

  @Test
  void eventsNeedTheirPowerLevel() {
    String room = publicRoom("10");
    refused(() -> guest.state(room, "m.room.name", "", map("name", "x")));
    mod.state(room, "m.room.name", "", map("name", "x"));
    refused(() -> mod.state(room, "m.room.history_visibility", "", map("history_visibility", "joined")));
    refused(() -> guest.state(room, "io.melo.custom", "", map()));
    mod.state(room, "io.melo.custom", "", map());
    Map<String, Object> pl = new java.util.LinkedHashMap<>(hs.stateEvent(room, "m.room.power_levels", "").content());
    pl.put("events_default", 50L);
    admin.state(room, "m.room.power_levels", "", pl);
    refused(() -> guest.send(room, "muted"));
    mod.send(room, "still talking");
  }

  @Test
  void aStateKeyStartingWithAtMustBeTheSender() {
    String room = publicRoom("11");
    MatrixError e = refused(() -> admin.state(room, "io.melo.role", guest.id(), map("role", "x")));
    assertThat(e.getMessage()).contains("starts with @");
    Map<String, Object> pl = new java.util.LinkedHashMap<>(hs.stateEvent(room, "m.room.power_levels", "").content());
    pl.put("state_default", 0L);
    admin.state(room, "m.room.power_levels", "", pl);
    guest.state(room, "io.melo.role", guest.id(), map("role", "x"));
  }

  @Test
  void powerLevelChangesCannotExceedTheSendersLevel() {
    String room = publicRoom("10");
    Map<String, Object> base = hs.stateEvent(room, "m.room.power_levels", "").content();
    Map<String, Object> pl = new java.util.LinkedHashMap<>(base);
    pl.put("events", map("m.room.power_levels", 50L));
    admin.state(room, "m.room.power_levels", "", pl);
    Map<String, Object> raise = new java.util.LinkedHashMap<>(pl);
    raise.put("users", map(admin.id(), 100L, mod.id(), 50L, guest.id(), 75L));
    refused(() -> mod.state(room, "m.room.power_levels", "", raise));
    Map<String, Object> demoteAdmin = new java.util.LinkedHashMap<>(pl);
    demoteAdmin.put("users", map(admin.id(), 0L, mod.id(), 50L));
    refused(() -> mod.state(room, "m.room.power_levels", "", demoteAdmin));
    Map<String, Object> kickUp = new java.util.LinkedHashMap<>(pl);
    kickUp.put("kick", 60L);
    refused(() -> mod.state(room, "m.room.power_levels", "", kickUp));
    Map<String, Object> eventsUp = new java.util.LinkedHashMap<>(pl);
    eventsUp.put("events", map("m.room.power_levels", 50L, "m.room.tombstone", 51L));
    refused(() -> mod.state(room, "m.room.power_levels", "", eventsUp));
    Map<String, Object> promoteGuest = new java.util.LinkedHashMap<>(pl);
    promoteGuest.put("users", map(admin.id(), 100L, mod.id(), 50L, guest.id(), 50L));
    mod.state(room, "m.room.power_levels", "", promoteGuest);
    Map<String, Object> selfDemote = new java.util.LinkedHashMap<>(promoteGuest);
    selfDemote.put("users", map(admin.id(), 100L, mod.id(), 10L, guest.id(), 50L));
    mod.state(room, "m.room.power_levels", "", selfDemote);
    Map<String, Object> notInt = new java.util.LinkedHashMap<>(selfDemote);
    notInt.put("ban", "50");
    refused(() -> admin.state(room, "m.room.power_levels", "", notInt));
  }

  @Test
  void redactingOthersNeedsTheRedactLevel() {
    String room = publicRoom("10");
    String msg = mod.send(room, "hello");
    refused(() -> hs.redact(guest.req, room, msg, "r1", null));
    String own = guest.send(room, "oops");
    hs.redact(guest.req, room, own, "r2", null);
    hs.redact(mod.req, room, msg, "r3", "spam");
    assertThat(hs.findEvent(msg).isRedacted()).isTrue();
  }

  @Test
  void thirdPartyInvitesAreRefused() {
    String room = publicRoom("10");
    refused(() -> admin.state(room, "m.room.member", outsider.id(),
        map("membership", "invite", "third_party_invite", map("signed", map()))));
  }
}
