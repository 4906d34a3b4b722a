package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed ids, bodies and parameters get a MatrixError with a 4xx status, never another exception. */
class HostileInputTest {
  private final Scene scene = new Scene();
  private final Homeserver hs = scene.hs;
  private final Scene.User alice = scene.user("alice");

  @Test
  void everyBadInputIsAMatrixError() {
    String room = alice.createRoom("preset", "public_chat");
    Requester r = alice.req;
    List<Runnable> attempts = new ArrayList<>();
    String[] hostile = {"", "!", "#", "@", "$", "!x", "#a", "@:", "!a:b:c", "\u0000", "../../etc/passwd", "x".repeat(3000),
        "s", "s1", "s1_", "s-1_x", "s99999999999999999999_x", "h1_x", "p1_x", "%00", "💥"};
    for (String bad : hostile) {
      attempts.add(() -> hs.join(r, bad, null));
      attempts.add(() -> hs.knock(r, bad, null));
      attempts.add(() -> hs.leave(r, bad, null));
      attempts.add(() -> hs.invite(r, room, bad, null));
      attempts.add(() -> hs.ban(r, room, bad, null));
      attempts.add(() -> hs.kick(r, room, bad, null));
      attempts.add(() -> hs.unban(r, room, bad, null));
      attempts.add(() -> hs.sendEvent(r, bad, "m.room.message", "t", map()));
      attempts.add(() -> hs.sendState(r, bad, "m.room.name", "", map()));
      attempts.add(() -> hs.redact(r, room, bad, "t" + bad, null));
      attempts.add(() -> hs.event(r, room, bad));
      attempts.add(() -> hs.context(r, room, bad, 10L, null));
      attempts.add(() -> hs.relations(r, room, bad, null, null, null, null, null, null, false));
      attempts.add(() -> hs.messages(r, room, bad, null, "b", 10L, null));
      attempts.add(() -> hs.messages(r, room, null, bad, "f", 10L, null));
      attempts.add(() -> hs.messages(r, room, null, null, "b", 10L, bad));
      attempts.add(() -> hs.members(r, room, bad, null, null));
      attempts.add(() -> hs.threads(r, room, "all", bad, null));
      attempts.add(() -> hs.hierarchy(r, room, bad, null, null, false));
      attempts.add(() -> hs.publicRooms(null, bad, null));
      attempts.add(() -> hs.resolveAlias(bad));
      attempts.add(() -> hs.createAlias(r, bad, room));
      attempts.add(() -> hs.deleteAlias(r, bad));
      attempts.add(() -> hs.profile(bad));
      attempts.add(() -> hs.media("test.local", bad));
      attempts.add(() -> hs.filter(r, alice.id(), bad));
      attempts.add(() -> hs.sync(r, new SyncRequest(bad, null, false, 0, null)));
      attempts.add(() -> hs.sync(r, new SyncRequest(null, bad, false, 0, null)));
      attempts.add(() -> hs.sendReceipt(r, room, "m.read", bad, null));
      attempts.add(() -> hs.sendReceipt(r, room, bad, bad, null));
      attempts.add(() -> hs.setAccountData(r, alice.id(), bad, "t", map()));
      attempts.add(() -> hs.authenticate(bad, null));
      attempts.add(() -> hs.refresh(bad));
      attempts.add(() -> hs.usernameAvailable(bad));
      attempts.add(() -> hs.setDirectoryVisibility(r, room, bad));
      attempts.add(() -> hs.setPresence(r, alice.id(), bad, null));
      attempts.add(() -> hs.stateContent(r, bad, "m.room.name", ""));
      attempts.add(() -> hs.timestampToEvent(r, room, 0, bad));
    }
    List<Map<String, Object>> bodies = List.of(
        map("room_version", 11L), map("invite", "x"), map("invite", List.of(1L)), map("initial_state", List.of("x")),
        map("initial_state", List.of(map("type", "t"))), map("creation_content", "x"), map("preset", 1L),
        map("power_level_content_override", map("users", "x")), map("visibility", "secret"),
        map("room_alias_name", "a:b"), map("name", map()), map("is_direct", "yes"));
    for (Map<String, Object> body : bodies) {
      attempts.add(() -> hs.createRoom(r, body));
      attempts.add(() -> hs.register(body, null, null));
      attempts.add(() -> hs.login(body, null));
      attempts.add(() -> hs.createFilter(r, alice.id(), map("room", body)));
    }
    attempts.add(() -> hs.sendEvent(r, room, "m.room.message", "t", map("n", 1e300)));
    attempts.add(() -> hs.sendEvent(r, room, "m.room.message", "t2", map("n", Long.MAX_VALUE)));
    attempts.add(() -> hs.sendEvent(r, room, "m.room.redaction", "t3", map("redacts", 5L)));
    attempts.add(() -> hs.sendState(r, room, "m.room.member", alice.id(), map("membership", 5L)));
    attempts.add(() -> hs.sendState(r, room, "m.room.canonical_alias", "", map("alias", "nope")));
    attempts.add(() -> hs.sendState(r, room, "m.room.power_levels", "", map("users", map("not a user", 5L))));
    attempts.add(() -> hs.sendEvent(r, room, "m.room.message", "t4", null));
    int count = 0;
    for (Runnable attempt : attempts) {
      try {
        attempt.run();
      } catch (MatrixError e) {
        assertThat(e.status()).isBetween(400, 499);
        count++;
      }
    }
    assertThat(count).isGreaterThan(attempts.size() * 8 / 10);
  }
}
