package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.media.Media;
import io.melo.matrix.media.MxcUri;
import io.melo.matrix.media.ThumbnailMethod;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class MediaTest extends SpecCheckedTest {

  static final MxcUri PICTURE = MxcUri.parse("mxc://example.org/AbCdEf123");

  private void serveMedia(String type, String disposition, String bytes) {
    MockResponse.Builder response = new MockResponse.Builder().code(200).addHeader("Content-Type", type).body(bytes);
    if (disposition != null) {
      response.addHeader("Content-Disposition", disposition);
    }
    server.enqueue(response.build());
  }

  @Test
  void uploadSendsTheBytesAndParsesTheMxcUri() throws Exception {
    ok("{\"content_uri\":\"mxc://example.org/NewMedia1\"}");
    MxcUri uri = client.upload("PNGDATA".getBytes(java.nio.charset.StandardCharsets.UTF_8), "image/png", "cat pic.png")
        .execute();
    assertThat(uri).isEqualTo(MxcUri.parse("mxc://example.org/NewMedia1"));
    RecordedRequest request = expectAuthed("POST", "/_matrix/media/v3/upload?filename=cat%20pic.png");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("image/png");
    assertThat(request.getBody().utf8()).isEqualTo("PNGDATA");
    SPEC.operation("POST", "/_matrix/media/v3/upload").assertValidResponse(200, "{\"content_uri\":\"mxc://example.org/NewMedia1\"}");
  }

  @Test
  void uploadAnswerWithHostileUriIsAProtocolError() {
    ok("{\"content_uri\":\"mxc://example.org/../../evil\"}");
    assertThatThrownBy(() -> client.upload(new byte[] {1}, "application/octet-stream", null).execute())
        .isInstanceOf(MatrixProtocolException.class)
        .hasMessageContaining("content_uri");
  }

  @Test
  void downloadUsesAuthenticatedMediaWhenAdvertised() throws Exception {
    ok("{\"versions\":[\"v1.11\"]}");
    serveMedia("image/png", "inline; filename=\"cat.png\"", "BYTES");
    Media media = client.download(PICTURE).execute();
    assertThat(media.bytes()).isEqualTo("BYTES".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(media.contentType()).isEqualTo("image/png");
    assertThat(media.fileName()).isEqualTo("cat.png");
    expect("GET", "/_matrix/client/versions");
    RecordedRequest download = expectAuthed("GET", "/_matrix/client/v1/media/download/example.org/AbCdEf123");
    assertThat(SPEC.findOperation("GET", download.getUrl().encodedPath())).isPresent();
    // The versions answer is remembered: the next download goes straight to the media endpoint.
    serveMedia("image/png", null, "B2");
    client.thumbnail(PICTURE, 64, 32, ThumbnailMethod.CROP).execute();
    RecordedRequest thumb =
        expectAuthed("GET", "/_matrix/client/v1/media/thumbnail/example.org/AbCdEf123?width=64&height=32&method=crop");
    assertThat(SPEC.operation("GET", thumb.getUrl().encodedPath()).validateQuery(thumb.getUrl().encodedQuery())).isEmpty();
  }

  @Test
  void unstableFlagAlsoEnablesAuthenticatedMedia() throws Exception {
    ok("{\"versions\":[\"v1.4\"],\"unstable_features\":{\"org.matrix.msc3916.stable\":true}}");
    serveMedia("text/plain", null, "x");
    client.download(PICTURE).execute();
    take();
    expectAuthed("GET", "/_matrix/client/v1/media/download/example.org/AbCdEf123");
  }

  @Test
  void downloadFallsBackToLegacyMediaOnOlderServers() throws Exception {
    ok("{\"versions\":[\"r0.6.1\",\"v1.5\"]}");
    serveMedia("text/plain", "attachment; filename=notes.txt", "hello");
    Media media = client.download(PICTURE).execute();
    assertThat(media.fileName()).isEqualTo("notes.txt");
    take();
    RecordedRequest legacy = expect("GET", "/_matrix/media/v3/download/example.org/AbCdEf123?allow_redirect=true");
    assertThat(SPEC.operation("GET", legacy.getUrl().encodedPath()).validateQuery(legacy.getUrl().encodedQuery())).isEmpty();
    serveMedia("image/jpeg", null, "t");
    client.thumbnail(PICTURE, 10, 10, ThumbnailMethod.SCALE).execute();
    expect("GET", "/_matrix/media/v3/thumbnail/example.org/AbCdEf123?allow_redirect=true&width=10&height=10&method=scale");
  }

  @Test
  void downloadLargerThanTheCapIsRefused() throws Exception {
    try (MatrixClient capped =
        MatrixClient.create(config.toBuilder().maxResponseBytes(4096).build(), MatrixCredentials.accessToken(TOKEN))) {
      ok("{\"versions\":[\"v1.11\"]}");
      // the capped client asks /versions itself, then the download is refused
      server.enqueue(new MockResponse.Builder().code(200).body("y".repeat(5000)).build());
      assertThatThrownBy(() -> capped.download(PICTURE).execute())
          .isInstanceOf(MatrixProtocolException.class)
          .hasMessageContaining("GET /_matrix/client/v1/media/download/example.org/AbCdEf123")
          .hasMessageContaining("4096");
    }
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void invalidArgumentsAreRefusedBeforeSending() {
    assertThatThrownBy(() -> client.thumbnail(PICTURE, 0, 10, ThumbnailMethod.SCALE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.upload(new byte[0], "not a type", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void uploadStreamsAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("doc.pdf");
    java.nio.file.Files.write(file, "PDFBYTES".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ok("{\"content_uri\":\"mxc://example.org/Doc1\"}");
    assertThat(client.upload(file.toFile(), "application/pdf", "doc.pdf").execute().mediaId()).isEqualTo("Doc1");
    RecordedRequest request = expectAuthed("POST", "/_matrix/media/v3/upload?filename=doc.pdf");
    assertThat(request.getBody().utf8()).isEqualTo("PDFBYTES");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/pdf");
    assertThatThrownBy(() -> client.upload(dir.resolve("missing").toFile(), "application/pdf", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRedirectToAnotherHostNeverCarriesTheToken() throws Exception {
    try (mockwebserver3.MockWebServer cdn = new mockwebserver3.MockWebServer()) {
      cdn.start();
      cdn.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "image/png").body("CDN").build());
      ok("{\"versions\":[\"v1.11\"]}");
      server.enqueue(new MockResponse.Builder().code(307)
          .addHeader("Location", cdn.url("/media/AbCdEf123").toString()).build());
      Media media = client.download(PICTURE).execute();
      assertThat(new String(media.bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("CDN");
      take();
      expectAuthed("GET", "/_matrix/client/v1/media/download/example.org/AbCdEf123");
      RecordedRequest atCdn = cdn.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(atCdn.getTarget()).isEqualTo("/media/AbCdEf123");
      assertThat(atCdn.getHeaders().get("Authorization")).isNull();
    }
  }
}
