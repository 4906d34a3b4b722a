package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typing (expiring on the clock), receipts and redactions as a second client sees them through /sync. */
class EphemeralAndRedactionOverHttpTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> joined(TestHttp.Answer sync, String roomId) {
    Map<String, Object> rooms = (Map<String, Object>) sync.json().get("rooms");
    Map<String, Object> join = rooms == null ? null : (Map<String, Object>) rooms.get("join");
    return join == null ? null : (Map<String, Object>) join.get(roomId);
  }

  @Test
  void typingShowsThenExpiresOnTheClockAndReceiptsArrive() {
    Clock clock = Clock.manual(1_700_000_000_000L);
    try (FakeHomeserver hs = FakeHomeserver.builder().clock(clock).start()) {
      TestUser alice = hs.register("alice");
      TestUser bob = hs.register("bob");
      String room = alice.createRoom(r -> r.preset("public_chat"));
      bob.join(room);
      String msg = alice.sendText(room, "hello");
      TestHttp a = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      TestHttp b = new TestHttp(hs.baseUrl()).withToken(bob.accessToken());
      String since = (String) a.get("/_matrix/client/v3/sync").json().get("next_batch");

      assertThat(b.put("/_matrix/client/v3/rooms/" + room + "/typing/" + bob.userId(),
          "{\"typing\":true,\"timeout\":5000}").text()).isEqualTo("{}");
      assertThat(b.post("/_matrix/client/v3/rooms/" + room + "/receipt/m.read/" + msg, "{}").text()).isEqualTo("{}");
      TestHttp.Answer s1 = a.get("/_matrix/client/v3/sync?since=" + since);
      String ephemeral = String.valueOf(joined(s1, room).get("ephemeral"));
      assertThat(ephemeral).contains("m.typing", bob.userId(), "m.receipt", msg);

      clock.advance(Duration.ofSeconds(6));
      TestHttp.Answer s2 = a.get("/_matrix/client/v3/sync?since=" + s1.json().get("next_batch"));
      Map<String, Object> room2 = joined(s2, room);
      assertThat(room2).as("the expiry is a change the client is told about").isNotNull();
      List<Object> events = (List<Object>) ((Map<String, Object>) room2.get("ephemeral")).get("events");
      assertThat(events.toString()).contains("m.typing").doesNotContain(bob.userId());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void redactionInRoomVersion11CarriesRedactsTopLevelAndInContent() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestUser alice = hs.register("alice");
      String room = alice.createRoom(r -> r.roomVersion("11"));
      String msg = alice.sendText(room, "oops");
      TestHttp a = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
      String since = (String) a.get("/_matrix/client/v3/sync").json().get("next_batch");
      String redaction = (String) a.put("/_matrix/client/v3/rooms/" + room + "/redact/" + msg + "/r1",
          "{\"reason\":\"typo\"}").json().get("event_id");
      Map<String, Object> timeline = (Map<String, Object>) joined(a.get("/_matrix/client/v3/sync?since=" + since), room)
          .get("timeline");
      Map<String, Object> event = (Map<String, Object>) ((List<Object>) timeline.get("events")).get(0);
      assertThat(event).containsEntry("event_id", redaction).containsEntry("type", "m.room.redaction")
          .containsEntry("redacts", msg);
      assertThat((Map<String, Object>) event.get("content")).containsEntry("redacts", msg);
      Map<String, Object> original = a.get("/_matrix/client/v3/rooms/" + room + "/event/" + msg).json();
      assertThat((Map<String, Object>) original.get("content")).isEmpty();
      assertThat(hs.room(room).messages()).singleElement().satisfies(e -> assertThat(e.isRedacted()).isTrue());
    }
  }
}
