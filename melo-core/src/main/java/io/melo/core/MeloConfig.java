package io.melo.core;

import io.melo.core.event.MeloListener;
import io.melo.core.internal.MeloExecutors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import io.melo.matrix.CredentialsProvider;
import io.melo.matrix.MatrixClock;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.sync.SyncRuntime;
import io.melo.matrix.sync.SyncStore;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Settings of one Melo client. Immutable and validated; {@link #toBuilder()} derives a variant.
 * Many clients in one process (a backend acting for many users) should share one {@link
 * OkHttpClient}, the default executors and the sync runtime, so that connections, the event thread,
 * the call pool and the sync threads are shared: a client's waiting long poll holds no thread (it
 * is carried by melo-matrix's process-wide {@code LongPollTransport}, one selector thread for every
 * poll; a proxied {@link OkHttpClient} falls back to a thread per poll), and its batches are
 * handled on the {@link SyncRuntime}'s few workers.
 *
 * @param homeserver the homeserver's base URL; while {@code serverName} is present, the URL whose
 *     {@code /.well-known/matrix/client} names it ({@code https://<server name>}, or {@code http://}
 *     for a loopback host)
 * @param namespace the custom-event namespace, {@code io.melo} by default; an app with its own
 *     prefix (such as {@code io.haos}) sets it and interoperates only with apps using the same one
 * @param eventExecutor runs listeners and {@link MeloCallback}s, one event at a time, in order
 * @param callExecutor runs background calls ({@link MeloCall#enqueue}, {@link MeloCall#future})
 * @param http the shared HTTP client, or empty to let the client create its own
 * @param store where the client keeps its sync position (and event sequence) between runs, or empty
 *     for memory only; a store belongs to one user, so a config with a store serves one client
 * @param inviteResolver how invite codes are resolved, or empty for the homeserver alias lookup
 * @param credentialsProvider how a client gets new credentials when the homeserver rejects its
 *     access token and its refresh token (if any) cannot renew it, or empty for none
 * @param sessionListener told about every new session of a client (to persist it), or empty
 * @param syncRuntime the threads the client's sync loop runs on, shared by every client given the
 *     same runtime
 * @param maxResponseBytes the largest answer a client accepts from the homeserver, in bytes (a
 *     larger {@code /sync} answer stops the client with {@link
 *     io.melo.matrix.ResponseTooLargeException})
 * @param listeners listeners every client built from these settings has from the start, before its
 *     first sync (an event's {@link io.melo.core.event.MeloEvent#client()} tells the clients apart)
 * @param serverName the Matrix server name whose homeserver is still to be discovered (see
 *     {@link Builder#serverName}), or empty when {@code homeserver} is the base URL to use as it is
 * @param allowInsecureHttp whether plain {@code http://} is allowed to a host other than loopback
 *     (tokens and passwords then cross the network in clear text)
 * @param clock time and delays of the client's requests (retry waits, when an access token is
 *     renewed before it expires); {@link MatrixClock#SYSTEM} unless a test replaces it
 */
public record MeloConfig(
    HttpUrl homeserver,
    String namespace,
    Executor eventExecutor,
    Executor callExecutor,
    Optional<OkHttpClient> http,
    Optional<SyncStore> store,
    Optional<InviteResolver> inviteResolver,
    Optional<CredentialsProvider> credentialsProvider,
    Optional<SessionListener> sessionListener,
    SyncRuntime syncRuntime,
    long maxResponseBytes,
    List<MeloListener> listeners,
    Optional<String> serverName,
    boolean allowInsecureHttp,
    MatrixClock clock) {

  /** The namespace Melo uses unless told otherwise. */
  public static final String DEFAULT_NAMESPACE = "io.melo";

  /**
   * Validates the settings.
   *
   * @param homeserver the homeserver's base URL
   * @param namespace the custom-event namespace, {@code io.melo} by default; an app with its own
   *     prefix (such as {@code io.haos}) sets it and interoperates only with apps using the same
   *     one
   * @param eventExecutor runs listeners and {@link MeloCallback}s, one event at a time, in order
   * @param callExecutor runs background calls ({@link MeloCall#enqueue}, {@link MeloCall#future})
   * @param http the shared HTTP client, or empty to let the client create its own
   * @param store where the client keeps its sync position (and event sequence) between runs, or
   *     empty for memory only; a store belongs to one user, so a config with a store serves one
   *     client
   * @param inviteResolver how invite codes are resolved, or empty for the homeserver alias lookup
   * @param credentialsProvider how a client gets new credentials when the homeserver rejects its
   *     access token and its refresh token (if any) cannot renew it, or empty for none
   * @param sessionListener told about every new session of a client (to persist it), or empty
   * @param syncRuntime the threads the client's sync loop runs on, shared by every client given the
   *     same runtime
   * @param maxResponseBytes the largest answer a client accepts from the homeserver, in bytes (a
   *     larger {@code /sync} answer stops the client with {@link
   *     io.melo.matrix.ResponseTooLargeException})
   * @param listeners listeners every client built from these settings has from the start, before
   *     its first sync (an event's {@link io.melo.core.event.MeloEvent#client()} tells the clients
   *     apart)
   * @param serverName the Matrix server name whose homeserver is still to be discovered, or empty
   *     when {@code homeserver} is the base URL to use as it is
   * @param allowInsecureHttp whether plain {@code http://} is allowed to a host other than loopback
   * @param clock time and delays of the client's requests
   * @throws IllegalArgumentException naming the bad setting, for example {@code "namespace must
   *     look like io.melo, was: Melo!"}
   */
  public MeloConfig {
    Objects.requireNonNull(homeserver, "homeserver");
    Check.namespace(namespace);
    Objects.requireNonNull(eventExecutor, "eventExecutor");
    Objects.requireNonNull(callExecutor, "callExecutor");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(inviteResolver, "inviteResolver");
    Objects.requireNonNull(credentialsProvider, "credentialsProvider");
    Objects.requireNonNull(sessionListener, "sessionListener");
    Objects.requireNonNull(syncRuntime, "syncRuntime");
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was: " + maxResponseBytes);
    }
    listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
    Objects.requireNonNull(serverName, "serverName");
    serverName.ifPresent(name -> Check.serverName(name, "serverName"));
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * Validates the settings, with the system clock: the constructor of the settings before they had
   * a clock, kept for code that calls it.
   *
   * @param homeserver the homeserver's base URL
   * @param namespace the custom-event namespace
   * @param eventExecutor runs listeners and callbacks
   * @param callExecutor runs background calls
   * @param http the shared HTTP client, or empty
   * @param store where the client keeps its sync position, or empty
   * @param inviteResolver how invite codes are resolved, or empty
   * @param credentialsProvider how a client gets new credentials, or empty
   * @param sessionListener told about every new session, or empty
   * @param syncRuntime the threads the client's sync loop runs on
   * @param maxResponseBytes the largest answer a client accepts, in bytes
   * @param listeners listeners every client has from the start
   * @param serverName the server name still to discover, or empty
   * @param allowInsecureHttp whether plain {@code http://} is allowed to a host other than loopback
   * @throws IllegalArgumentException naming the bad setting
   */
  public MeloConfig(HttpUrl homeserver, String namespace, Executor eventExecutor, Executor callExecutor,
      Optional<OkHttpClient> http, Optional<SyncStore> store, Optional<InviteResolver> inviteResolver,
      Optional<CredentialsProvider> credentialsProvider, Optional<SessionListener> sessionListener,
      SyncRuntime syncRuntime, long maxResponseBytes, List<MeloListener> listeners, Optional<String> serverName,
      boolean allowInsecureHttp) {
    this(homeserver, namespace, eventExecutor, callExecutor, http, store, inviteResolver, credentialsProvider,
        sessionListener, syncRuntime, maxResponseBytes, listeners, serverName, allowInsecureHttp, MatrixClock.SYSTEM);
  }

  /**
   * A builder for a client of the Matrix server {@code serverName} (such as {@code example.org}),
   * whose homeserver is discovered when a client logs in: see {@link Builder#serverName}.
   *
   * @param serverName a Matrix server name: host name, IPv4 or bracketed IPv6, optional port
   * @return the builder
   */
  public static Builder forServerName(String serverName) {
    return new Builder().serverName(serverName);
  }

  /**
   * A builder for a client of the server that {@code userId} names ({@code @alice:example.org}
   * implies {@code example.org}), whose homeserver is discovered when a client logs in: see
   * {@link Builder#serverName}.
   *
   * @param userId a full Matrix user id
   * @return the builder
   * @throws IllegalArgumentException if it is not a user id with a valid server name
   */
  public static Builder forUser(String userId) {
    Check.userId(userId, "userId");
    int colon = userId.indexOf(':');
    if (colon < 2) {
      throw new IllegalArgumentException("userId must be a user id like @alice:example.org, was: " + userId);
    }
    return new Builder().serverName(userId.substring(colon + 1));
  }

  /**
   * Whether the homeserver is still to be discovered from {@link #serverName()} (a client logging
   * in does it; {@link MeloClient#discover} does it once for many clients).
   *
   * @return true while {@link #homeserver()} is only where the discovery document is read
   */
  public boolean needsDiscovery() {
    return serverName.isPresent();
  }

  /**
   * {@return a builder for a client of the homeserver at {@code homeserverUrl}, such as {@code
   * https://matrix.example.org}}
   *
   * @param homeserverUrl the base URL; not an http(s) URL is an {@link IllegalArgumentException}
   */
  public static Builder builder(String homeserverUrl) {
    return new Builder().homeserver(homeserverUrl);
  }

  /**
   * {@return a builder for a client of the homeserver at {@code homeserver}}
   *
   * @param homeserver the base URL; not null
   */
  public static Builder builder(HttpUrl homeserver) {
    return new Builder().homeserver(homeserver);
  }

  /** {@return a builder holding these settings} */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.homeserver = homeserver;
    builder.namespace = namespace;
    builder.eventExecutor = eventExecutor;
    builder.callExecutor = callExecutor;
    builder.http = http.orElse(null);
    builder.store = store.orElse(null);
    builder.inviteResolver = inviteResolver.orElse(null);
    builder.credentialsProvider = credentialsProvider.orElse(null);
    builder.sessionListener = sessionListener.orElse(null);
    builder.syncRuntime = syncRuntime;
    builder.maxResponseBytes = maxResponseBytes;
    builder.listeners.addAll(listeners);
    builder.serverName = serverName.orElse(null);
    builder.allowInsecureHttp = allowInsecureHttp;
    builder.clock = clock;
    return builder;
  }

  /** Builds a {@link MeloConfig}; each setter documents its default and rejects bad input by name. */
  public static final class Builder {

    private HttpUrl homeserver;
    private String namespace = DEFAULT_NAMESPACE;
    private Executor eventExecutor;
    private Executor callExecutor;
    private OkHttpClient http;
    private SyncStore store;
    private InviteResolver inviteResolver;
    private CredentialsProvider credentialsProvider;
    private SessionListener sessionListener;
    private SyncRuntime syncRuntime;
    private long maxResponseBytes = MatrixConfig.DEFAULT_MAX_RESPONSE_BYTES;
    private final List<MeloListener> listeners = new ArrayList<>();
    private String serverName;
    private boolean allowInsecureHttp;
    private MatrixClock clock = MatrixClock.SYSTEM;

    private Builder() {}

    /**
     * The homeserver's base URL, used as it is (no discovery; {@link MeloClient#discover} still
     * follows the URL host's {@code .well-known} on request). Replaces a {@link #serverName}. No
     * default: set this or a server name.
     *
     * @param url the base URL, such as {@code https://matrix.example.org}
     * @return this builder
     *
     * @throws IllegalArgumentException if it is not an http or https URL
     */
    public Builder homeserver(String url) {
      Objects.requireNonNull(url, "homeserver");
      HttpUrl parsed = HttpUrl.parse(url);
      if (parsed == null) {
        throw new IllegalArgumentException("homeserver must be an http(s) URL, was: " + url);
      }
      return homeserver(parsed);
    }

    /**
     * The homeserver's base URL, used as it is. Replaces a {@link #serverName}. No default.
     *
     * @param url the base URL, such as {@code https://matrix.example.org}
     * @return this builder
     */
    public Builder homeserver(HttpUrl url) {
      this.homeserver = Objects.requireNonNull(url, "homeserver");
      this.serverName = null;
      return this;
    }

    /**
     * The Matrix server name (the part after the colon of its user ids, such as
     * {@code example.org}) whose homeserver clients discover by the specification's algorithm:
     * {@code https://<server name>/.well-known/matrix/client} names the base URL, which must answer
     * {@code /_matrix/client/versions}; without such a document (404) the server name itself is
     * tried as the base URL. A loopback server name ({@code localhost:8008}, {@code 127.0.0.1})
     * is reached over plain {@code http://}. {@link MeloClient#login} discovers by itself (from the
     * user id's server name when given a full user id, else from this one) and fails with
     * {@link DiscoveryException} when it cannot; the other factories ({@code resume},
     * {@code connect}, {@code asAppService}) need the discovered settings:
     * {@link MeloClient#discover} them once and reuse the result. Replaces a {@link #homeserver}.
     * No default: set this or a homeserver.
     *
     * @param serverName a Matrix server name: host name, IPv4 or bracketed IPv6, optional port
     * @return this builder
     * @throws IllegalArgumentException if it is not a Matrix server name
     */
    public Builder serverName(String serverName) {
      Check.serverName(serverName, "serverName");
      this.homeserver = io.melo.core.internal.Discovery.wellKnownHost(serverName);
      this.serverName = serverName;
      return this;
    }

    /**
     * The custom-event namespace. Default: {@code io.melo}.
     *
     * @param namespace the namespace, such as {@code com.example.chat}
     * @return this builder
     * @throws IllegalArgumentException unless it looks like {@code io.melo}: lower-case
     *     reverse-DNS, two parts or more, not Matrix's {@code m.} namespace
     */
    public Builder namespace(String namespace) {
      this.namespace = Check.namespace(namespace);
      return this;
    }

    /**
     * Runs listeners and callbacks. Melo hands it one event at a time per client, in order, even
     * when it is a pool. Default: a pool of four daemon threads, "Melo events", shared by every
     * client that keeps the default: a slow listener holds one of them (its own client's later
     * events wait for it), and clients with a long backlog take turns; pass your own executor to
     * isolate a client completely.
     *
     * @param executor the executor; not null
     * @return this builder
     */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = Objects.requireNonNull(executor, "eventExecutor");
      return this;
    }

    /**
     * Runs background calls. Default: a cached pool of daemon threads shared by every client
     * that keeps the default.
     *
     * @param executor the executor; not null
     * @return this builder
     */
    public Builder callExecutor(Executor executor) {
      this.callExecutor = Objects.requireNonNull(executor, "callExecutor");
      return this;
    }

    /**
     * The HTTP client to share; each client derives its own with {@code newBuilder()}, which
     * shares its connection pool and dispatcher. Default: none, the client creates its own.
     *
     * @param shared the client to derive from; not null
     * @return this builder
     */
    public Builder http(OkHttpClient shared) {
      this.http = Objects.requireNonNull(shared, "http");
      return this;
    }

    /**
     * Where the client keeps its sync position between runs: melo-matrix's {@code FileSyncStore}
     * survives restarts (written atomically), so a restarted client resumes where it stopped and
     * neither loses nor repeats events. Default: memory only, a new client starts afresh.
     *
     * @param store the store; not null
     * @return this builder
     */
    public Builder store(SyncStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How {@code joinServer} finds the space an invite code points to. Default: the code's alias
     * on the homeserver ({@code GET /directory/room/#<ns>.invite.<code>:<server>}).
     *
     * @param resolver the resolver; not null
     * @return this builder
     */
    public Builder inviteResolver(InviteResolver resolver) {
      this.inviteResolver = Objects.requireNonNull(resolver, "inviteResolver");
      return this;
    }

    /**
     * How a client gets new credentials when the homeserver rejects its access token
     * ({@code M_UNKNOWN_TOKEN}) and the session's refresh token cannot renew it: there is none,
     * the server refused it, or the logout was hard ({@code soft_logout} false, when the
     * specification forbids refreshing). The provider usually logs in again
     * ({@link CredentialsProvider#renew} documents its threading rules); the client asks it once
     * for all the requests that failed together and repeats them with the new token. If it fails,
     * those requests and every later one fail with {@link LoggedOutException} and the sync loop
     * stops in {@code FAILED}. The new session keeps the refresh token the returned credentials
     * carry ({@code LoginResponse.credentials()} carries the login's; else
     * {@code MatrixCredentials.withRefreshToken}), so the next expiry is refreshed without asking
     * the provider. It must log in as the client's user: another user ends the client with a
     * {@link LoggedOutException} caused by {@link UserMismatchException}. Default: none, a
     * rejected session that its refresh token cannot renew ends the client with
     * {@link LoggedOutException}.
     *
     * @param provider the provider; not null
     * @return this builder
     */
    public Builder credentialsProvider(CredentialsProvider provider) {
      this.credentialsProvider = Objects.requireNonNull(provider, "credentialsProvider");
      return this;
    }

    /**
     * Logs in again with this password when the session cannot be renewed otherwise (see {@link
     * #credentialsProvider}), as the session's user, asking for a refresh token that later
     * renewals then use. A soft logout logs in on the same device; a hard logout (the server
     * destroyed the session) as a new device. For bots and services that own their password: a
     * config with it serves one user. The password stays in memory and is never printed.
     * Replaces any {@link #credentialsProvider}. Default: none.
     *
     * @param password the account's password; empty is an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder reLoginWithPassword(String password) {
      Objects.requireNonNull(password, "password");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty");
      }
      this.credentialsProvider = new io.melo.core.internal.PasswordRelogin(password);
      return this;
    }

    /**
     * Told about every new session of a client: after {@code login} and after each renewal,
     * before the new tokens are used (see {@link SessionListener}). Persist it there to resume
     * later. Default: none.
     *
     * @param listener the listener; not null
     * @return this builder
     */
    public Builder onSessionChanged(SessionListener listener) {
      this.sessionListener = Objects.requireNonNull(listener, "sessionListener");
      return this;
    }

    /**
     * The threads the client's sync loop runs on: its batches are parsed into the cache and turned
     * into events on the runtime's workers, one batch at a time per client, and its backoff waits
     * are the runtime's timers. Default: {@link SyncRuntime#shared()}, a few daemon threads for the
     * whole process. Pass a runtime of your own ({@link SyncRuntime#create(int)}) to keep a group
     * of clients apart from others; close it after closing its clients.
     *
     * @param runtime the runtime; not null
     * @return this builder
     */
    public Builder syncRuntime(SyncRuntime runtime) {
      this.syncRuntime = Objects.requireNonNull(runtime, "syncRuntime");
      return this;
    }

    /**
     * The largest answer a client accepts from the homeserver, in bytes. Default: melo-matrix's
     * {@link MatrixConfig#DEFAULT_MAX_RESPONSE_BYTES} (32 MiB). An initial sync of an account in
     * very many rooms can be larger: such a client stops in {@code FAILED} with a
     * {@link io.melo.matrix.ResponseTooLargeException} naming the cap, and a larger cap lets it
     * through (the initial sync is streamed into the cache, so the cap bounds the download, not
     * the heap it takes).
     *
     * @param maxResponseBytes the limit in bytes; below 1024 is an {@link IllegalArgumentException}
     * @return this builder
     * @throws IllegalArgumentException if below 1024
     */
    public Builder maxResponseBytes(long maxResponseBytes) {
      if (maxResponseBytes < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was: " + maxResponseBytes);
      }
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /**
     * Adds a listener that every client built from these settings has from the start: it is
     * subscribed to all events before the client's sync loop starts, so it sees the first batch
     * after a restart too (news from while the client was down), which a listener added with {@link
     * MeloClient#addListener} after {@code login}/{@code resume} returned can miss. Listeners run
     * on the event executor in the order added. Default: none.
     *
     * @param listener the listener; not null
     * @return this builder
     */
    public Builder listener(MeloListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Allows plain {@code http://} to a homeserver on a host other than loopback (a base URL, or
     * one that discovery finds). Access tokens, refresh tokens and passwords then cross the
     * network in clear text: for a private network or a test setup only. Default: false, such a
     * URL is refused (by the client factories, and by discovery with
     * {@link DiscoveryException.Reason#INVALID_WELL_KNOWN}); loopback hosts are always allowed.
     *
     * @param allow whether to allow it
     * @return this builder
     */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /**
     * Time and delays of the client's requests: the waits between retries, and when an access token
     * that expires is renewed (shortly before its {@code expires_in_ms} runs out, see {@link
     * MeloClient#resume}). Default: {@link MatrixClock#SYSTEM}; tests pass a clock they move.
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(MatrixClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalStateException if neither a homeserver nor a server name was set
     */
    public MeloConfig build() {
      if (homeserver == null) {
        throw new IllegalStateException("homeserver is not set (set homeserver(url) or serverName(name))");
      }
      return new MeloConfig(
          homeserver,
          namespace,
          eventExecutor != null ? eventExecutor : MeloExecutors.events(),
          callExecutor != null ? callExecutor : MeloExecutors.calls(),
          Optional.ofNullable(http),
          Optional.ofNullable(store),
          Optional.ofNullable(inviteResolver),
          Optional.ofNullable(credentialsProvider),
          Optional.ofNullable(sessionListener),
          syncRuntime != null ? syncRuntime : SyncRuntime.shared(),
          maxResponseBytes,
          listeners,
          Optional.ofNullable(serverName),
          allowInsecureHttp,
          clock);
    }
  }
}
