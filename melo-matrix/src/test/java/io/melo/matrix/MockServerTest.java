package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of client tests: a MockWebServer, a fake clock, and a client logged in as alice. */
abstract class MockServerTest {

  static final String TOKEN = "syt_alice_CANARY0token";
  static final String ALICE = "@alice:example.org";

  MockWebServer server;
  FakeClock clock;
  MatrixConfig config;
  MatrixClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    clock = new FakeClock();
    config =
        MatrixConfig.builder(server.url("/"))
            .clock(clock)
            .retryPolicy(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 4, () -> 1.0))
            .build();
    client = MatrixClient.create(config, MatrixCredentials.accessToken(TOKEN, ALICE, "DEVICE1"));
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.close();
  }

  void enqueue(int code, String json) {
    server.enqueue(
        new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(json).build());
  }

  void ok(String json) {
    enqueue(200, json);
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }

  /** Takes a request and checks method, exact encoded path+query, and the bearer token. */
  RecordedRequest expect(String method, String target) throws InterruptedException {
    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo(method);
    assertThat(request.getTarget()).isEqualTo(target);
    return request;
  }

  RecordedRequest expectAuthed(String method, String target) throws InterruptedException {
    RecordedRequest request = expect(method, target);
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    return request;
  }

  /** The request body parsed as generic JSON, for comparison with {@link #json(String)}. */
  static Object body(RecordedRequest request) throws IOException {
    return json(request.getBody() == null ? "" : request.getBody().utf8());
  }

  /** Parses JSON text (single quotes allowed for readability) into maps and lists. */
  static Object json(String text) throws IOException {
    return JsonReader.of(new Buffer().writeUtf8(text.replace('\'', '"'))).readJsonValue();
  }
}
