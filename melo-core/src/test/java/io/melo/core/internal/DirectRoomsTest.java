package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.matrix.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectRoomsTest {

  @Test
  void mergeAppendsWithoutTouchingOtherEntriesOrUnknownContent() {
    JsonObject direct =
        JsonObject.parseObject("{\"@carol:hs\":[\"!c1\"],\"@bob:hs\":[\"!b1\",42],\"weird\":{\"x\":1}}");
    JsonObject merged = DirectRooms.withRoom(direct, "@bob:hs", "!b2");
    assertThat(merged.toJson())
        .isEqualTo("{\"@carol:hs\":[\"!c1\"],\"@bob:hs\":[\"!b1\",42,\"!b2\"],\"weird\":{\"x\":1}}");
  }

  @Test
  void mergeOfANewUserAKnownRoomAndAMalformedEntry() {
    JsonObject direct = JsonObject.parseObject("{\"@carol:hs\":[\"!c1\"],\"@dave:hs\":\"oops\"}");
    assertThat(DirectRooms.withRoom(direct, "@erin:hs", "!e1").toJson())
        .isEqualTo("{\"@carol:hs\":[\"!c1\"],\"@dave:hs\":\"oops\",\"@erin:hs\":[\"!e1\"]}");
    assertThat(DirectRooms.withRoom(direct, "@carol:hs", "!c1")).isSameAs(direct);
    assertThat(DirectRooms.withRoom(direct, "@dave:hs", "!d1").toJson())
        .isEqualTo("{\"@carol:hs\":[\"!c1\"],\"@dave:hs\":[\"!d1\"]}");
    assertThat(DirectRooms.withRoom(JsonObject.EMPTY, "@bob:hs", "!b1").toJson()).isEqualTo("{\"@bob:hs\":[\"!b1\"]}");
  }

  @Test
  void findReusesTheFirstUsableRoom() {
    JsonObject direct = JsonObject.parseObject("{\"@bob:hs\":[\"!left\",\"!joined\",\"!also\"],\"@x:hs\":7}");
    assertThat(DirectRooms.find(direct, "@bob:hs", id -> !id.equals("!left"))).hasValue("!joined");
    assertThat(DirectRooms.find(direct, "@bob:hs", id -> false)).isEmpty();
    assertThat(DirectRooms.find(direct, "@nobody:hs", id -> true)).isEmpty();
    assertThat(DirectRooms.find(direct, "@x:hs", id -> true)).isEmpty();
    assertThat(DirectRooms.otherUser(direct, "!also")).hasValue("@bob:hs");
    assertThat(DirectRooms.otherUser(direct, "!x")).isEmpty();
    assertThat(DirectRooms.read(direct)).containsOnlyKeys("@bob:hs").containsEntry("@bob:hs", List.of("!left", "!joined", "!also"));
  }
}
