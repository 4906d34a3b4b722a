package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules on hand-built states, where the room versions differ. */
class AuthRulesUnitTest {
  private long position;

  private StateMap with(StateMap state, RoomVersion v, String sender, String type, String key, Map<String, Object> content) {
    Event e = new Event("$e" + (++position), "!r:x", sender, type, key, content, 0, position, position,
        List.of(), List.of(), null, null, null, state, v);
    return state.with(e);
  }

  @Test
  void v10TakesTheCreatorFromContentAndV11FromTheSender() {
    // v10: the creator named in the content gets 100 while there are no power levels.
    StateMap v10 = with(StateMap.EMPTY, RoomVersion.V10, "@sender:x", "m.room.create", "", map("creator", "@named:x"));
    assertThat(PowerLevels.of(v10, RoomVersion.V10).user("@named:x")).isEqualTo(100);
    assertThat(PowerLevels.of(v10, RoomVersion.V10).user("@sender:x")).isEqualTo(0);
    assertThatCode(() -> AuthRules.check(RoomVersion.V10, v10, "@named:x", "m.room.member", "@named:x",
        map("membership", "join"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V10, v10, "@sender:x", "m.room.member", "@sender:x",
        map("membership", "join"))).isInstanceOf(MatrixError.class);
    // v11: the sender of the create event is the creator, whatever the content says.
    StateMap v11 = with(StateMap.EMPTY, RoomVersion.V11, "@sender:x", "m.room.create", "", map("creator", "@named:x"));
    assertThat(PowerLevels.of(v11, RoomVersion.V11).user("@sender:x")).isEqualTo(100);
    assertThat(PowerLevels.of(v11, RoomVersion.V11).user("@named:x")).isEqualTo(0);
    assertThatCode(() -> AuthRules.check(RoomVersion.V11, v11, "@sender:x", "m.room.member", "@sender:x",
        map("membership", "join"))).doesNotThrowAnyException();
  }

  @Test
  void withoutPowerLevelsStateNeedsZeroAndDefaultsApplyOnceTheyExist() {
    StateMap s = with(StateMap.EMPTY, RoomVersion.V11, "@c:x", "m.room.create", "", map());
    s = with(s, RoomVersion.V11, "@c:x", "m.room.member", "@c:x", map("membership", "join"));
    s = with(s, RoomVersion.V11, "@c:x", "m.room.join_rules", "", map("join_rule", "public"));
    s = with(s, RoomVersion.V11, "@u:x", "m.room.member", "@u:x", map("membership", "join"));
    StateMap noPl = s;
    assertThatCode(() -> AuthRules.check(RoomVersion.V11, noPl, "@u:x", "m.room.name", "", map("name", "n")))
        .doesNotThrowAnyException();
    StateMap withPl = with(s, RoomVersion.V11, "@c:x", "m.room.power_levels", "", map("users", map("@c:x", 100L)));
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, withPl, "@u:x", "m.room.name", "", map("name", "n")))
        .hasMessageContaining("needs 50");
    assertThatCode(() -> AuthRules.check(RoomVersion.V11, withPl, "@u:x", "m.room.message", null, map()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, withPl, "@u:x", "m.room.member", "@c:x",
        map("membership", "ban"))).isInstanceOf(MatrixError.class);
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, withPl, "@u:x", "m.room.member", "@c:x",
        map("membership", "weird"))).hasMessageContaining("unknown membership");
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, withPl, "@u:x", "m.room.member", "@c:x",
        map())).hasMessageContaining("needs a membership");
  }

  @Test
  void createEventRules() {
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, StateMap.EMPTY, "@c:x", "m.room.create", "",
        map("room_version", "9"))).hasMessageContaining("unknown room_version");
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, StateMap.EMPTY, "@c:x", "m.room.create", "k",
        map())).isInstanceOf(MatrixError.class);
    assertThatThrownBy(() -> AuthRules.check(RoomVersion.V11, StateMap.EMPTY, "@c:x", "m.room.message", null,
        map())).hasMessageContaining("no m.room.create");
  }
}
