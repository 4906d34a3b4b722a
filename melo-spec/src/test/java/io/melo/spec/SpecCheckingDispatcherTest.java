package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpecCheckingDispatcherTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private final MockWebServer server = new MockWebServer();
  private final QueueDispatcher queue = new QueueDispatcher();
  private final SpecCheckingDispatcher checked = new SpecCheckingDispatcher(queue);
  private final OkHttpClient http = new OkHttpClient();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(checked);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private int call(String method, String target, String body) throws IOException {
    Request.Builder b = new Request.Builder().url(server.url(target)).header("Authorization", "Bearer t");
    b.method(method, body == null ? null : RequestBody.create(body, JSON));
    try (Response r = http.newCall(b.build()).execute()) {
      return r.code();
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void validExchangesPass() throws IOException {
    queue.enqueue(json(200, "{\"event_id\":\"$e:x\"}"));
    queue.enqueue(json(200, Spec.load().operationById("sync").responseExamples(200).get(0).json()));
    queue.enqueue(json(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":100}"));
    assertThat(call("PUT", "/_matrix/client/v3/rooms/%21r%3Ax/send/m.room.message/t1",
        "{\"msgtype\":\"m.text\",\"body\":\"hi\"}")).isEqualTo(200);
    assertThat(call("GET", "/_matrix/client/v3/sync?timeout=0", null)).isEqualTo(200);
    assertThat(call("GET", "/_matrix/client/v3/account/whoami", null)).isEqualTo(429);
    checked.assertAllValid();
    assertThat(checked.exchanges()).extracting(SpecCheckingDispatcher.CheckedExchange::operationId)
        .containsExactly("sendMessage", "sync", "getTokenOwner");
    assertThat(checked.exchanges()).allMatch(SpecCheckingDispatcher.CheckedExchange::valid);
  }

  @Test
  void badRequestsAndAnswersAreCollectedWithoutChangingTheExchange() throws IOException {
    queue.enqueue(json(200, "{\"event_id\":42}"));
    queue.enqueue(json(200, "{}"));
    queue.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png").body("PNG").build());
    assertThat(call("PUT", "/_matrix/client/v3/rooms/room/send/m.room.message/t1", "{\"msgtype\":\"m.text\"}"))
        .isEqualTo(200);
    assertThat(call("GET", "/_matrix/client/v3/nonsense", null)).isEqualTo(200);
    assertThat(call("GET", "/_matrix/client/v1/media/download/example.org/abc", null)).isEqualTo(200);
    assertThat(checked.exchanges()).extracting(SpecCheckingDispatcher.CheckedExchange::valid)
        .containsExactly(false, false, true);
    assertThatThrownBy(checked::assertAllValid).isInstanceOf(SpecViolationsError.class)
        .hasMessageContaining("request PUT /_matrix/client/v3/rooms/room/send/m.room.message/t1: 'room' does not match")
        .hasMessageContaining("(as content of m.room.message$m.text) required property 'body' is missing")
        .hasMessageContaining("response 200 to PUT /_matrix/client/v3/rooms/room/send/m.room.message/t1: expected"
            + " string but found number 42")
        .hasMessageContaining("no operation in the Matrix spec for GET /_matrix/client/v3/nonsense");
  }
}
