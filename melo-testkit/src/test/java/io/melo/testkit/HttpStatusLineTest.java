package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** HEAD is answered like GET without a body, and status lines carry the reason phrase of their code. */
class HttpStatusLineTest {

  @Test
  void headIsGetWithoutTheBody() throws Exception {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp http = new TestHttp(hs.baseUrl());
      TestHttp.Answer get = http.get("/_matrix/client/versions");
      try (Response head = http.unchecked().call("HEAD", "/_matrix/client/versions", null)) {
        assertThat(head.code()).isEqualTo(200);
        assertThat(head.message()).isEqualTo("OK");
        assertThat(head.header("Content-Type")).isEqualTo(get.headers().get("Content-Type"));
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.bytes().length));
        assertThat(head.body().bytes()).isEmpty();
      }
      // The connection stays usable: no stray body bytes were sent after the HEAD answer.
      assertThat(http.get("/_matrix/client/versions").text()).isEqualTo(get.text());
      try (Response head = http.unchecked().call("HEAD", "/_matrix/client/v3/account/whoami", null)) {
        assertThat(head.code()).isEqualTo(401);
        assertThat(head.body().bytes()).isEmpty();
      }
    }
  }

  @Test
  void statusLinesCarryTheReasonPhraseOfTheirCode() throws Exception {
    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).start()) {
      TestHttp http = new TestHttp(hs.baseUrl()).unchecked();
      try (Response r = http.call("GET", "/_matrix/client/v3/account/whoami", null)) {
        assertThat(r.code()).isEqualTo(401);
        assertThat(r.message()).isEqualTo("Unauthorized");
      }
      try (Response r = http.call("GET", "/_matrix/client/v3/no/such/endpoint", null)) {
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.message()).isEqualTo("Not Found");
      }
      try (Response r = http.call("PUT", "/_matrix/client/versions", "{}")) {
        assertThat(r.code()).isEqualTo(405);
        assertThat(r.message()).isEqualTo("Method Not Allowed");
      }
      try (Response r = http.call("OPTIONS", "/_matrix/client/versions", null)) {
        assertThat(r.code()).isEqualTo(204);
        assertThat(r.message()).isEqualTo("No Content");
      }
    }
  }
}
