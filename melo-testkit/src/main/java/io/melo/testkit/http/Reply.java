package io.melo.testkit.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status and a JSON body, or raw bytes (media). Internal: not API. */
public final class Reply {
  final int status;
  final Object json;
  final byte[] bytes;
  final String contentType;
  final Map<String, String> headers;

  private Reply(int status, Object json, byte[] bytes, String contentType, Map<String, String> headers) {
    this.status = status;
    this.json = json;
    this.bytes = bytes;
    this.contentType = contentType;
    this.headers = headers;
  }

  /**
   * 200 with a JSON body (a Map, List, String, Number, Boolean or null tree).
   *
   * @param body the body tree, written as JSON
   * @return the reply
   */
  public static Reply json(Object body) {
    return new Reply(200, body, null, "application/json", Collections.emptyMap());
  }

  /**
   * {@return the given status with a JSON body}
   *
   * @param status the HTTP status
   * @param body the body tree, written as JSON
   */
  public static Reply json(int status, Object body) {
    return new Reply(status, body, null, "application/json", Collections.emptyMap());
  }

  /**
   * 200 with exactly {@code {}}: what matrix-nio demands of many endpoints.
   *
   * @return the reply
   */
  public static Reply empty() {
    return json(Collections.emptyMap());
  }

  /**
   * 200 with raw bytes and extra headers (media download).
   *
   * @param body the bytes, sent as they are
   * @param contentType the {@code Content-Type}
   * @param headers more headers, copied
   * @return the reply
   */
  public static Reply bytes(byte[] body, String contentType, Map<String, String> headers) {
    return new Reply(200, null, body, contentType, new LinkedHashMap<>(headers));
  }

  /** {@return the HTTP status} */
  public int status() {
    return status;
  }

  /** {@return the JSON body, or null for a byte body} */
  public Object json() {
    return json;
  }
}
