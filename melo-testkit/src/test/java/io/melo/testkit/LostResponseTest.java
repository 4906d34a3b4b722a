package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.testkit.model.Event;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fault injection end to end: lost responses, dropped requests, and idempotent retries. */
class LostResponseTest {
  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @Test
  void lostSendResponseThenRetryWithSameTxnGivesSameEventAndNoDuplicate() {
    TestUser alice = hs.register("alice");
    String room = alice.createRoom(r -> r.name("lobby"));
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
    String path = "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/txn-1";
    String body = "{\"msgtype\":\"m.text\",\"body\":\"hello\"}";

    hs.faults().next(Endpoint.SEND_EVENT).applyThenDropResponse();
    assertThatThrownBy(() -> http.call("PUT", path, body).close()).isInstanceOf(IOException.class);
    // The event exists although the client saw no reply.
    assertThat(hs.room(room).messages()).extracting(Event::body).containsExactly("hello");
    String storedId = hs.room(room).messages().get(0).eventId();

    TestHttp.Answer retry = http.put(path, body);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json()).containsEntry("event_id", storedId);
    assertThat(hs.room(room).messages()).hasSize(1);
  }

  @Test
  void droppedBeforeProcessingLeavesNoEvent() {
    TestUser alice = hs.register("alice");
    String room = alice.createRoom();
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
    hs.faults().next(Endpoint.SEND_EVENT).dropConnection();
    assertThatThrownBy(() -> http.call("PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/t1",
        "{\"msgtype\":\"m.text\",\"body\":\"lost\"}").close()).isInstanceOf(IOException.class);
    assertThat(hs.room(room).messages()).isEmpty();
  }

  @Test
  void rateLimitedSendIsNotApplied() {
    TestUser alice = hs.register("alice");
    String room = alice.createRoom();
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
    hs.faults().next(Endpoint.SEND_EVENT).rateLimit(java.time.Duration.ofMillis(300));
    TestHttp.Answer a = http.put("/_matrix/client/v3/rooms/" + room + "/send/m.room.message/t1",
        "{\"msgtype\":\"m.text\",\"body\":\"x\"}");
    assertThat(a.status()).isEqualTo(429);
    assertThat(a.json()).containsEntry("retry_after_ms", 300L);
    assertThat(hs.room(room).messages()).isEmpty();
  }
}
