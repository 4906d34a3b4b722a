package io.melo.matrix;

import io.melo.matrix.internal.DefaultHttp;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Settings of {@link MatrixClient}s talking to one homeserver. Immutable and validated;
 * {@link #toBuilder()} derives variants. Holds no secret: credentials are given to the client.
 *
 * @param homeserver the homeserver's base URL, such as {@code https://matrix.example.org/}
 * @param http the HTTP client every request goes through; clients derived from it share its pools
 * @param callbackExecutor where {@link MatrixCallback}s and futures complete
 * @param retryPolicy when to repeat a failed request that is safe to repeat
 * @param maxResponseBytes the largest response body accepted; larger ones fail with
 *     {@link MatrixProtocolException}
 * @param allowInsecureHttp whether plain {@code http://} is allowed for a host other than loopback
 * @param clock time and delays, replaceable in tests
 * @param longPollMargin how much longer than a long poll's own timeout the client waits for its
 *     answer before giving up
 */
public record MatrixConfig(
    HttpUrl homeserver,
    OkHttpClient http,
    Executor callbackExecutor,
    RetryPolicy retryPolicy,
    long maxResponseBytes,
    boolean allowInsecureHttp,
    MatrixClock clock,
    Duration longPollMargin) {

  /** The default cap on response bodies: 32 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

  /**
   * Validates every setting.
   *
   * @param homeserver the homeserver's base URL, such as {@code https://matrix.example.org/}
   * @param http the HTTP client every request goes through; clients derived from it share its pools
   * @param callbackExecutor where {@link MatrixCallback}s and futures complete
   * @param retryPolicy when to repeat a failed request that is safe to repeat
   * @param maxResponseBytes the largest response body accepted; larger ones fail with
   *     {@link MatrixProtocolException}
   * @param allowInsecureHttp whether plain {@code http://} is allowed for a host other than
   *     loopback
   * @param clock time and delays, replaceable in tests
   * @param longPollMargin how much longer than a long poll's own timeout the client waits for its
   *     answer before giving up
   */
  public MatrixConfig {
    Objects.requireNonNull(homeserver, "homeserver");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(callbackExecutor, "callbackExecutor");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(longPollMargin, "longPollMargin");
    if (!homeserver.isHttps() && !allowInsecureHttp && !isLoopback(homeserver.host())) {
      throw new IllegalArgumentException(
          "homeserver uses plain http:// for " + homeserver.host()
              + ", which is not a loopback host; use https:// or allowInsecureHttp(true)");
    }
    if (homeserver.query() != null || homeserver.fragment() != null) {
      throw new IllegalArgumentException(
          "homeserver must have no query or fragment, was: " + homeserver.redact());
    }
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException(
          "maxResponseBytes must be at least 1024, was: " + maxResponseBytes);
    }
    if (longPollMargin.isNegative()) {
      throw new IllegalArgumentException("longPollMargin must not be negative, was: " + longPollMargin);
    }
  }

  /**
   * Starts a configuration for the homeserver at {@code homeserver}.
   *
   * @param homeserver the base URL, such as {@code https://matrix.example.org}; not null
   * @return the builder
   * @throws IllegalArgumentException if it is not an http(s) URL
   */
  public static Builder builder(String homeserver) {
    Objects.requireNonNull(homeserver, "homeserver");
    HttpUrl url = HttpUrl.parse(homeserver);
    if (url == null) {
      throw new IllegalArgumentException("homeserver must be an http(s) URL, was: " + homeserver);
    }
    return builder(url);
  }

  /**
   * Starts a configuration for the homeserver at {@code homeserver}.
   *
   * @param homeserver the base URL; not null
   * @return the builder
   */
  public static Builder builder(HttpUrl homeserver) {
    return new Builder(homeserver);
  }

  /** {@return a builder holding this configuration's settings} */
  public Builder toBuilder() {
    Builder builder = new Builder(homeserver);
    builder.http = http;
    builder.callbackExecutor = callbackExecutor;
    builder.retryPolicy = retryPolicy;
    builder.maxResponseBytes = maxResponseBytes;
    builder.allowInsecureHttp = allowInsecureHttp;
    builder.clock = clock;
    builder.longPollMargin = longPollMargin;
    return builder;
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.endsWith(".localhost")
        || host.equals("::1")
        || host.startsWith("127.") && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /** Collects settings for a {@link MatrixConfig}. Not thread-safe. */
  public static final class Builder {
    private HttpUrl homeserver;
    private OkHttpClient http;
    private Executor callbackExecutor = Runnable::run;
    private RetryPolicy retryPolicy = RetryPolicy.standard();
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private boolean allowInsecureHttp;
    private MatrixClock clock = MatrixClock.SYSTEM;
    private Duration longPollMargin = Duration.ofSeconds(30);

    private Builder(HttpUrl homeserver) {
      homeserver(homeserver);
    }

    /**
     * The homeserver's base URL; a path in it is kept as a prefix of every endpoint.
     *
     * @param homeserver the base URL; not null. A query or fragment fails {@link #build()}
     * @return this builder
     */
    public Builder homeserver(HttpUrl homeserver) {
      this.homeserver = Objects.requireNonNull(homeserver, "homeserver");
      return this;
    }

    /**
     * The HTTP client to share. Clients derive variants from it with {@code newBuilder()}, so its
     * connection pool and interceptors are shared. Every variant refuses redirects between https
     * and http ({@code followSslRedirects(false)}); requests that must not be repeated go through a
     * variant with {@code retryOnConnectionFailure(false)} (OkHttp would otherwise re-send a POST
     * whose pooled connection broke), and long polls through a variant with a dispatcher of their own
     * and a longer read timeout. Mind that a logging interceptor of this client sees the
     * {@code Authorization} header. Default: one client shared by every configuration that sets
     * none (its dispatcher uses daemon threads).
     *
     * @param http the client to derive from; not null
     * @return this builder
     */
    public Builder http(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * Where callbacks run and futures complete. Default: directly on the thread that finished the
     * request (an OkHttp thread), so callbacks must not block; set an executor to move them.
     *
     * @param callbackExecutor the executor; not null
     * @return this builder
     */
    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
      return this;
    }

    /**
     * When to retry. Default: {@link RetryPolicy#standard()}.
     *
     * @param retryPolicy the policy; not null
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * The largest response body accepted, in bytes (at least 1024). Default: 32 MiB.
     *
     * @param maxResponseBytes the limit in bytes; below 1024 fails {@link #build()}
     * @return this builder
     */
    public Builder maxResponseBytes(long maxResponseBytes) {
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /**
     * Allows plain {@code http://} for hosts other than loopback (tokens then cross the network in
     * clear text). Default: false; loopback hosts are always allowed.
     *
     * @param allowInsecureHttp true to allow plain {@code http://} to any host
     * @return this builder
     */
    public Builder allowInsecureHttp(boolean allowInsecureHttp) {
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    /**
     * Time and delays. Default: {@link MatrixClock#SYSTEM}.
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(MatrixClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Added to a long poll's timeout to get its HTTP read timeout (not negative). It must cover the
     * time the server needs to compute its answer after the poll's timeout (an initial sync of a big
     * account can take many seconds) and bounds how long a silently dead connection goes unnoticed.
     * Default: 30 s.
     *
     * @param longPollMargin the margin; negative fails {@link #build()}
     * @return this builder
     */
    public Builder longPollMargin(Duration longPollMargin) {
      this.longPollMargin = Objects.requireNonNull(longPollMargin, "longPollMargin");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if a setting is invalid, such as {@code http://} to a remote
     *     host without {@link #allowInsecureHttp(boolean)}
     */
    public MatrixConfig build() {
      return new MatrixConfig(
          homeserver,
          http != null ? http : DefaultHttp.client(),
          callbackExecutor,
          retryPolicy,
          maxResponseBytes,
          allowInsecureHttp,
          clock,
          longPollMargin);
    }
  }
}
