package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.model.Appservice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The spec v1.7 additions the fake serves: asynchronous media uploads and the application-service
 * ping; {@link SpecContract} checks every request and answer against the spec's schemas.
 */
class AsyncUploadAndPingTest {
  private static final String MEDIA = "/_matrix/media/v3";

  @Test
  void aReservedUriIsFilledOnceByItsCreator() throws Exception {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp alice = new TestHttp(hs.baseUrl()).withToken(hs.register("alice").accessToken());
      TestHttp bob = new TestHttp(hs.baseUrl()).withToken(hs.register("bob").accessToken());
      TestHttp.Answer created = alice.post("/_matrix/media/v1/create", "{}");
      assertThat(created.status()).isEqualTo(200);
      String mxc = (String) created.json().get("content_uri");
      assertThat(mxc).startsWith("mxc://localhost/");
      assertThat((Long) created.json().get("unused_expires_at")).isGreaterThan(System.currentTimeMillis());
      String path = mxc.substring("mxc://".length());

      TestHttp.Answer early = alice.get("/_matrix/client/v1/media/download/" + path + "?timeout_ms=0");
      assertThat(early.status()).isEqualTo(504);
      assertThat(early.errcode()).isEqualTo("M_NOT_YET_UPLOADED");
      TestHttp.Answer waited = alice.get(MEDIA + "/download/" + path + "?timeout_ms=150");
      assertThat(waited.errcode()).isEqualTo("M_NOT_YET_UPLOADED");

      byte[] png = "a png, honestly".getBytes(StandardCharsets.UTF_8);
      assertThat(bob.uploadPut(MEDIA + "/upload/" + path + "?filename=x.png", png, "image/png").errcode())
          .isEqualTo("M_FORBIDDEN");
      // A download waiting for the content gets it once it arrives.
      CompletableFuture<TestHttp.Answer> download = CompletableFuture.supplyAsync(() ->
          bob.get("/_matrix/client/v1/media/download/" + path + "?timeout_ms=20000"));
      TestHttp.Answer put = alice.uploadPut(MEDIA + "/upload/" + path + "?filename=cat.png", png, "image/png");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.text()).isEqualTo("{}");
      TestHttp.Answer got = download.get(20, TimeUnit.SECONDS);
      assertThat(got.bytes()).isEqualTo(png);
      assertThat(got.headers().get("Content-Type")).isEqualTo("image/png");
      assertThat(got.headers().get("Content-Disposition")).contains("cat.png");

      TestHttp.Answer again = alice.uploadPut(MEDIA + "/upload/" + path, png, "image/png");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.errcode()).isEqualTo("M_CANNOT_OVERWRITE_MEDIA");
      assertThat(alice.uploadPut(MEDIA + "/upload/localhost/neverCreated", png, "image/png").errcode())
          .isEqualTo("M_NOT_FOUND");
      assertThat(alice.uploadPut(MEDIA + "/upload/elsewhere.org/abc", png, "image/png").errcode())
          .isEqualTo("M_NOT_FOUND");
      assertThat(alice.get(MEDIA + "/download/localhost/neverCreated?timeout_ms=5000").errcode())
          .isEqualTo("M_NOT_FOUND");
      assertThat(new TestHttp(hs.baseUrl()).post("/_matrix/media/v1/create", "{}").errcode())
          .isEqualTo("M_MISSING_TOKEN");
    }
  }

  @Test
  void tooManyPendingUploadsAreRateLimited() {
    try (FakeHomeserver hs = FakeHomeserver.start()) {
      TestHttp alice = new TestHttp(hs.baseUrl()).withToken(hs.register("alice").accessToken());
      for (int i = 0; i < 50; i++) {
        assertThat(alice.post("/_matrix/media/v1/create", "{}").status()).isEqualTo(200);
      }
      TestHttp.Answer limited = alice.post("/_matrix/media/v1/create", "{}");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.json()).containsEntry("errcode", "M_LIMIT_EXCEEDED").containsKey("retry_after_ms");
    }
  }

  @Test
  void pingingAnApplicationServiceWithoutUrlIsTheSpecsError() {
    Appservice bridge = new Appservice("bridge", "as-secret-token", "bridgebot", List.of("@bridge_.*:localhost"));
    try (FakeHomeserver hs = FakeHomeserver.builder().appservice(bridge).start()) {
      TestHttp as = new TestHttp(hs.baseUrl()).withToken("as-secret-token");
      String ping = "/_matrix/client/v1/appservice/bridge/ping";
      TestHttp.Answer noUrl = as.post(ping, "{\"transaction_id\":\"t1\"}");
      assertThat(noUrl.status()).isEqualTo(400);
      assertThat(noUrl.errcode()).isEqualTo("M_URL_NOT_SET");
      assertThat(as.post("/_matrix/client/v1/appservice/other/ping", "{}").errcode()).isEqualTo("M_FORBIDDEN");
      TestHttp user = new TestHttp(hs.baseUrl()).withToken(hs.register("alice").accessToken());
      assertThat(user.post(ping, "{}").status()).isEqualTo(403);
    }
  }
}
