package io.melo.matrix.internal.longpoll;

import java.io.EOFException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import okhttp3.Headers;
import okio.Buffer;

/**
 * Reads one HTTP/1.1 response from bytes as they arrive: status line, headers, then a body
 * delimited by {@code Content-Length}, by chunked transfer encoding, or by the end of the
 * connection. Interim {@code 1xx} answers are skipped. Keeps at most {@code maxBodyBytes} of the
 * body: past that it stops and reports how many bytes the body has (declared or seen), so the
 * caller can refuse it without buffering it.
 */
final class ResponseParser {

  /** The most bytes of status line plus headers accepted (OkHttp allows 256 KiB). */
  static final int MAX_HEAD_BYTES = 256 * 1024;

  private enum State {
    STATUS_LINE,
    HEADERS,
    BODY_FIXED,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_DATA_END,
    TRAILERS,
    BODY_UNTIL_EOF,
    DONE
  }

  private final long maxBodyBytes;
  private State state = State.STATUS_LINE;
  private final StringBuilder line = new StringBuilder();
  private boolean sawCr;
  private int headBytes;
  private int code;
  private String message = "";
  private boolean http11;
  private Headers.Builder headers = new Headers.Builder();
  private final Buffer body = new Buffer();
  private long remaining; // in the current fixed body or chunk
  private long bodyLength; // bytes of body seen (or declared when over the cap)
  private boolean overCap;
  private boolean reusable;

