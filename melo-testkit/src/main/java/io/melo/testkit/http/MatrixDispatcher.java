package io.melo.testkit.http;

import io.melo.testkit.Endpoint;
import io.melo.testkit.model.MatrixError;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import okhttp3.Headers;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * The mockwebserver3 {@link Dispatcher} of a fake homeserver: parses the request (path segments
 * decoded after splitting, access token from the header or the query), runs the interceptors (faults,
 * recording), routes to a handler and turns its {@link Reply} or error into a response with CORS
 * headers. {@link #dispatch} may block (long polls, stalls); {@link #close()} releases every blocked
 * request. Unexpected exceptions become 500 {@code M_UNKNOWN} and are reported, never a hung request.
 * Internal: not API.
 */
public final class MatrixDispatcher extends Dispatcher {

  /** Serves one endpoint. May block (long polls); must return or throw once the dispatcher closes. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Answers the request, or throws a {@link MatrixError} that becomes the error response.
     *
     * @param exchange the request, with its path parameters and parsed query
     * @return the reply to send
     * @throws InterruptedException if the handler is interrupted while it waits (long polls do)
     */
    Reply handle(Exchange exchange) throws InterruptedException;
  }

  /** Wraps the handling of a request, like an OkHttp interceptor: may answer itself or proceed. */
  @FunctionalInterface
  public interface Interceptor {
    /**
     * {@return the response, usually after {@link Exchange#proceed()}}
     *
     * @param exchange the request; call {@link Exchange#proceed()} to pass it on
     * @throws InterruptedException if interrupted while the rest of the chain waits
     */
    MockResponse intercept(Exchange exchange) throws InterruptedException;
  }

  /** The end of the chain. */
  interface Terminal {
    MockResponse handle(Exchange exchange) throws InterruptedException;
  }

  /** Default largest JSON body: 1 MiB. */
  public static final long DEFAULT_JSON_LIMIT = 1L << 20;
  /** Default largest media upload: 10 MiB. */
  public static final long DEFAULT_MEDIA_LIMIT = 10L << 20;

  private final Router router = new Router();
  private final Map<Endpoint, Handler> handlers = new EnumMap<>(Endpoint.class);
  private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
  private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
  private final Terminal terminal = this::route;
  private volatile java.util.function.IntFunction<String> peers = i -> null;
  private volatile Consumer<String> unimplemented = s -> { };
  private volatile Consumer<Throwable> internalErrors = t -> { };
  private volatile long jsonLimit = DEFAULT_JSON_LIMIT;
  private volatile long mediaLimit = DEFAULT_MEDIA_LIMIT;
  private volatile boolean closed;

  /** A dispatcher with no handlers: every request is 404 {@code M_UNRECOGNIZED} until some are added. */
  public MatrixDispatcher() {}

  /**
   * Serves an endpoint with a handler (replacing any earlier one).
   *
   * @param endpoint the endpoint to serve
   * @param handler answers its requests
   * @return this dispatcher
   */
  public MatrixDispatcher handle(Endpoint endpoint, Handler handler) {
    synchronized (handlers) {
      handlers.put(endpoint, handler);
    }
    return this;
  }

  /**
   * {@return whether an endpoint has a handler}
   *
   * @param endpoint the endpoint to look up
   */
  public boolean implemented(Endpoint endpoint) {
    synchronized (handlers) {
      return handlers.containsKey(endpoint);
    }
  }

  /**
   * Adds an interceptor after the existing ones.
   *
   * @param interceptor sees every request before routing, in the order added
   */
  public void addInterceptor(Interceptor interceptor) {
    interceptors.add(interceptor);
  }

  /**
   * Runs when the dispatcher closes: must wake whatever a handler may be blocked on.
   *
   * @param hook run once when the dispatcher shuts down
   */
  public void onClose(Runnable hook) {
    closeHooks.add(hook);
  }

  /**
   * Tells the peer address of a connection by mockwebserver3's connection index (null if unknown).
   *
   * @param byConnectionIndex maps a connection index to the peer's address, or to null
   */
  public void peerAddresses(java.util.function.IntFunction<String> byConnectionIndex) {
    this.peers = byConnectionIndex;
  }

  /**
   * Told (with a redacted "METHOD path") of every request to an endpoint nobody implements.
   *
   * @param listener receives the redacted request line; replaces any earlier listener
   */
  public void onUnimplemented(Consumer<String> listener) {
    this.unimplemented = listener;
  }

  /**
   * Told of every unexpected exception (answered with 500 {@code M_UNKNOWN}).
   *
   * @param listener receives the exception; replaces any earlier listener
   */
  public void onInternalError(Consumer<Throwable> listener) {
    this.internalErrors = listener;
  }

  /**
   * Sets the largest accepted JSON body and media upload, in bytes.
   *
   * @param json the JSON body limit in bytes (413 {@code M_TOO_LARGE} above it)
   * @param media the media upload limit in bytes (413 {@code M_TOO_LARGE} above it)
   */
  public void limits(long json, long media) {
    this.jsonLimit = json;
    this.mediaLimit = media;
  }

  /**
   * {@return the largest body of any kind, so the server can keep one byte more to detect excess}
   */
  public long largestBody() {
    return Math.max(jsonLimit, mediaLimit);
  }

  /** {@return true once {@link #close()} ran} */
  public boolean isClosed() {
    return closed;
  }

  /**
   * What mockwebserver3 reads before dispatching (socket effects, informational responses, whether
   * to read the body): the fake never uses those, so one shared default answer (immutable) instead
   * of a new {@link MockResponse} per request, as the base class builds.
   */
  @Override
  public MockResponse peek() {
    return PEEK;
  }

  private static final MockResponse PEEK = new MockResponse.Builder().build();

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    try {
      if (closed) {
        return error(new MatrixError(503, "M_UNKNOWN", "the homeserver is shutting down"));
      }
      if ("OPTIONS".equals(request.getMethod())) {
        return cors(statusLine(204)).build();
      }
      MockResponse response = exchange(request).proceed();
      return "HEAD".equals(request.getMethod()) ? withoutBody(response) : response;
    } catch (InterruptedException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      internalErrors.accept(e);
      return error(new MatrixError(500, "M_UNKNOWN", "internal error: " + e.getClass().getSimpleName()));
    }
  }

  /** Wakes every blocked request and refuses new ones with 503. */
  @Override
  public void close() {
    closed = true;
    for (Runnable hook : closeHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        internalErrors.accept(e);
      }
    }
  }

  private Exchange exchange(RecordedRequest request) {
    String method = request.getMethod() == null ? "" : request.getMethod();
    String target = request.getTarget() == null ? "/" : request.getTarget();
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    Router.Match match = null;
    RuntimeException routeError = null;
    Map<String, List<String>> query = Collections.emptyMap();
    try {
      query = Router.parseQuery(q < 0 ? null : target.substring(q + 1));
      // HEAD is GET without the body (RFC 9110 9.3.2): same routing, headers and status.
      match = router.route("HEAD".equals(method) ? "GET" : method, rawPath);
    } catch (IllegalArgumentException e) {
      routeError = new MatrixError(400, "M_UNRECOGNIZED", "malformed percent-encoding in the request target");
    }
    String token = null;
    String auth = request.getHeaders().get("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = auth.substring(7).trim();
    } else {
      List<String> t = query.get("access_token");
      if (t != null && !t.isEmpty()) {
        token = t.get(0);
      }
    }
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    return new Exchange(method, target, rawPath, match, routeError, query, request.getHeaders(), body,
        Math.max(request.getBodySize(), body.length), token, peers.apply(request.getConnectionIndex()), interceptors,
        terminal);
  }

  private MockResponse route(Exchange ex) throws InterruptedException {
    try {
      if (ex.routeError != null) {
        throw ex.routeError;
      }
      Endpoint endpoint = ex.endpoint();
      if (endpoint == null) {
        if (ex.match.pathKnown()) {
          throw new MatrixError(405, "M_UNRECOGNIZED", "method " + ex.method + " not allowed on this endpoint");
        }
        unimplemented.accept(ex.method + " " + Redaction.target(ex.rawPath));
        throw new MatrixError(404, "M_UNRECOGNIZED", "unrecognized request");
      }
      long limit = endpoint == Endpoint.MEDIA_UPLOAD || endpoint == Endpoint.MEDIA_UPLOAD_TO ? mediaLimit : jsonLimit;
      if (ex.bodySize > limit) {
        throw new MatrixError(413, "M_TOO_LARGE", "request body of " + ex.bodySize + " bytes exceeds the limit of "
            + limit + " bytes");
      }
      Handler handler;
      synchronized (handlers) {
        handler = handlers.get(endpoint);
      }
      if (handler == null) {
        unimplemented.accept(ex.method + " " + Redaction.target(ex.rawPath) + " (" + endpoint + ")");
        throw new MatrixError(404, "M_UNRECOGNIZED", "endpoint " + endpoint + " is not implemented");
      }
      return response(handler.handle(ex));
    } catch (MatrixError e) {
      return error(e);
    }
  }

  /**
   * {@return the response for an HTTP error: its status and a body with {@code errcode} and {@code
   * error}}
   *
   * @param e the error to answer
   */
  public static MockResponse error(MatrixError e) {
    return response(Reply.json(e.status(), e.toBody()));
  }

  /**
   * Turns a reply into a response (with the CORS headers every answer carries).
   *
   * @param reply the reply to send
   * @return the HTTP response with the reply's status, headers and body
   */
  public static MockResponse response(Reply reply) {
    MockResponse.Builder b;
    if (reply.headers.isEmpty() && JSON_TYPE.equals(reply.contentType)) {
      // The common answer: the CORS headers and Content-Type from one prebuilt list (same headers,
      // same order as the general path below), and a cached status line.
      b = statusLine(reply.status).headers(JSON_HEADERS);
    } else {
      b = cors(statusLine(reply.status));
      b.setHeader("Content-Type", reply.contentType);
      for (Map.Entry<String, String> h : reply.headers.entrySet()) {
        b.setHeader(h.getKey(), h.getValue());
      }
    }
    if (reply.bytes != null) {
      b.body(new Buffer().write(reply.bytes));
    } else {
      b.body(ResponseJson.buffer(reply.json));
    }
    return b.build();
  }

  /** The answer to a HEAD request: the GET answer's status and headers (Content-Length too), no body. */
  private static MockResponse withoutBody(MockResponse response) {
    String length = response.getHeaders().get("Content-Length");
    MockResponse.Builder b = response.newBuilder().body(new MockResponseBody() {
      @Override
      public long getContentLength() {
        return 0;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) {
        // A HEAD answer has no body.
      }
    });
    if (length != null) {
      b.setHeader("Content-Length", length);
    }
    return b.build();
  }

  /**
   * A builder with the status line of {@code code}: a prebuilt line when the code has a {@link
   * #reasonPhrase} (mockwebserver3's {@code code()} builds one per call, and reading it back parses
   * it), else mockwebserver3's own.
   */
  private static MockResponse.Builder statusLine(int code) {
    String line = code >= 100 && code < STATUS_LINES.length ? STATUS_LINES[code] : null;
    return line != null ? new MockResponse.Builder().status(line) : new MockResponse.Builder().code(code);
  }

  /** The status line of every code with a {@link #reasonPhrase}, by code (built once, not per answer). */
  private static final String[] STATUS_LINES = new String[600];

  static {
    for (int code = 100; code < STATUS_LINES.length; code++) {
      String reason = reasonPhrase(code);
      if (reason != null) {
        STATUS_LINES[code] = "HTTP/1.1 " + code + " " + reason;
      }
    }
  }

  private static final String JSON_TYPE = "application/json";

  /** The headers of a JSON answer without extra headers: CORS and Content-Type (Content-Length comes with the body). */
  private static final Headers JSON_HEADERS =
      cors(new MockResponse.Builder()).removeHeader("Content-Length").setHeader("Content-Type", JSON_TYPE)
          .getHeaders();

  /** The standard reason phrase of an HTTP status code (RFC 9110, 6585), or null for codes not listed. */
  static String reasonPhrase(int code) {
    switch (code) {
      case 200: return "OK";
      case 204: return "No Content";
      case 302: return "Found";
      case 304: return "Not Modified";
      case 307: return "Temporary Redirect";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 409: return "Conflict";
      case 413: return "Content Too Large";
      case 415: return "Unsupported Media Type";
      case 429: return "Too Many Requests";
      case 500: return "Internal Server Error";
      case 502: return "Bad Gateway";
      case 503: return "Service Unavailable";
      case 504: return "Gateway Timeout";
      default: return null;
    }
  }

  private static MockResponse.Builder cors(MockResponse.Builder response) {
    return response
        .addHeader("Access-Control-Allow-Origin", "*")
        .addHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS")
        .addHeader("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization, Date");
  }
}
