package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side over real loopback HTTP: routing, errors, CORS, limits, faults, recording. */
class FakeHomeserverHttpTest {
  private FakeHomeserver hs = FakeHomeserver.start();
  private TestHttp http = new TestHttp(hs.baseUrl());

  @AfterEach
  void stop() {
    hs.shutdown();
  }

  @Test
  void startsOnLoopbackWithAFreePort() {
    assertThat(hs.baseUrl()).startsWith("http://127.0.0.1:").doesNotEndWith("/");
    assertThat(hs.port()).isPositive();
    assertThat(hs.serverName()).isEqualTo("localhost");
  }

  @Test
  void versionsAdvertisesWhatIsServedWithCorsHeaders() {
    TestHttp.Answer a = http.get("/_matrix/client/versions");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(a.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(a.json().get("versions")).asList().contains("v1.1", "v1.11");
  }

  @Test
  void wellKnownPointsAtTheServer() {
    TestHttp.Answer a = http.get("/.well-known/matrix/client");
    assertThat(a.json()).isEqualTo(Map.of("m.homeserver", Map.of("base_url", hs.baseUrl())));
  }

  @Test
  void preflightIsAnsweredForAnyPath() throws IOException {
    try (Response r = TestHttp.CLIENT.newCall(new Request.Builder()
        .url(hs.baseUrl() + "/_matrix/client/v3/createRoom").method("OPTIONS", null)
        .header("Origin", "https://app.element.io")
        .header("Access-Control-Request-Method", "POST").build()).execute()) {
      assertThat(r.code()).isEqualTo(204);
      assertThat(r.header("Access-Control-Allow-Methods")).contains("POST", "PUT", "DELETE");
      assertThat(r.header("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type");
    }
  }

  @Test
  void unknownEndpointIs404UnrecognizedAndFailsVerificationWhenStrict() {
    TestHttp.Answer a = http.get("/_matrix/client/v3/no/such/thing");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json()).containsEntry("errcode", "M_UNRECOGNIZED").containsKey("error");
    assertThat(a.headers().get("Access-Control-Allow-Origin")).isEqualTo("*"); // errors too, for browsers
    assertThatThrownBy(hs::verify).isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /_matrix/client/v3/no/such/thing");
    hs.reset();
    hs.verify();
  }

  @Test
  void lenientServerAnswers404ButDoesNotFailVerification() {
    try (FakeHomeserver lenient = FakeHomeserver.builder().strict(false).start()) {
      TestHttp.Answer a = new TestHttp(lenient.baseUrl())
          .get("/_matrix/client/unstable/org.matrix.msc4143/rtc/transports");
      assertThat(a.status()).isEqualTo(404);
      assertThat(a.errcode()).isEqualTo("M_UNRECOGNIZED");
    }
  }

  @Test
  void knownPathWithWrongMethodIs405() {
    TestHttp.Answer a = http.send("DELETE", "/_matrix/client/v3/login", null);
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.errcode()).isEqualTo("M_UNRECOGNIZED");
    hs.verify(); // a wrong method on a known endpoint is the client's mistake, not a gap in the fake
  }

