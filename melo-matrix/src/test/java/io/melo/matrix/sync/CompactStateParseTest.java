package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.melo.matrix.MatrixProtocolException;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.event.SpecExamples;
import io.melo.matrix.json.JsonNumber;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The parse for a {@link JoinedRoomCompactSink}: plain member state comes as {@link JoinedRoomMember}s
 * and everything else exactly as the typed parse gives it.
 */
class CompactStateParseTest {

  private static final Set<String> MEMBER_FIELDS = Set.of("membership", "displayname", "avatar_url");

  /** What a compact sink saw of one answer. */
  record Compact(SyncResponse response, List<JoinedRoom> rooms, List<List<JoinedRoomMember>> members) {}

  static Compact parseCompact(String json) {
    List<JoinedRoom> rooms = new ArrayList<>();
    List<List<JoinedRoomMember>> members = new ArrayList<>();
    JoinedRoomCompactSink sink = (room, compacted) -> {
      rooms.add(room);
      members.add(compacted);
    };
    SyncResponse response = SyncResponseParser.parse(new Buffer().writeUtf8(json), sink);
    return new Compact(response, rooms, members);
  }

  /** A member event the compact parse is expected to compact (the typed parse's view of it). */
  static boolean plainMember(RoomEvent event) {
    if (!event.isType("m.room.member") || !MEMBER_FIELDS.containsAll(event.content().keys())
        || event.content().getStringOrNull("membership") == null) {
      return false;
    }
    for (String key : event.content().keys()) {
      if (event.content().getStringOrNull(key) == null) {
        return false;
      }
    }
    return event.raw().getOrNull("origin_server_ts") instanceof JsonNumber n && n.isIntegral();
  }

  /**
   * Asserts that the compact parse of {@code json} is the typed parse with the plain member state
   * events (those before the first member event that is not plain) taken out of {@code state} and
   * handed over as members with the same fields; returns the compacted count.
   */
  static int assertEquivalent(String json) {
    SyncResponse typed = SyncResponseParser.parse(new Buffer().writeUtf8(json));
    Compact compact = parseCompact(json);
    SyncResponse rest = compact.response();
    assertThat(rest.rooms().join()).isEmpty();
    assertThat(rest.nextBatch()).isEqualTo(typed.nextBatch());
    assertThat(rest.rooms().invite()).isEqualTo(typed.rooms().invite());
    assertThat(rest.rooms().leave()).isEqualTo(typed.rooms().leave());
    assertThat(rest.rooms().knock()).isEqualTo(typed.rooms().knock());
    assertThat(rest.presence()).isEqualTo(typed.presence());
    assertThat(rest.accountData()).isEqualTo(typed.accountData());
    assertThat(rest.toDevice()).isEqualTo(typed.toDevice());
    assertThat(rest.deviceLists()).isEqualTo(typed.deviceLists());
    assertThat(rest.extra()).isEqualTo(typed.extra());
    assertThat(rest.rejected()).isEqualTo(typed.rejected());
    List<JoinedRoom> expectedRooms = new ArrayList<>(typed.rooms().join().values());
    assertThat(compact.rooms()).hasSameSizeAs(expectedRooms);
    int compacted = 0;
    for (int r = 0; r < expectedRooms.size(); r++) {
      JoinedRoom expected = expectedRooms.get(r);
      List<RoomEvent> expectedMembers = new ArrayList<>();
      List<RoomEvent> expectedState = new ArrayList<>();
      boolean compacting = true;
      for (RoomEvent event : expected.state()) {
        if (compacting && plainMember(event)) {
          expectedMembers.add(event);
        } else {
          compacting &= !event.isType("m.room.member");
          expectedState.add(event);
        }
      }
      JoinedRoom room = compact.rooms().get(r);
      assertThat(room).isEqualTo(new JoinedRoom(expected.roomId(), expected.summary(), expectedState,
          expected.stateAfter(), expected.timeline(), expected.ephemeral(), expected.accountData(),
          expected.unreadNotifications(), expected.unreadThreadNotifications(), expected.extra()));
      List<JoinedRoomMember> members = compact.members().get(r);
      assertThat(members).hasSameSizeAs(expectedMembers);
      for (int i = 0; i < members.size(); i++) {
        RoomEvent e = expectedMembers.get(i);
        assertThat(members.get(i)).isEqualTo(new JoinedRoomMember(e.eventId(), e.sender(), e.originServerTs(),
            e.stateKey(), e.content().getStringOrNull("membership"), e.content().getStringOrNull("displayname"),
            e.content().getStringOrNull("avatar_url")));
      }
      compacted += members.size();
    }
    return compacted;
  }

  private static String member(String id, String userId, String content) {
    return "{\"type\":\"m.room.member\",\"event_id\":\"" + id + "\",\"sender\":\"" + userId + "\","
        + "\"origin_server_ts\":1700000000000,\"state_key\":\"" + userId + "\",\"unsigned\":{\"age\":5},"
        + "\"content\":" + content + "}";
  }

