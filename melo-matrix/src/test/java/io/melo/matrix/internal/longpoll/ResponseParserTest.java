package io.melo.matrix.internal.longpoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class ResponseParserTest {

  static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  static ResponseParser parse(String text, long cap) throws ProtocolException {
    ResponseParser parser = new ResponseParser(cap);
    parser.feed(bytes(text));
    return parser;
  }

  @Test
  void aChunkedAnswerFedByteByByteWithExtensionsAndTrailers() throws Exception {
    String wire =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\n{\"a\":\r\n"
            + "3\r\n42}\r\n"
            + "0\r\nX-Trailer: yes\r\n\r\n";
    ResponseParser parser = new ResponseParser(1024);
    for (byte b : wire.getBytes(StandardCharsets.ISO_8859_1)) {
      assertThat(parser.done()).isFalse();
      parser.feed(ByteBuffer.wrap(new byte[] {b}));
    }
    assertThat(parser.done()).isTrue();
    assertThat(parser.code()).isEqualTo(200);
    assertThat(parser.message()).isEqualTo("OK");
    assertThat(parser.headers().get("content-type")).isEqualTo("application/json");
    assertThat(parser.body().readUtf8()).isEqualTo("{\"a\":42}");
    assertThat(parser.reusable()).isTrue();
  }

  @Test
  void bytesAfterTheAnswerAreLeftInTheBuffer() throws Exception {
    ByteBuffer in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}EXTRA");
    ResponseParser parser = new ResponseParser(1024);
    parser.feed(in);
    assertThat(parser.done()).isTrue();
    assertThat(parser.body().readUtf8()).isEqualTo("{}");
    assertThat(in.remaining()).isEqualTo(5);
  }

  @Test
  void interimAnswersAreSkipped() throws Exception {
    ResponseParser parser =
        parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\nRetry-After: 3\r\n\r\n{}", 1024);
    assertThat(parser.done()).isTrue();
    assertThat(parser.code()).isEqualTo(401);
    assertThat(parser.headers().get("Retry-After")).isEqualTo("3");
  }

  @Test
  void connectionCloseAndHttp10AreNotReusedAndABodyWithoutLengthEndsWithTheConnection() throws Exception {
    assertThat(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 1024).reusable()).isFalse();
    assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 1024).reusable()).isFalse();
    ResponseParser untilEnd = parse("HTTP/1.1 200 OK\r\n\r\n{\"x\":", 1024);
    assertThat(untilEnd.done()).isFalse();
    untilEnd.feed(bytes("1}"));
    untilEnd.endOfStream();
    assertThat(untilEnd.done()).isTrue();
    assertThat(untilEnd.reusable()).isFalse();
    assertThat(untilEnd.body().readUtf8()).isEqualTo("{\"x\":1}");
  }

  @Test
  void noContentHasNoBody() throws Exception {
    ResponseParser parser = parse("HTTP/1.1 204 No Content\r\n\r\n", 1024);
    assertThat(parser.done()).isTrue();
    assertThat(parser.body().size()).isZero();
    assertThat(parser.reusable()).isTrue();
  }

  @Test
  void aCutAnswerIsAnEndOfStreamFailure() throws Exception {
    ResponseParser fixed = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"", 1024);
    assertThatThrownBy(fixed::endOfStream).isInstanceOf(EOFException.class).hasMessage("unexpected end of stream");
    ResponseParser chunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\"", 1024);
    assertThatThrownBy(chunked::endOfStream).isInstanceOf(EOFException.class);
    ResponseParser nothing = new ResponseParser(1024);
    assertThat(nothing.nothingRead()).isTrue();
    assertThatThrownBy(nothing::endOfStream).isInstanceOf(EOFException.class).hasMessageContaining("without answering");
  }

  @Test
  void brokenAnswersAreProtocolFailures() {
    assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n", 1024)).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("HTTP/1.1 2x0 OK\r\n", 1024)).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nno colon here\r\n", 1024)).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n", 1024))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1024))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 1024))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("CRLF");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\n", 1024))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("gzip");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX: " + "y".repeat(ResponseParser.MAX_HEAD_BYTES) + "\r\n", 1024))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("head is longer");
  }

  @Test
  void aDeclaredLengthOverTheCapStopsAtTheHead() throws Exception {
    ResponseParser parser = parse("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{\"a\":", 1024);
    assertThat(parser.done()).isTrue();
    assertThat(parser.overCap()).isTrue();
    assertThat(parser.bodyLength()).isEqualTo(5000);
    assertThat(parser.body().size()).isZero();
    assertThat(parser.reusable()).isFalse();
  }

  @Test
  void aChunkedBodyOverTheCapKeepsOnlyWhatFits() throws Exception {
    String chunk = "x".repeat(600);
    ResponseParser parser =
        parse(
            "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n",
            1024);
    assertThat(parser.done()).isTrue();
    assertThat(parser.overCap()).isTrue();
    assertThat(parser.bodyLength()).isGreaterThan(1024);
    assertThat(parser.body().size()).isEqualTo(1024);
  }

  @Test
  void theRequestHeadCarriesHostAndHeaders() {
    ByteBuffer head =
        ResponseParser.requestHead(
            "/_matrix/client/v3/sync?timeout=30000", "example.org:8448", Headers.of("Authorization", "Bearer t"));
    assertThat(StandardCharsets.ISO_8859_1.decode(head).toString())
        .isEqualTo(
            "GET /_matrix/client/v3/sync?timeout=30000 HTTP/1.1\r\nHost: example.org:8448\r\nAuthorization: Bearer t\r\n\r\n");
  }
}
