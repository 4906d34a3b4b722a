package io.melo.core.internal;

import static io.melo.core.internal.FakeSyncHost.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact room state: what it keeps of each state event reads back as it came. */
class RoomStateTest {

  private static RoomEvent parse(String json) {
    return RoomEvent.from(JsonObject.parseObject(json), "!r:hs");
  }

  @Test
  void memberContentWithOtherFieldsIsKeptWhole() {
    String content = "{\"membership\":\"leave\",\"reason\":\"spam\",\"displayname\":null,\"custom\":{\"a\":[1,2.50]}}";
    RoomState state = new RoomState("!r:hs", List.of(parse(event("$k", "m.room.member", "@mod:hs", "@bob:hs", content))));
    assertThat(state.content("m.room.member", "@bob:hs")).isEqualTo(JsonObject.parseObject(content));
    assertThat(state.content("m.room.member", "@bob:hs").toJson()).isEqualTo(content);
    assertThat(state.membership("@bob:hs")).contains("leave");
    assertThat(state.event("m.room.member", "@bob:hs").orElseThrow().sender()).isEqualTo("@mod:hs");
  }

  @Test
  void compactMembersReadLikeTheirContentAndALaterEventReplacesThem() {
    RoomState state = new RoomState("!r:hs", List.of(
        parse(event("$1", "m.room.member", "@bob:hs", "@bob:hs",
            "{\"avatar_url\":\"mxc://hs/a\",\"membership\":\"join\",\"displayname\":\"Bob\"}")),
        parse(event("$2", "m.room.member", "@bob:hs", "@carol:hs", "{\"membership\":\"invite\"}"))));
    assertThat(state.content("m.room.member", "@bob:hs"))
        .isEqualTo(JsonObject.parseObject("{\"membership\":\"join\",\"displayname\":\"Bob\",\"avatar_url\":\"mxc://hs/a\"}"));
    assertThat(state.events("m.room.member")).containsOnlyKeys("@bob:hs", "@carol:hs");
    assertThat(state.event("m.room.member", "@carol:hs").orElseThrow().eventId()).isEqualTo("$2");

    state.apply(parse(event("$3", "m.room.member", "@bob:hs", "@bob:hs", "{\"membership\":\"leave\"}")));
    assertThat(state.membership("@bob:hs")).contains("leave");
    assertThat(state.content("m.room.member", "@bob:hs").toJson()).isEqualTo("{\"membership\":\"leave\"}");
    state.remove("m.room.member", "@bob:hs");
    assertThat(state.membership("@bob:hs")).isEmpty();
    assertThat(state.content("m.room.member", "@bob:hs")).isEqualTo(JsonObject.EMPTY);
  }

  @Test
  void theCreateEventSaysWhetherTheRoomIsASpace() {
    RoomState state = new RoomState("!r:hs", List.of(parse(event("$c", "m.room.create", "@a:hs", "",
        "{\"type\":\"m.space\"}"))));
    assertThat(state.isSpace()).isTrue();
    assertThat(state.creator()).contains("@a:hs");
    assertThat(state.createdAt().toEpochMilli()).isEqualTo(1700000000000L);
    state.apply(parse(event("$m", "m.room.message", "@a:hs", null, "{}")));
    assertThat(state.events("m.room.message")).isEmpty(); // not state
    state.remove("m.room.create", "");
    assertThat(state.isSpace()).isFalse();
  }
}
