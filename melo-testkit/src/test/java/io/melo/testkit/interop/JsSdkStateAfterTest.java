package io.melo.testkit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.FakeHomeserver;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * matrix-js-sdk 43 starts every sync with MSC4222's unstable {@code org.matrix.msc4222.use_state_after=true}
 * and reads only {@code org.matrix.msc4222.state_after} (else {@code state}). Answered with the stable
 * {@code state_after} name and no {@code state}, a client whose first sync had a limited timeline saw a room
 * without its create event, name or join rules ("Empty room" with join rule invite). The answer must use the
 * name the client asked with.
 */
class JsSdkStateAfterTest {
  private FakeHomeserver hs;
  private RealClientHttp alice;
  private String roomId;

  @BeforeEach
  void roomWhoseStateIsOlderThanTheTimeline() {
    hs = FakeHomeserver.builder().strict(false).start();
    RealClientHttp anon = new RealClientHttp(hs.baseUrl(), null);
    RealClientHttp.Answer reg = anon.send("POST", "/_matrix/client/v3/register",
        "{\"username\":\"alice\",\"password\":\"pw\",\"auth\":{\"type\":\"m.login.dummy\"}}");
    assertThat(reg.status()).isEqualTo(200);
    alice = new RealClientHttp(hs.baseUrl(), (String) reg.json().get("access_token"));
    RealClientHttp.Answer created = alice.send("POST", "/_matrix/client/v3/createRoom",
        "{\"name\":\"Lobby\",\"preset\":\"public_chat\"}");
    assertThat(created.status()).isEqualTo(200);
    roomId = (String) created.json().get("room_id");
    for (int i = 1; i <= 5; i++) {
      assertThat(alice.send("PUT", "/_matrix/client/v3/rooms/" + RealClientHttp.enc(roomId)
          + "/send/m.room.message/m1796097000000." + i, "{\"msgtype\":\"m.text\",\"body\":\"f" + i + "\"}").status())
          .isEqualTo(200);
    }
  }

  @AfterEach
  void stop() {
    hs.close();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> joinedRoom(String query) {
    RealClientHttp.Answer sync = alice.send("GET", "/_matrix/client/v3/sync?" + query, null);
    assertThat(sync.status()).isEqualTo(200);
    Map<String, Object> rooms = (Map<String, Object>) sync.json().get("rooms");
    return (Map<String, Object>) ((Map<String, Object>) rooms.get("join")).get(roomId);
  }

  @SuppressWarnings("unchecked")
  private static List<String> types(Object section) {
    List<Map<String, Object>> events = (List<Map<String, Object>>) ((Map<String, Object>) section).get("events");
    return events.stream().map(e -> (String) e.get("type")).collect(Collectors.toList());
  }

  @Test
  void unstableParameterIsAnsweredUnderTheUnstableName() {
    // The exact first request of matrix-js-sdk 43.0.0's startClient({initialSyncLimit: 3}).
    Map<String, Object> room = joinedRoom("filter=%7B%22room%22%3A%7B%22timeline%22%3A%7B%22unread_thread_notifications"
        + "%22%3Atrue%2C%22limit%22%3A3%7D%7D%7D&timeout=0&org.matrix.msc4222.use_state_after=true"
        + "&_cacheBuster=1796097507363");

    assertThat(room).doesNotContainKeys("state_after", "state");
    assertThat(types(room.get("org.matrix.msc4222.state_after")))
        .contains("m.room.create", "m.room.name", "m.room.join_rules", "m.room.power_levels", "m.room.member");
    assertThat(types(room.get("timeline"))).containsOnly("m.room.message");
  }

  @Test
  void stableParameterKeepsTheStableName() {
    Map<String, Object> room = joinedRoom("filter=%7B%22room%22%3A%7B%22timeline%22%3A%7B%22limit%22%3A3%7D%7D%7D"
        + "&use_state_after=true");

    assertThat(room).doesNotContainKeys("org.matrix.msc4222.state_after", "state");
    assertThat(types(room.get("state_after"))).contains("m.room.create", "m.room.name");
  }

  @Test
  void withoutTheParameterTheStateBeforeTheTimelineComesAsState() {
    Map<String, Object> room = joinedRoom("filter=%7B%22room%22%3A%7B%22timeline%22%3A%7B%22limit%22%3A3%7D%7D%7D");

    assertThat(room).doesNotContainKeys("org.matrix.msc4222.state_after", "state_after");
    assertThat(types(room.get("state"))).contains("m.room.create", "m.room.name");
  }
}
