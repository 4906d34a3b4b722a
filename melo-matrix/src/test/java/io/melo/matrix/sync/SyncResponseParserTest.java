package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.event.MemberContent;
import io.melo.matrix.event.Membership;
import io.melo.matrix.event.MessageContent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.event.SpecExamples;
import io.melo.matrix.json.JsonObject;
import java.nio.file.Path;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SyncResponseParserTest {

  static SyncResponse parse(String json) {
    return SyncResponseParser.parse(new Buffer().writeUtf8(json));
  }

  static String event(String id, String type, String content) {
    return "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"sender\":\"@a:hs\",\"origin_server_ts\":1,"
        + "\"content\":" + content + "}";
  }

  @Test
  void parsesTheSpecExample() {
    Path spec = SpecExamples.specDir();
    assumeTrue(spec != null, "shared/spec not found");
    String json = SpecExamples.syncExample(spec);

    SyncResponse sync = parse(json);

    assertThat(sync.rejected()).isEmpty();
    assertThat(sync.nextBatch()).isEqualTo("s72595_4483_1934");
    assertThat(sync.presence()).singleElement().satisfies(p -> {
      assertThat(p.type()).isEqualTo("m.presence");
      assertThat(p.sender()).contains("@example:localhost");
    });
    assertThat(sync.accountData()).extracting(e -> e.type()).containsExactly("org.example.custom.config");
    JoinedRoom room = sync.rooms().join().get("!726s6s6q:example.com");
    assertThat(room.summary().heroes()).containsExactly("@alice:example.com", "@bob:example.com");
    assertThat(room.summary().joinedMemberCount()).isEqualTo(2L);
    assertThat(room.summary().invitedMemberCount()).isEqualTo(0L);
    assertThat(room.state()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo("m.room.member");
      assertThat(e.roomId()).isEqualTo("!726s6s6q:example.com");
      assertThat(MemberContent.from(e.content()).membership()).isEqualTo(Membership.JOIN);
    });
    assertThat(room.stateAfter()).isNull();
    assertThat(room.timeline().limited()).isTrue();
    assertThat(room.timeline().prevBatch()).isEqualTo("t34-23535_0_0");
    assertThat(room.timeline().events()).extracting(RoomEvent::type).containsExactly("m.room.member", "m.room.message");
    assertThat(MessageContent.from(room.timeline().events().get(1).content()).body()).isEqualTo("This is an example text message");
    assertThat(room.typingUserIds()).contains(java.util.List.of("@alice:matrix.org", "@bob:example.com"));
    assertThat(room.receipts()).extracting(Receipt::userId, Receipt::receiptType, Receipt::timestamp)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("@erikj:jki.re", "m.read", 1436451550453L),
            org.assertj.core.groups.Tuple.tuple("@self:example.org", "m.read.private", 1661384801651L));
    assertThat(room.accountData()).extracting(e -> e.type()).containsExactly("m.tag", "org.example.custom.room.config");
    assertThat(room.unreadNotifications()).isEqualTo(new UnreadCounts(1, 5));
    assertThat(room.unreadThreadNotifications()).containsEntry("$threadroot", new UnreadCounts(3, 6));
    assertThat(room.stateChanges()).extracting(RoomEvent::type).containsExactly("m.room.member", "m.room.member");
    assertThat(sync.rooms().invite().get("!696r7674:example.com").inviteState()).hasSize(2);
    assertThat(sync.rooms().knock().get("!223asd456:example.com").knockState())
        .extracting(e -> e.stateKey()).containsExactly("", "@bob:example.com");
    assertThat(sync.rooms().leave()).isEmpty();
  }

  @Test
  void aBadEventDoesNotFailTheBatch() {
    String json = "{\"next_batch\":\"n1\",\"rooms\":{\"join\":{\"!r:hs\":{\"timeline\":{\"events\":["
        + event("$1", "m.room.message", "{\"body\":\"a\",\"msgtype\":\"m.text\"}") + ","
        + "{\"type\":\"m.room.message\",\"content\":{}},"
        + "42,"
        + "{\"event_id\":\"$3\",\"type\":\"x\",\"sender\":\"@a:hs\",\"origin_server_ts\":\"soon\",\"content\":{}},"
        + event("$4", "org.example.unknown", "{\"n\":100}")
        + "]}}}}}";
    SyncResponse sync = parse(json);
    JoinedRoom room = sync.rooms().join().get("!r:hs");
    assertThat(room.timeline().events()).extracting(RoomEvent::eventId).containsExactly("$1", "$4");
    assertThat(room.timeline().events().get(1).content().toJson()).isEqualTo("{\"n\":100}");
    assertThat(sync.rejected()).extracting(SyncResponse.Rejected::path).containsExactly(
        "rooms.join.!r:hs.timeline.events[1]", "rooms.join.!r:hs.timeline.events[2]",
        "rooms.join.!r:hs.timeline.events[3]");
    assertThat(sync.rejected().get(0).reason()).contains("event_id");
    assertThat(sync.rejected().get(1).raw().toJson()).isEqualTo("42");
    assertThat(sync.rejected().get(2).reason()).contains("origin_server_ts");
  }

  @Test
  void aHostileDeeplyNestedEventDoesNotBlockTheBatch() {
    String deep = "[".repeat(400) + "]".repeat(400);
    String json = "{\"next_batch\":\"n1\",\"rooms\":{\"join\":{\"!r:hs\":{\"timeline\":{\"events\":["
        + event("$1", "m.room.message", "{\"body\":\"a\"}") + ","
        + event("$bomb", "m.room.message", "{\"body\":" + deep + "}") + ","
        + event("$3", "m.room.message", "{\"body\":\"c\"}")
        + "],\"org.example.deep\":" + deep + ",\"limited\":true}}}}}";
    SyncResponse sync = parse(json);
    JoinedRoom room = sync.rooms().join().get("!r:hs");
    assertThat(room.timeline().events()).extracting(RoomEvent::eventId).containsExactly("$1", "$3");
    assertThat(room.timeline().limited()).isTrue();
    assertThat(sync.rejected()).hasSize(2);
    assertThat(sync.rejected().get(1).path()).contains("org.example.deep");
    assertThat(sync.rejected().get(0)).satisfies(r -> {
      assertThat(r.path()).isEqualTo("rooms.join.!r:hs.timeline.events[1]");
      assertThat(r.reason()).contains("nested deeper than 128");
      assertThat(((JsonObject) r.raw()).getStringOrNull("event_id")).isEqualTo("$bomb");
    });
  }

  @Test
  void sectionsOfTheWrongKindAreSetAsideNotFatal() {
    String json = "{\"next_batch\":\"n1\",\"account_data\":\"oops\",\"presence\":null,"
        + "\"rooms\":{\"join\":{\"!a:hs\":{\"timeline\":[],\"state\":{\"events\":{}},\"ephemeral\":{\"events\":[{\"type\":\"m.typing\"}]}},"
        + "\"!b:hs\":7},\"invite\":{\"!i:hs\":{\"invite_state\":{\"events\":[{\"type\":\"m.room.name\"}]}}}}}";
    SyncResponse sync = parse(json);
    assertThat(sync.rooms().join()).containsOnlyKeys("!a:hs");
    assertThat(sync.rooms().invite().get("!i:hs").inviteState()).isEmpty();
    assertThat(sync.rejected()).extracting(SyncResponse.Rejected::path).containsExactly(
        "account_data", "rooms.join.!a:hs.timeline", "rooms.join.!a:hs.state.events",
        "rooms.join.!a:hs.ephemeral.events[0]", "rooms.join.!b:hs", "rooms.invite.!i:hs.invite_state.events[0]");
  }

  @Test
  void unknownFieldsAndRawSectionsAreKept() {
    String json = "{\"next_batch\":\"n2\",\"device_one_time_keys_count\":{\"signed_curve25519\":50},"
        + "\"device_lists\":{\"changed\":[\"@b:hs\"]},\"org.example.future\":[1,2.5],"
        + "\"to_device\":{\"events\":[{\"type\":\"m.room_key\",\"sender\":\"@b:hs\",\"content\":{\"k\":1}}]},"
        + "\"rooms\":{\"join\":{\"!r:hs\":{\"org.example.room_thing\":{\"x\":true},"
        + "\"state_after\":{\"events\":[" + event("$s", "m.room.name", "{\"name\":\"n\"}").replace("}", ",\"state_key\":\"\"}") + "]}}},"
        + "\"leave\":{\"!l:hs\":{\"timeline\":{\"events\":[],\"limited\":false},\"other\":1}}}}";
    SyncResponse sync = parse(json);
    assertThat(sync.extra().toJson()).isEqualTo("{\"device_one_time_keys_count\":{\"signed_curve25519\":50},\"org.example.future\":[1,2.5]}");
    assertThat(sync.deviceLists().getStringList("changed")).containsExactly("@b:hs");
    assertThat(sync.toDevice()).singleElement().satisfies(e -> assertThat(e.sender()).contains("@b:hs"));
    JoinedRoom room = sync.rooms().join().get("!r:hs");
    assertThat(room.extra().getObjectOrEmpty("org.example.room_thing").getBoolean("x", false)).isTrue();
    assertThat(room.stateAfter()).extracting(RoomEvent::eventId).containsExactly("$s");
    assertThat(room.stateChanges()).extracting(RoomEvent::eventId).containsExactly("$s");
    assertThat(room.typingUserIds()).isEmpty();
    assertThat(room.unreadNotifications()).isNull();
    assertThat(sync.rooms().leave().get("!l:hs").extra().getLong("other")).hasValue(1);
    assertThat(sync.rejected()).isEmpty();
  }

  @Test
  void aStructurallyInvalidAnswerIsAProtocolError() {
    assertThatThrownBy(() -> parse("[]")).isInstanceOf(MatrixProtocolException.class).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> parse("{}")).isInstanceOf(MatrixProtocolException.class).hasMessageContaining("next_batch");
    assertThatThrownBy(() -> parse("{\"next_batch\":5}")).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("next_batch must be a string");
    assertThatThrownBy(() -> parse("{\"next_batch\":\"a\",\"rooms\":{")).isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("<html>502</html>")).isInstanceOf(MatrixProtocolException.class);
    assertThatThrownBy(() -> parse("{\"next_batch\":\"a\"} x")).isInstanceOf(MatrixProtocolException.class);
  }
}
