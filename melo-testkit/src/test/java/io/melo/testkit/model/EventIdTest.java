package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event id computed on the hot path (content canonicalized before the lock, each field encoded
 * once) is the reference hash of the straightforward algorithm, for every kind of event.
 */
class EventIdTest {

  private static Map<String, Object> pdu(String type, String stateKey, Map<String, Object> content, String redacts) {
    Map<String, Object> pdu = new LinkedHashMap<>();
    pdu.put("auth_events", List.of("$create", "$power", "$member"));
    pdu.put("content", Json.frozenObject(content));
    pdu.put("depth", 42L);
    pdu.put("origin_server_ts", 1_700_000_000_123L);
    pdu.put("prev_events", List.of("$prev"));
    pdu.put("room_id", "!room:localhost");
    pdu.put("sender", "@alice:localhost");
    pdu.put("type", type);
    if (stateKey != null) {
      pdu.put("state_key", stateKey);
    }
    if (redacts != null) {
      pdu.put("redacts", redacts);
    }
    return pdu;
  }

  private static void assertSameAsReference(RoomVersion version, Map<String, Object> pdu) {
    String contentJson = Json.canonical(pdu.get("content"));
    Map<String, String> encoded = Ids.encodeFields(pdu, contentJson);
    assertThat(Ids.joinCanonical(encoded)).isEqualTo(Json.canonical(pdu));
    assertThat(Ids.eventId(version, pdu, encoded)).isEqualTo(Ids.eventId(version, pdu));
  }

  @Test
  void hotPathIdEqualsTheReferenceHashForEveryKindOfEvent() {
    for (String v : List.of("10", "11")) {
      RoomVersion version = RoomVersion.of(v);
      assertSameAsReference(version, pdu("m.room.message", null,
          map("msgtype", "m.text", "body", "h\u00e9llo \"q\" \\ \n \ud83d\ude00 \u2028", "n", 7L), null));
      assertSameAsReference(version, pdu("m.room.member", "@bob:localhost",
          map("membership", "join", "displayname", "Bob", "join_authorised_via_users_server", "@alice:localhost"), null));
      assertSameAsReference(version, pdu("m.room.power_levels", "",
          map("users", map("@alice:localhost", 100L), "events", map("m.room.name", 50L), "ban", 50L), null));
      assertSameAsReference(version, pdu("m.room.create", "", map("creator", "@alice:localhost", "room_version", v), null));
      assertSameAsReference(version, pdu("m.room.redaction", null, map("redacts", "$target", "reason", "spam"), "$target"));
      assertSameAsReference(version, pdu("m.room.redaction", null, map("redacts", "$target"), null));
      assertSameAsReference(version, pdu("m.custom", null, map(), null));
    }
  }

  @Test
  void storedEventsHaveTheReferenceIdOfTheirOwnFields() {
    Scene scene = new Scene();
    Scene.User alice = scene.user("alice");
    Scene.User bob = scene.user("bob");
    for (String v : List.of("10", "11")) {
      String room = alice.createRoom("preset", "public_chat", "room_version", v, "name", "N\u00e4me");
      bob.join(room);
      String msg = bob.send(room, "hello \u00e9 \"x\"");
      alice.state(room, "m.room.topic", "", map("topic", "t"));
      scene.hs.redact(alice.req, room, msg, "r" + v, "because");
      RoomVersion version = RoomVersion.of(v);
      for (Event e : scene.hs.timeline(room)) {
        Map<String, Object> pdu = new LinkedHashMap<>();
        pdu.put("auth_events", e.authEvents());
        pdu.put("content", e.originalContent());
        pdu.put("depth", e.depth());
        pdu.put("origin_server_ts", e.originServerTs());
        pdu.put("prev_events", e.prevEvents());
        pdu.put("room_id", e.roomId());
        pdu.put("sender", e.sender());
        pdu.put("type", e.type());
        if (e.isState()) {
          pdu.put("state_key", e.stateKey());
        }
        if (e.redacts() != null && !version.redactsInContent()) {
          pdu.put("redacts", e.redacts());
        }
        assertThat(e.eventId()).as(e.toString()).isEqualTo(Ids.eventId(version, pdu));
      }
    }
  }
}
