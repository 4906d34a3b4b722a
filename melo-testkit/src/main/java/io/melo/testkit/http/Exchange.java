package io.melo.testkit.http;

import io.melo.testkit.Endpoint;
import io.melo.testkit.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okhttp3.Headers;

/**
 * One request on its way through the interceptors to its handler: the routed endpoint, decoded path
 * and query parameters, the body and the access token. Internal: not API.
 */
public final class Exchange {
  final String method;
  final String target;
  final String rawPath;
  final Router.Match match;
  final RuntimeException routeError;
  final Map<String, List<String>> query;
  final Headers headers;
  final byte[] body;
  final long bodySize;
  final String accessToken;
  final String peerAddress;
  private final List<MatrixDispatcher.Interceptor> interceptors;
  private final MatrixDispatcher.Terminal terminal;
  private int next;
  private Object attachment;

  Exchange(String method, String target, String rawPath, Router.Match match, RuntimeException routeError,
      Map<String, List<String>> query, Headers headers, byte[] body, long bodySize, String accessToken, String peerAddress,
      List<MatrixDispatcher.Interceptor> interceptors, MatrixDispatcher.Terminal terminal) {
    this.method = method;
    this.target = target;
    this.rawPath = rawPath;
    this.match = match;
    this.routeError = routeError;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.bodySize = bodySize;
    this.accessToken = accessToken;
    this.peerAddress = peerAddress;
    this.interceptors = interceptors;
    this.terminal = terminal;
  }

  /**
   * Runs the rest of the chain (later interceptors, then routing and the handler).
   *
   * @return the response the rest of the chain produced
   * @throws InterruptedException if the thread is interrupted while a handler waits (a long poll or
   *     a stalled request)
   */
  public MockResponse proceed() throws InterruptedException {
    if (next < interceptors.size()) {
      return interceptors.get(next++).intercept(this);
    }
    return terminal.handle(this);
  }

  /** {@return the HTTP method, upper case} */
  public String method() {
    return method;
  }

  /** {@return the raw request target (path and query), as sent: may hold a token, never log it} */
  public String target() {
    return target;
  }

  /** {@return the raw path, without the query} */
  public String rawPath() {
    return rawPath;
  }

  /** {@return the endpoint this request routed to, or null when it matched none} */
  public Endpoint endpoint() {
    return match == null ? null : match.endpoint();
  }

  /**
   * {@return a decoded path parameter, for example {@code roomId}, or null}
   *
   * @param name the parameter name from the endpoint's path template
   */
  public String param(String name) {
    return match == null ? null : match.params().get(name);
  }

  /**
   * {@return the first value of a decoded query parameter, or null}
   *
   * @param name the query parameter name, as sent (case-sensitive)
   */
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * {@return every value of a decoded query parameter (empty if absent)}
   *
   * @param name the query parameter name, as sent (case-sensitive)
   */
  public List<String> queryAll(String name) {
    List<String> values = query.get(name);
    return values == null ? Collections.emptyList() : values;
  }

  /** {@return the request headers} */
  public Headers headers() {
    return headers;
  }

  /**
   * {@return the body as a JSON object; an empty or absent body is an empty object (valid wherever
   * the spec has no required field; handlers then report the missing field)}
   *
   * @throws io.melo.testkit.model.MatrixError 400 M_NOT_JSON or M_BAD_JSON
   */
  public Map<String, Object> jsonBody() {
    if (body.length == 0) {
      return new LinkedHashMap<>();
    }
    return Json.parseObject(body, body.length);
  }

  /** {@return the decoded path, segments joined by {@code /}; for matching faults} */
  public String decodedPath() {
    StringBuilder sb = new StringBuilder();
    for (String raw : Router.rawSegments(rawPath)) {
      sb.append('/');
      try {
        sb.append(Router.percentDecode(raw, false));
      } catch (IllegalArgumentException e) {
        sb.append(raw);
      }
    }
    return sb.toString();
  }

  /** {@return the request body (empty when absent)} */
  public byte[] body() {
    return body;
  }

  /**
   * {@return the access token from {@code Authorization: Bearer} or {@code ?access_token=}, or
   * null}
   */
  public String accessToken() {
    return accessToken;
  }

  /**
   * {@return the address of the client's end of the connection (for example {@code 127.0.0.1}), or
   * null if unknown}
   */
  public String peerAddress() {
    return peerAddress;
  }

  /**
   * {@return an object an interceptor leaves for a later one (the recorder reads the fault's
   * verdict)}
   */
  public Object attachment() {
    return attachment;
  }

  /**
   * Sets the {@link #attachment()}.
   *
   * @param value any object, or null to clear it
   */
  public void attach(Object value) {
    this.attachment = value;
  }
}