  private static String sync(String... stateEvents) {
    return "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:hs\":{\"state\":{\"events\":["
        + String.join(",", stateEvents) + "]},\"timeline\":{\"events\":[],\"limited\":false}}}}}";
  }

  @Test
  void plainMembersComeCompactWithEveryField() {
    Compact c = parseCompact(sync(
        member("$1", "@a:hs", "{\"membership\":\"join\",\"displayname\":\"A\",\"avatar_url\":\"mxc://hs/a\"}"),
        member("$2", "@b:hs", "{\"avatar_url\":\"mxc://hs/b\",\"membership\":\"leave\"}"),
        member("$3", "@c:hs", "{\"membership\":\"x.custom\"}")));
    assertThat(c.rooms()).singleElement().satisfies(room -> assertThat(room.state()).isEmpty());
    assertThat(c.members().get(0)).containsExactly(
        new JoinedRoomMember("$1", "@a:hs", 1700000000000L, "@a:hs", "join", "A", "mxc://hs/a"),
        new JoinedRoomMember("$2", "@b:hs", 1700000000000L, "@b:hs", "leave", null, "mxc://hs/b"),
        new JoinedRoomMember("$3", "@c:hs", 1700000000000L, "@c:hs", "x.custom", null, null));
  }

  @Test
  void otherShapesStayFullEventsAsTheTypedParseReadsThem() {
    String json = sync(
        "{\"type\":\"m.room.create\",\"event_id\":\"$c\",\"sender\":\"@a:hs\",\"origin_server_ts\":1,\"state_key\":\"\","
            + "\"content\":{\"room_version\":\"10\",\"x.deep\":{\"a\":[1,2.50,{\"b\":null}]}},\"x.top\":true}",
        member("$1", "@a:hs", "{\"membership\":\"join\"}"),
        "{\"type\":\"m.room.member\",\"event_id\":\"$ts\",\"sender\":\"@t:hs\",\"origin_server_ts\":1.0,"
            + "\"state_key\":\"@t:hs\",\"content\":{\"membership\":\"join\"}}",
        member("$2", "@b:hs", "{\"membership\":\"join\"}"));
    assertThat(assertEquivalent(json)).isEqualTo(1); // $2 came after a full member ($ts): kept full
    Compact c = parseCompact(json);
    assertThat(c.rooms().get(0).state()).extracting(RoomEvent::eventId).containsExactly("$c", "$ts", "$2");
    RoomEvent create = c.rooms().get(0).state().get(0);
    assertThat(create.raw().toJson()).isEqualTo("{\"type\":\"m.room.create\",\"event_id\":\"$c\",\"sender\":\"@a:hs\","
        + "\"origin_server_ts\":1,\"state_key\":\"\",\"content\":{\"room_version\":\"10\",\"x.deep\":{\"a\":[1,2.50,"
        + "{\"b\":null}]}},\"x.top\":true}");
    assertThat(c.rooms().get(0).state().get(1).raw().toJson()).contains("\"origin_server_ts\":1.0");
  }

  @Test
  void memberContentsWithMoreThanTheThreeStringsStayFull() {
    String json = sync(
        member("$reason", "@a:hs", "{\"membership\":\"leave\",\"reason\":\"bye\"}"),
        member("$num", "@b:hs", "{\"membership\":\"join\",\"displayname\":7}"),
        member("$none", "@c:hs", "{\"displayname\":\"C\"}"),
        member("$empty", "@d:hs", "{}"),
        member("$direct", "@e:hs", "{\"membership\":\"invite\",\"is_direct\":true}"));
    assertThat(assertEquivalent(json)).isZero();
    Compact c = parseCompact(json);
    assertThat(c.rooms().get(0).state()).extracting(RoomEvent::eventId)
        .containsExactly("$reason", "$num", "$none", "$empty", "$direct");
    assertThat(c.rooms().get(0).state().get(0).content().toJson()).isEqualTo("{\"membership\":\"leave\",\"reason\":\"bye\"}");
    assertThat(c.rooms().get(0).state().get(0).unsigned().toJson()).isEqualTo("{\"age\":5}");
  }

