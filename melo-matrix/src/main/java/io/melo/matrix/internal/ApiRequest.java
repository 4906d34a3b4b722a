package io.melo.matrix.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;

/**
 * One prepared Matrix request: method, URL (without credentials), body, and how to read the answer.
 * Immutable, so every attempt and every copy sends the same bytes (a send keeps its transaction id).
 */
public final class ApiRequest<T> {

  final String method;
  final HttpUrl url;
  final String logPath;
  final RequestBody body;
  final boolean idempotent;
  final boolean authenticated;
  final boolean authOptional;
  final boolean masquerade;
  final Duration longPoll;
  final boolean retried;
  final List<String> secrets;
  final ResponseReader<T> reader;

  private ApiRequest(Builder builder, ResponseReader<T> reader) {
    this.method = builder.method;
    HttpUrl.Builder url = builder.base.newBuilder();
    for (String segment : builder.segments) {
      url.addEncodedPathSegment(segment);
    }
    for (String[] pair : builder.query) {
      url.addQueryParameter(pair[0], pair[1]);
    }
    this.url = url.build();
    this.logPath = this.url.encodedPath();
    this.body = builder.body;
    this.idempotent = builder.idempotent;
    this.authenticated = builder.authenticated;
    this.authOptional = builder.authOptional;
    this.masquerade = builder.masquerade;
    this.longPoll = builder.longPoll;
    this.retried = builder.retried;
    this.secrets = List.copyOf(builder.secrets);
    this.reader = reader;
  }

  /** The HTTP method. */
  public String method() {
    return method;
  }

  /** The URL without any credential. */
  public HttpUrl url() {
    return url;
  }

  /** Whether repeating the request after it may have been applied is harmless. */
  public boolean idempotent() {
    return idempotent;
  }

  /** What the request looks like in logs: method and encoded path, never the query. */
  @Override
  public String toString() {
    return method + " " + logPath;
  }

  /**
   * Starts a request.
   *
   * @param base the homeserver URL; its path is kept as a prefix
   * @param method the HTTP method
   * @param template a path like {@code /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}};
   *     each {@code {name}} takes the next parameter, encoded as exactly one segment (only
   *     {@code {stateKey}} may be empty)
   * @param params the parameters in order
   */
  public static Builder builder(HttpUrl base, String method, String template, String... params) {
    return new Builder(base, method, template, params);
  }

  /** Collects the parts of a request. */
  public static final class Builder {
    private final HttpUrl base;
    private final String method;
    private final List<String> segments = new ArrayList<>();
    private final List<String[]> query = new ArrayList<>();
    private RequestBody body;
    private boolean idempotent;
    private boolean authenticated = true;
    private boolean authOptional;
    private boolean masquerade = true;
    private Duration longPoll;
    private boolean retried = true;
    private final List<String> secrets = new ArrayList<>();

    private Builder(HttpUrl base, String method, String template, String[] params) {
      this.base = stripTrailingSlash(base);
      this.method = method;
      this.idempotent = method.equals("GET") || method.equals("HEAD");
      if (!template.startsWith("/")) {
        throw new IllegalArgumentException("template must start with '/': " + template);
      }
      int next = 0;
      for (String part : template.substring(1).split("/", -1)) {
        if (part.startsWith("{") && part.endsWith("}")) {
          String name = part.substring(1, part.length() - 1);
          if (next >= params.length) {
            throw new IllegalArgumentException("no value for " + part + " in " + template);
          }
          segments.add(PathEncoder.segment(name, params[next++], name.equals("stateKey")));
        } else {
          segments.add(part);
        }
      }
      if (next != params.length) {
        throw new IllegalArgumentException("too many parameters for " + template);
      }
    }

    private static HttpUrl stripTrailingSlash(HttpUrl base) {
      List<String> path = base.pathSegments();
      if (!path.isEmpty() && path.get(path.size() - 1).isEmpty()) {
        return base.newBuilder().removePathSegment(path.size() - 1).build();
      }
      return base;
    }

    /** Adds a query parameter unless {@code value} is null. */
    public Builder query(String name, Object value) {
      if (value != null) {
        query.add(new String[] {name, String.valueOf(value)});
      }
      return this;
    }

    /** Sets the body. */
    public Builder body(RequestBody body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** Sets a JSON object body. */
    public Builder jsonBody(Json.ObjectWriter members) {
      return body(Json.object(members));
    }

    /** Sets a JSON body from a tree (numbers and key order as they are). */
    public Builder jsonBody(io.melo.matrix.json.JsonObject object) {
      Objects.requireNonNull(object, "object");
      return body(RequestBody.create(object.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), Json.JSON));
    }

    /** Marks the request safe to repeat even after the server may have applied it. */
    public Builder idempotent() {
      this.idempotent = true;
      return this;
    }

    /** Sends the request without credentials (login, register, discovery). */
    public Builder unauthenticated() {
      this.authenticated = false;
      return this;
    }

    /** Sends credentials when the client has them, and works without (alias resolution). */
    public Builder optionalAuth() {
      this.authOptional = true;
      return this;
    }

    /** Leaves out an application service's {@code user_id} (it acts as itself: registration). */
    public Builder noMasquerade() {
      this.masquerade = false;
      return this;
    }

    /**
     * Names a secret the body carries (a password, login, refresh or registration token; null or
     * empty is ignored). The server's error text is scrubbed of it, and the body is never sent again
     * by OkHttp itself, so a redirect cannot carry it to another host.
     */
    public Builder secret(String value) {
      if (value != null && !value.isEmpty()) {
        secrets.add(value);
      }
      return this;
    }

    /**
     * Reports every failure at once instead of asking the client's {@link io.melo.matrix.RetryPolicy}
     * (for a caller with a backoff of its own, such as the sync loop). A rejected token is still
     * renewed and the request repeated once.
     */
    public Builder noRetry() {
      this.retried = false;
      return this;
    }

    /** Marks a long poll: the server may hold it for {@code timeout}. */
    public Builder longPoll(Duration timeout) {
      this.longPoll = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Finishes the request with the reader of its answer. */
    public <T> ApiRequest<T> build(ResponseReader<T> reader) {
      if (body == null && (method.equals("POST") || method.equals("PUT"))) {
        body = Json.object(writer -> {});
      }
      return new ApiRequest<>(this, Objects.requireNonNull(reader, "reader"));
    }

    /** Finishes the request with a JSON decoder for its answer. */
    public <T> ApiRequest<T> decode(Json.Decoder<T> decoder) {
      return build(ResponseReader.json(decoder));
    }
  }
}
