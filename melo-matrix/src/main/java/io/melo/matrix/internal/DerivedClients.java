package io.melo.matrix.internal;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The OkHttpClient variants one shared client needs, derived once and shared by every MatrixClient
 * built on it (they share its connection pool and interceptors). The cache holds the shared client
 * weakly: the variants do not reference it.
 *
 * <ul>
 *   <li>{@link #standard()}: {@code followSslRedirects(false)}, so a redirect can never move a
 *       request (and its body, such as a refresh token) from https to plain http. Every variant
 *       below is derived from it.
 *   <li>{@link #nonRetrying()}: {@code retryOnConnectionFailure(false)}. OkHttp's own recovery
 *       re-sends a request whose connection failed, even after the request was written (a stale
 *       pooled connection), unless the body is one-shot. Non-idempotent calls use this client and a
 *       one-shot body, so OkHttp never repeats them; melo's retry logic decides instead.
 *   <li>{@link #longPoll(Duration)}: its own {@link Dispatcher} without per-host limit (OkHttp's
 *       default admits 5 async calls per host and 64 in all, so 200 waiting {@code /sync} polls
 *       would starve every other request), and a read timeout of the poll's timeout plus margin.
 * </ul>
 */
final class DerivedClients {

  private static final Map<OkHttpClient, DerivedClients> CACHE = new WeakHashMap<>();

  private final OkHttpClient standard;
  private final OkHttpClient nonRetrying;
  private final OkHttpClient longPollBase;
  private final Map<Long, OkHttpClient> longPolls = new ConcurrentHashMap<>();

  private DerivedClients(OkHttpClient base) {
    this.standard = base.newBuilder().followSslRedirects(false).build();
    this.nonRetrying = standard.newBuilder().retryOnConnectionFailure(false).build();
    Dispatcher dispatcher = new Dispatcher(DefaultHttp.daemonPool("melo-matrix-longpoll"));
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.longPollBase = standard.newBuilder().dispatcher(dispatcher).build();
  }

  /** The variants of {@code base}, created on first use. */
  static DerivedClients of(OkHttpClient base) {
    synchronized (CACHE) {
      return CACHE.computeIfAbsent(base, DerivedClients::new);
    }
  }

  OkHttpClient standard() {
    return standard;
  }

  OkHttpClient nonRetrying() {
    return nonRetrying;
  }

  /**
   * The long-poll client whose read timeout is {@code readTimeout}. The few timeouts an app uses are
   * cached; beyond {@link #MAX_CACHED_TIMEOUTS} distinct ones a variant is built per call (cheap:
   * it shares the pools and the dispatcher).
   */
  OkHttpClient longPoll(Duration readTimeout) {
    long millis = Math.max(1, readTimeout.toMillis());
    OkHttpClient cached = longPolls.get(millis);
    if (cached != null) {
      return cached;
    }
    OkHttpClient variant = longPollBase.newBuilder().readTimeout(Duration.ofMillis(millis)).build();
    if (longPolls.size() < MAX_CACHED_TIMEOUTS) {
      longPolls.putIfAbsent(millis, variant);
    }
    return variant;
  }

  /** How many distinct long-poll read timeouts are cached per shared client. */
  static final int MAX_CACHED_TIMEOUTS = 16;

  /** The long-poll dispatcher (for tests). */
  Dispatcher longPollDispatcher() {
    return longPollBase.dispatcher();
  }
}