  ResponseParser(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** True once the whole response (or as much of it as the cap allows) was read. */
  boolean done() {
    return state == State.DONE;
  }

  /** True before the first byte of the response arrived. */
  boolean nothingRead() {
    return state == State.STATUS_LINE && headBytes == 0 && line.length() == 0;
  }

  int code() {
    return code;
  }

  String message() {
    return message;
  }

  Headers headers() {
    return headers.build();
  }

  /** The body read; when {@link #overCap()}, only a prefix of it. */
  Buffer body() {
    return body;
  }

  /** The body's length: as declared or seen; past the cap, more than the cap. */
  long bodyLength() {
    return bodyLength;
  }

  /** True when the body is longer than the cap: the connection cannot be reused. */
  boolean overCap() {
    return overCap;
  }

  /** True when the connection may carry another request after this response. */
  boolean reusable() {
    return done() && reusable && !overCap;
  }

  /**
   * Consumes bytes from {@code in} until it is empty or the response is done (bytes left in
   * {@code in} then belong to no request).
   *
   * @throws ProtocolException if the bytes are not an HTTP/1.1 response
   */
  void feed(ByteBuffer in) throws ProtocolException {
    while (in.hasRemaining() && state != State.DONE) {
      switch (state) {
        case STATUS_LINE:
        case HEADERS:
        case CHUNK_SIZE:
        case CHUNK_DATA_END:
        case TRAILERS:
          if (readLine(in)) {
            onLine(line.toString());
            line.setLength(0);
          }
          break;
        case BODY_FIXED:
        case CHUNK_DATA:
          int n = (int) Math.min(remaining, in.remaining());
          take(in, n);
          if (overCap) {
            break;
          }
          remaining -= n;
          if (remaining == 0) {
            if (state == State.BODY_FIXED) {
              state = State.DONE;
            } else {
              state = State.CHUNK_DATA_END;
            }
          }
          break;
        case BODY_UNTIL_EOF:
          take(in, in.remaining());
          break;
        default:
          throw new IllegalStateException(state.name());
      }
    }
  }

  /**
   * The connection ended. A body delimited by the end of the connection is then complete.
   *
   * @throws EOFException if the response was cut short
   */
  void endOfStream() throws EOFException {
    if (state == State.BODY_UNTIL_EOF) {
      state = State.DONE;
      reusable = false;
      return;
    }
    if (state != State.DONE) {
      throw new EOFException(
          nothingRead() ? "the server closed the connection without answering" : "unexpected end of stream");
    }
  }

  private void take(ByteBuffer in, int n) {
    if (overCap) {
      Buffers.position(in, in.position() + n);
      return;
    }
    bodyLength += n;
    long room = maxBodyBytes - body.size();
    if (bodyLength > maxBodyBytes) {
      // Keep the prefix that fits (an error body is mapped from it), then stop.
      int keep = (int) Math.max(0, room);
      copy(in, keep);
      Buffers.position(in, in.position() + (n - keep));
      overCap = true;
      state = State.DONE;
      return;
    }
    copy(in, n);
  }

  private void copy(ByteBuffer in, int n) {
    if (n == 0) {
      return;
    }
    if (in.hasArray()) {
      body.write(in.array(), in.arrayOffset() + in.position(), n);
      Buffers.position(in, in.position() + n);
    } else {
      byte[] bytes = new byte[n];
      in.get(bytes);
      body.write(bytes);
    }
  }

  /** Appends to {@link #line} up to the next line end; true when a whole line is in it. */
  private boolean readLine(ByteBuffer in) throws ProtocolException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (++headBytes > MAX_HEAD_BYTES) {
        throw new ProtocolException("the response head is longer than " + MAX_HEAD_BYTES + " bytes");
      }
      if (b == '\n') {
        sawCr = false;
        return true;
      }
      if (sawCr) {
        line.append('\r');
        sawCr = false;
      }
      if (b == '\r') {
        sawCr = true;
      } else {
        line.append((char) (b & 0xff));
      }
    }
    return false;
  }

  private void onLine(String text) throws ProtocolException {
    switch (state) {
      case STATUS_LINE:
        statusLine(text);
        state = State.HEADERS;
        break;
      case HEADERS:
        if (text.isEmpty()) {
          endOfHead();
        } else {
          header(text);
        }
        break;
      case CHUNK_SIZE:
        chunkSize(text);
        break;
      case CHUNK_DATA_END:
        if (!text.isEmpty()) {
          throw new ProtocolException("a chunk is not followed by CRLF");
        }
        state = State.CHUNK_SIZE;
        break;
      case TRAILERS:
        if (text.isEmpty()) {
          state = State.DONE;
        }
        break;
      default:
        throw new IllegalStateException(state.name());
    }
  }

  private void statusLine(String text) throws ProtocolException {
    // HTTP/1.1 200 OK
    if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ') {
      throw new ProtocolException("not an HTTP/1.x status line: " + printable(text));
    }
    http11 = text.charAt(7) == '1';
    try {
      code = Integer.parseInt(text.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new ProtocolException("no status code in the status line: " + printable(text));
    }
    if (code < 100 || code > 999 || (text.length() > 12 && text.charAt(12) != ' ')) {
      throw new ProtocolException("not an HTTP/1.x status line: " + printable(text));
    }
    message = text.length() > 13 ? text.substring(13) : "";
  }

  private void header(String text) throws ProtocolException {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new ProtocolException("a header line without a name: " + printable(text));
    }
    String name = text.substring(0, colon).trim();
    String value = text.substring(colon + 1).trim();
    headers.addUnsafeNonAscii(name, value);
  }

  private void endOfHead() throws ProtocolException {
    if (code >= 100 && code < 200 && code != 101) {
      // An interim answer: the real one follows.
      state = State.STATUS_LINE;
      headers = new Headers.Builder();
      headBytes = 0;
      return;
    }
    if (code == 101) {
      throw new ProtocolException("the server switched protocols, which was not asked for");
    }
    Headers head = headers.build();
    String connection = head.get("Connection");
    reusable = http11 && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("close"));
    String coding = head.get("Content-Encoding");
    if (coding != null && !coding.trim().equalsIgnoreCase("identity")) {
      throw new ProtocolException(
          "the server answered with Content-Encoding " + printable(coding) + ", which was not asked for");
    }
    String encoding = head.get("Transfer-Encoding");
    String length = head.get("Content-Length");
    if (code == 204 || code == 304) {
      state = State.DONE;
    } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      state = State.CHUNK_SIZE;
    } else if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new ProtocolException("Content-Length is not a number: " + printable(length));
      }
      if (declared < 0) {
        throw new ProtocolException("Content-Length is negative: " + declared);
      }
      if (declared > maxBodyBytes) {
        bodyLength = declared;
        overCap = true;
        state = State.DONE;
      } else if (declared == 0) {
        state = State.DONE;
      } else {
        remaining = declared;
        state = State.BODY_FIXED;
      }
    } else {
      reusable = false;
      state = State.BODY_UNTIL_EOF;
    }
  }

  private void chunkSize(String text) throws ProtocolException {
    int end = text.indexOf(';');
    String hex = (end < 0 ? text : text.substring(0, end)).trim();
    long size;
    try {
      if (hex.isEmpty() || hex.length() > 15) {
        throw new NumberFormatException();
      }
      size = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new ProtocolException("not a chunk size: " + printable(text));
    }
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }

  private static String printable(String text) {
    String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  /** The request head for a GET: request line, Host and the given headers, ASCII. */
  static ByteBuffer requestHead(String target, String host, Headers extra) {
    StringBuilder head = new StringBuilder(256);
    head.append("GET ").append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append("\r\n");
    for (int i = 0; i < extra.size(); i++) {
      head.append(extra.name(i)).append(": ").append(extra.value(i)).append("\r\n");
    }
    head.append("\r\n");
    return ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }
}