  @Test
  void brokenEventsAreRejectedAsByTheTypedParse() {
    String json = sync(
        "{\"type\":\"m.room.member\",\"sender\":\"@a:hs\",\"origin_server_ts\":1,\"state_key\":\"@a:hs\","
            + "\"content\":{\"membership\":\"join\"}}",
        "{\"type\":\"m.room.member\",\"event_id\":\"$k\",\"sender\":\"@a:hs\",\"origin_server_ts\":1,\"state_key\":5,"
            + "\"content\":{\"membership\":\"join\"}}",
        "{\"type\":\"m.room.member\",\"event_id\":\"$t\",\"sender\":\"@a:hs\",\"origin_server_ts\":\"1\","
            + "\"state_key\":\"@a:hs\",\"content\":{\"membership\":\"join\"}}",
        "{\"type\":\"m.room.member\",\"event_id\":\"$n\",\"sender\":\"@a:hs\",\"origin_server_ts\":1,"
            + "\"state_key\":\"@a:hs\",\"content\":null}",
        "\"not an event\"",
        "[1]",
        member("$ok", "@z:hs", "{\"membership\":\"join\"}"));
    assertThat(assertEquivalent(json)).isEqualTo(1); // rejected events are not state: $ok is still compacted
    assertThat(parseCompact(json).response().rejected()).extracting(SyncResponse.Rejected::path)
        .containsExactly("rooms.join.!r:hs.state.events[0]", "rooms.join.!r:hs.state.events[1]",
            "rooms.join.!r:hs.state.events[2]", "rooms.join.!r:hs.state.events[3]",
            "rooms.join.!r:hs.state.events[4]", "rooms.join.!r:hs.state.events[5]");
  }

  @Test
  void repeatedKeysResolveAsInTheTypedParse() {
    String json = sync(
        "{\"type\":\"m.room.member\",\"event_id\":\"$d\",\"sender\":\"@x:hs\",\"sender\":\"@a:hs\",\"origin_server_ts\":1,"
            + "\"state_key\":\"@a:hs\",\"content\":{\"membership\":\"join\"},\"content\":{\"membership\":\"leave\"}}",
        "{\"type\":\"m.room.member\",\"event_id\":\"$e\",\"sender\":\"@b:hs\",\"origin_server_ts\":1,"
            + "\"state_key\":\"@b:hs\",\"content\":{\"membership\":\"join\",\"membership\":\"ban\"}}");
    Compact c = parseCompact(json);
    List<RoomEvent> state = c.rooms().get(0).state();
    assertThat(state).extracting(RoomEvent::eventId).containsExactly("$d", "$e");
    assertThat(state.get(0).sender()).isEqualTo("@a:hs");
    assertThat(state.get(0).content().getStringOrNull("membership")).isEqualTo("leave");
    assertThat(state.get(1).content().getStringOrNull("membership")).isEqualTo("ban");
    assertThat(state).isEqualTo(SyncResponseParser.parse(new Buffer().writeUtf8(json)).rooms().join().get("!r:hs").state());
  }

  @Test
  void aTooDeepEventIsSetAsideAsByTheTypedParse() {
    String deep = "[".repeat(140) + "]".repeat(140);
    String json = sync(member("$deep", "@a:hs", "{\"membership\":\"join\"}").replace("\"unsigned\":{\"age\":5}",
        "\"unsigned\":{\"x\":" + deep + "}"), member("$ok", "@b:hs", "{\"membership\":\"join\"}"));
    assertThat(assertEquivalent(json)).isEqualTo(1);
    assertThat(parseCompact(json).response().rejected()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("rooms.join.!r:hs.state.events[0]");
      assertThat(r.reason()).startsWith("JSON nested deeper than 128 levels at ");
    });
  }

  @Test
  void aSecondStateSectionReplacesTheFirstAsInTheTypedParse() {
    String json = "{\"next_batch\":\"s1\",\"rooms\":{\"join\":{\"!r:hs\":{"
        + "\"state\":{\"events\":[" + member("$1", "@a:hs", "{\"membership\":\"join\"}") + "]},"
        + "\"state\":{\"events\":[" + member("$2", "@b:hs", "{\"membership\":\"join\"}") + "]}}}}}";
    assertThat(assertEquivalent(json)).isEqualTo(1);
    assertThat(parseCompact(json).members().get(0)).extracting(JoinedRoomMember::eventId).containsExactly("$2");
  }

  @Test
  void malformedJsonIsATypedException() {
    String cut = sync(member("$1", "@a:hs", "{\"membership\":\"join\"}"));
    for (String broken : List.of(cut.substring(0, cut.indexOf("\"membership\"") + 5),
        cut.replace("\"join\"}", "\"join\",}"), cut.replace("\"state_key\"", "state_key"))) {
      assertThatThrownBy(() -> parseCompact(broken)).isInstanceOf(MatrixProtocolException.class)
          .hasMessageContaining("not valid JSON");
    }
  }

  @Test
  void theSpecSyncExampleAndEveryRoomEventExampleParseAlike() {
    Path spec = SpecExamples.specDir();
    assumeTrue(spec != null, "shared/spec not found");
    assertThat(assertEquivalent(SpecExamples.syncExample(spec))).isEqualTo(1);

    // Every event example of the spec as state of one room: members compacted when plain, the rest as typed.
    List<String> events = new ArrayList<>();
    for (String name : SpecExamples.names()) {
      JsonValue value = SpecExamples.load(name);
      if (value instanceof JsonObject object && object.containsKey("type")) {
        events.add(object.containsKey("state_key") || !object.containsKey("event_id") ? object.toJson()
            : object.with("state_key", "").toJson());
      }
    }
    assertThat(events).hasSizeGreaterThan(20);
    assertEquivalent(sync(events.toArray(new String[0])));
  }
}
