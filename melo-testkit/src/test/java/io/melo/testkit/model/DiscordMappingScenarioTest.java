package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protocol mapping of Melo's design (space = server, restricted rooms = channels, power
 * levels = roles, alias = invite code) played against the fake with raw Matrix calls: the rules
 * the design relies on hold here as on Synapse.
 */
class DiscordMappingScenarioTest {
  private final Scene scene = new Scene();
  private final Homeserver hs = scene.hs;
  private final Scene.User owner = scene.user("owner");
  private final Scene.User mod = scene.user("mod");
  private final Scene.User guest = scene.user("guest");

  private Map<String, Object> powerLevels(int invite) {
    Map<String, Object> events = new LinkedHashMap<>();
    for (String t : List.of("m.room.name", "m.room.avatar", "m.room.topic", "m.space.child", "io.melo.channel")) {
      events.put(t, 50L);
    }
    events.put("io.melo.server", 100L);
    events.put("m.room.power_levels", 100L);
    return map("users_default", 0L, "events_default", 0L, "state_default", 100L, "invite", (long) invite,
        "kick", 50L, "ban", 50L, "redact", 50L, "events", events, "users", map(owner.id(), 101L));
  }

  @Test
  void serverChannelsRolesAndInviteCodesWork() {
    String space = owner.createRoom("preset", "public_chat", "visibility", "private", "name", "HQ",
        "creation_content", map("type", "m.space"), "power_level_content_override", powerLevels(0),
        "initial_state", List.of(map("type", "io.melo.server", "content", map("ownerId", owner.id()))));
    hs.createAlias(owner.req, "#io.melo.invite.CODE:test.local", space);

    // joining by invite code: resolve the alias without a token, then join by alias
    assertThat(hs.resolveAlias("#io.melo.invite.CODE:test.local")).containsEntry("room_id", space);
    mod.join("#io.melo.invite.CODE:test.local");
    guest.join("#io.melo.invite.CODE:test.local");

    // roles are power levels: the owner (101) promotes mod to MODERATOR (50)
    Map<String, Object> pl = new LinkedHashMap<>(hs.stateEvent(space, "m.room.power_levels", "").content());
    pl.put("users", map(owner.id(), 101L, mod.id(), 50L));
    owner.state(space, "m.room.power_levels", "", pl);

    // a moderator creates a channel at 100 and lowers itself as the last step
    Map<String, Object> channelPl = powerLevels(50);
    channelPl.put("users", map(owner.id(), 101L, mod.id(), 100L));
    String channel = mod.createRoom("preset", "private_chat", "name", "design",
        "power_level_content_override", channelPl,
        "initial_state", List.of(
            map("type", "m.room.join_rules", "content", map("join_rule", "restricted",
                "allow", List.of(map("type", "m.room_membership", "room_id", space)))),
            map("type", "m.space.parent", "state_key", space, "content", map("via", List.of("test.local"), "canonical", true)),
            map("type", "m.room.guest_access", "content", map("guest_access", "forbidden"))));
    Map<String, Object> lowered = new LinkedHashMap<>(hs.stateEvent(channel, "m.room.power_levels", "").content());
    lowered.put("users", map(owner.id(), 101L, mod.id(), 50L));
    mod.state(channel, "m.room.power_levels", "", lowered);
    mod.state(space, "m.space.child", channel, map("via", List.of("test.local")));

    // members of the space join the channel through the restricted rule; outsiders cannot
    guest.join(channel);
    AuthRulesTest.refused(() -> scene.user("stranger").join(channel));

    // a guest cannot delete the server or publish the space; a moderator cannot either
    AuthRulesTest.refused(() -> guest.state(space, "io.melo.server_deleted", "", map("deletedBy", guest.id())));
    AuthRulesTest.refused(() -> mod.state(space, "io.melo.server_deleted", "", map("deletedBy", mod.id())));
    AuthRulesTest.refused(() -> hs.setDirectoryVisibility(mod.req, space, "public"));
    // nor delete the invite alias the owner created
    AuthRulesTest.refused(() -> hs.deleteAlias(mod.req, "#io.melo.invite.CODE:test.local"));
    // a guest cannot pull a banned user into a channel (invite 50 in channels)
    AuthRulesTest.refused(() -> guest.invite(channel, scene.user("friend")));
    // the owner (101) can demote another admin (100)
    Map<String, Object> twoAdmins = new LinkedHashMap<>(hs.stateEvent(space, "m.room.power_levels", "").content());
    twoAdmins.put("users", map(owner.id(), 101L, mod.id(), 100L));
    owner.state(space, "m.room.power_levels", "", twoAdmins);
    Map<String, Object> demoted = new LinkedHashMap<>(twoAdmins);
    demoted.put("users", map(owner.id(), 101L, mod.id(), 50L));
    owner.state(space, "m.room.power_levels", "", demoted);

    // regenerating the code: the owner deletes the old alias; it then answers 404
    hs.deleteAlias(owner.req, "#io.melo.invite.CODE:test.local");
    try {
      hs.resolveAlias("#io.melo.invite.CODE:test.local");
      throw new AssertionError("alias still resolves");
    } catch (MatrixError e) {
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.errcode()).isEqualTo("M_NOT_FOUND");
    }

    // the hierarchy shows the channel to members of the space
    assertThat(Scene.list(hs.hierarchy(guest.req, space, null, null, null, false), "rooms"))
        .extracting(r -> r.get("room_id")).containsExactly(space, channel);
    // a role state event keyed by a user id is refused even for the owner (the design's reason)
    AuthRulesTest.refused(() -> owner.state(space, "io.melo.role", guest.id(), map("role", "MODERATOR")));
  }
}
