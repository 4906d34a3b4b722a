package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectRoomsTest {

  @Test
  void mergeAppendsWithoutTouchingOtherEntries() {
    Map<String, List<String>> direct = new LinkedHashMap<>();
    direct.put("@carol:hs", List.of("!c1"));
    direct.put("@bob:hs", List.of("!b1"));
    Map<String, List<String>> merged = DirectRooms.withRoom(direct, "@bob:hs", "!b2");
    assertThat(merged).containsExactly(entry("@carol:hs", List.of("!c1")), entry("@bob:hs", List.of("!b1", "!b2")));
    assertThat(direct).containsEntry("@bob:hs", List.of("!b1"));
  }

  @Test
  void mergeOfANewUserAndOfAKnownRoom() {
    Map<String, List<String>> direct = Map.of("@carol:hs", List.of("!c1"));
    assertThat(DirectRooms.withRoom(direct, "@dave:hs", "!d1"))
        .containsEntry("@carol:hs", List.of("!c1"))
        .containsEntry("@dave:hs", List.of("!d1"));
    assertThat(DirectRooms.withRoom(direct, "@carol:hs", "!c1")).isEqualTo(direct);
    assertThat(DirectRooms.contains(direct, "@carol:hs", "!c1")).isTrue();
    assertThat(DirectRooms.contains(direct, "@carol:hs", "!c2")).isFalse();
  }

  @Test
  void findReusesTheFirstUsableRoom() {
    Map<String, List<String>> direct = Map.of("@bob:hs", List.of("!left", "!joined", "!also"));
    assertThat(DirectRooms.find(direct, "@bob:hs", id -> !id.equals("!left"))).hasValue("!joined");
    assertThat(DirectRooms.find(direct, "@bob:hs", id -> false)).isEmpty();
    assertThat(DirectRooms.find(direct, "@nobody:hs", id -> true)).isEmpty();
    assertThat(DirectRooms.otherUser(direct, "!also")).hasValue("@bob:hs");
    assertThat(DirectRooms.otherUser(direct, "!x")).isEmpty();
  }
}