  @Test
  void malformedPercentEncodingIs400() {
    TestHttp.Answer a = http.unchecked().get("/_matrix/client/v3/rooms/%zz/state");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.errcode()).isEqualTo("M_UNRECOGNIZED");
  }

  @Test
  void bodyOverTheLimitIs413TooLarge() {
    try (FakeHomeserver small = FakeHomeserver.builder().maxJsonBytes(64).start()) {
      TestHttp.Answer a = new TestHttp(small.baseUrl())
          .post("/_matrix/client/v3/login", "{\"type\":\"m.login.password\",\"password\":\"" + "x".repeat(100) + "\"}");
      assertThat(a.status()).isEqualTo(413);
      assertThat(a.errcode()).isEqualTo("M_TOO_LARGE");
    }
  }

  @Test
  void uploadOverTheMediaLimitIs413TooLargeAndUnderItIsStored() {
    try (FakeHomeserver small = FakeHomeserver.builder().maxUploadBytes(16).start()) {
      TestUser alice = small.register("alice");
      TestHttp h = new TestHttp(small.baseUrl()).withToken(alice.accessToken());
      TestHttp.Answer big = h.upload("/_matrix/media/v3/upload", new byte[17], "application/octet-stream");
      assertThat(big.status()).isEqualTo(413);
      assertThat(big.errcode()).isEqualTo("M_TOO_LARGE");
      assertThat(h.upload("/_matrix/media/v3/upload", new byte[16], "application/octet-stream").json())
          .containsKey("content_uri");
      assertThat(h.get("/_matrix/client/v1/media/config").json()).containsEntry("m.upload.size", 16L);
    }
  }

  @Test
  void acceptedSocketsHaveTcpNoDelay() {
    assertThat(http.get("/_matrix/client/versions").status()).isEqualTo(200);
    assertThat(hs.acceptedWithNoDelay()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void errorFaultAnswersItsErrcodeOnceThenTheServerAnswersNormally() {
    Fault f = hs.faults().next(Endpoint.VERSIONS).error(502, "M_UNKNOWN", "bad gateway");
    TestHttp.Answer first = http.get("/_matrix/client/versions");
    TestHttp.Answer second = http.get("/_matrix/client/versions");
    assertThat(first.status()).isEqualTo(502);
    assertThat(first.json()).containsEntry("errcode", "M_UNKNOWN").containsEntry("error", "bad gateway");
    assertThat(second.status()).isEqualTo(200);
    assertThat(f.fired()).isEqualTo(1);
    assertThat(f.exhausted()).isTrue();
    hs.verify();
  }

  @Test
  void rateLimitFaultCarriesRetryAfter() {
    hs.faults().next(Endpoint.WELL_KNOWN).times(2).rateLimit(Duration.ofMillis(250));
    for (int i = 0; i < 2; i++) {
      TestHttp.Answer a = http.get("/.well-known/matrix/client");
      assertThat(a.status()).isEqualTo(429);
      assertThat(a.json()).containsEntry("errcode", "M_LIMIT_EXCEEDED").containsEntry("retry_after_ms", 250L)
          .containsKey("error");
    }
    assertThat(http.get("/.well-known/matrix/client").status()).isEqualTo(200);
  }

  @Test
  void pathPredicateFaultMatchesOnlyThatPath() {
    hs.faults().next("GET", p -> p.equals("/.well-known/matrix/client")).error(503, "M_UNKNOWN", "down");
    assertThat(http.get("/_matrix/client/versions").status()).isEqualTo(200);
    assertThat(http.get("/.well-known/matrix/client").status()).isEqualTo(503);
  }

  @Test
  void droppedConnectionGivesTheClientAnIoError() {
    hs.faults().next(Endpoint.VERSIONS).dropConnection();
    assertThatThrownBy(() -> http.call("GET", "/_matrix/client/versions", null).close())
        .isInstanceOf(IOException.class);
    assertThat(hs.requests()).last().satisfies(c -> {
      assertThat(c.fault()).isEqualTo("DROP_BEFORE");
      assertThat(c.status()).isZero();
    });
    assertThat(http.get("/_matrix/client/versions").status()).isEqualTo(200);
  }

  @Test
  void stalledRequestWaitsForRelease() throws Exception {
    Stall stall = hs.faults().next(Endpoint.VERSIONS).stall();
    CompletableFuture<TestHttp.Answer> pending =
        CompletableFuture.supplyAsync(() -> http.get("/_matrix/client/versions"));
    assertThat(stall.awaitArrival(Duration.ofSeconds(10))).isTrue();
    assertThat(pending).isNotDone();
    stall.release();
    assertThat(pending.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void closingReleasesAStalledRequest() throws Exception {
    Stall stall = hs.faults().next(Endpoint.VERSIONS).stall();
    CompletableFuture<Object> pending = CompletableFuture.supplyAsync(() -> {
      try (Response r = http.call("GET", "/_matrix/client/versions", null)) {
        return r.code();
      } catch (IOException e) {
        return e;
      }
    });
    assertThat(stall.awaitArrival(Duration.ofSeconds(10))).isTrue();
    hs.shutdown();
    assertThat(pending.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void delayFaultStillAnswers() {
    Fault f = hs.faults().next(Endpoint.VERSIONS).delay(Duration.ofMillis(1));
    assertThat(http.get("/_matrix/client/versions").status()).isEqualTo(200);
    assertThat(f.fired()).isEqualTo(1);
    assertThat(hs.requests()).last().extracting(RecordedCall::fault).isEqualTo("DELAY");
  }

  @Test
  void anArmedFaultThatNeverFiredFailsAtClose() {
    FakeHomeserver other = FakeHomeserver.start();
    other.faults().next(Endpoint.SYNC).dropConnection();
    assertThatThrownBy(other::close).isInstanceOf(AssertionError.class)
        .hasMessageContaining("DROP_BEFORE on SYNC");
  }

  @Test
  void faultArgumentsAreValidated() {
    assertThatThrownBy(() -> hs.faults().next(Endpoint.SYNC).times(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times");
    assertThatThrownBy(() -> hs.faults().next(Endpoint.SYNC).error(200, "M_X", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("status");
    assertThatThrownBy(() -> hs.faults().next(Endpoint.SYNC).rateLimit(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
  }

  @Test
  void recordedRequestsRedactSecrets() {
    http.unchecked().get("/_matrix/client/versions?access_token=sekrit123&x=1");
    http.post("/_matrix/client/v3/login",
        "{\"type\":\"m.login.password\",\"user\":\"alice\",\"password\":\"hunter2\",\"n\":100}");
    List<RecordedCall> calls = hs.requests();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).target()).isEqualTo("/_matrix/client/versions?access_token=<redacted>&x=1");
    assertThat(calls.get(0).endpoint()).isEqualTo(Endpoint.VERSIONS);
    assertThat(calls.get(0).status()).isEqualTo(200);
    assertThat(calls.get(1).body()).contains("\"user\":\"alice\"", "\"password\":\"<redacted>\"", "\"n\":100")
        .doesNotContain("hunter2");
    assertThat(calls.toString()).doesNotContain("sekrit123", "hunter2");
  }

  @Test
  void recordingIsBounded() {
    try (FakeHomeserver small = FakeHomeserver.builder().maxRecordedRequests(2).start()) {
      TestHttp h = new TestHttp(small.baseUrl()).unchecked();
      for (int i = 0; i < 3; i++) {
        h.get("/_matrix/client/versions?i=" + i);
      }
      assertThat(small.requests()).extracting(RecordedCall::target)
          .containsExactly("/_matrix/client/versions?i=1", "/_matrix/client/versions?i=2");
    }
  }
}
