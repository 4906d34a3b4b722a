package io.melo.testkit;

import io.melo.testkit.http.ClientEndpoints;
import io.melo.testkit.http.Exchange;
import io.melo.testkit.http.MatrixDispatcher;
import io.melo.testkit.http.NoDelayServerSocketFactory;
import io.melo.testkit.http.Redaction;
import io.melo.testkit.http.StaticEndpoints;
import io.melo.testkit.model.Appservice;
import io.melo.testkit.model.Clock;
import io.melo.testkit.model.Credentials;
import io.melo.testkit.model.Homeserver;
import io.melo.testkit.model.HomeserverConfig;
import io.melo.testkit.model.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * An in-process Matrix homeserver for tests: real accounts, rooms, authorization rules and long-poll
 * sync behind the Client-Server API, served by mockwebserver3 on loopback. Any Matrix client can use
 * it; tests also seed and inspect its state directly, fault-inject requests and read what reached the
 * wire.
 *
 * <pre>{@code
 * try (FakeHomeserver hs = FakeHomeserver.start()) {
 *   TestUser alice = hs.register("alice");
 *   String lobby = alice.createRoom(room -> room.name("lobby"));
 *   // point a client at hs.baseUrl() ...
 * }
 * }</pre>
 *
 * <p>By default the server is <em>strict</em>: a request to an endpoint it does not implement is
 * answered 404 {@code M_UNRECOGNIZED} and also fails {@link #verify()}, as does an armed fault that
 * never fired and any unexpected server error. {@link #close()} stops the server, releases every
 * blocked request (long polls, stalls) and then verifies. Thread-safe.
 */
public final class FakeHomeserver implements AutoCloseable {
  private final Builder options;
  private final MockWebServer server = new MockWebServer();
  private final NoDelayServerSocketFactory socketFactory = new NoDelayServerSocketFactory();
  private final MatrixDispatcher dispatcher = new MatrixDispatcher();
  private final Faults faults = new Faults();
  private final ArrayDeque<RecordedCall> recorded = new ArrayDeque<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong sequence = new AtomicLong();
  private final HomeserverConfig config;
  private volatile Homeserver model;
  private volatile boolean closed;

  private FakeHomeserver(Builder options) {
    this.options = options.copy(); // later changes to the builder do not reach a running server
    HomeserverConfig.Builder config = HomeserverConfig.builder()
        .serverName(options.serverName)
        .clock(options.clock != null ? options.clock : Clock.system())
        .accessTokenLifetime(options.accessTokenLifetime)
        .maxUploadBytes(options.maxUploadBytes)
        .mediaStoreBytes(Math.max(options.mediaStoreBytes, options.maxUploadBytes))
        .presenceIdleTimeout(options.presenceIdleTimeout)
        .presenceOfflineTimeout(options.presenceOfflineTimeout);
    for (Appservice as : options.appservices) {
      config.appservice(as);
    }
    this.config = config.build();
    this.model = new Homeserver(this.config);
  }

  /**
   * Starts a server with the default options: loopback, a free port, server name {@code localhost},
   * strict.
   *
   * @return the started server; close it to stop it
   */
  public static FakeHomeserver start() {
    return builder().start();
  }

  /**
   * Options for a server; {@link Builder#start()} starts it.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  private FakeHomeserver startServer() {
    dispatcher.limits(options.maxJsonBytes, options.maxUploadBytes);
    dispatcher.onUnimplemented(what -> {
      if (options.strict) {
        violations.add("request to an endpoint the fake does not implement: " + what);
      }
    });
    dispatcher.onInternalError(e -> violations.add("unexpected server error: " + e));
    StaticEndpoints.install(dispatcher, this::baseUrl);
    ClientEndpoints.install(dispatcher, this::model, options.turnServer);
    dispatcher.addInterceptor(this::record);
    dispatcher.addInterceptor(faults.interceptor());
    dispatcher.onClose(faults::shutdown);
    dispatcher.onClose(() -> model.close());
    server.setServerSocketFactory(socketFactory);
    dispatcher.peerAddresses(socketFactory::peerAddress);
    server.setDispatcher(dispatcher);
    server.setBodyLimit(dispatcher.largestBody() + 1);
    try {
      server.start(InetAddress.getByName(options.host), options.port);
    } catch (IOException e) {
      shutdown();
      throw new UncheckedIOException("could not start the fake homeserver on " + options.host + ":"
          + options.port + ": " + e.getMessage(), e);
    }
    return this;
  }

  private MockResponse record(Exchange ex) throws InterruptedException {
    MockResponse response = ex.proceed();
    if (options.maxRecorded == 0) {
      return response;
    }
    Object fault = ex.attachment();
    boolean dropped = "DROP_BEFORE".equals(fault) || "DROP_AFTER".equals(fault);
    RecordedCall call = new RecordedCall(sequence.incrementAndGet(), ex.method(), Redaction.target(ex.target()),
        ex.endpoint(), Redaction.body(ex.body(), ex.endpoint() == Endpoint.MEDIA_UPLOAD
            || ex.endpoint() == Endpoint.MEDIA_UPLOAD_TO),
        dropped ? 0 : response.getCode(), fault == null ? null : fault.toString());
    synchronized (recorded) {
      recorded.addLast(call);
      while (recorded.size() > options.maxRecorded) {
        recorded.removeFirst();
      }
    }
    return response;
  }

  /** {@return the reports of events, rooms and users clients made so far, in order} */
  public List<Report> reports() {
    return model.reports();
  }

  /**
   * {@return the base URL clients use, for example {@code http://127.0.0.1:40123} (no trailing
   * slash)}
   */
  public String baseUrl() {
    String host = options.host.contains(":") ? "[" + options.host + "]" : options.host;
    return "http://" + host + ":" + server.getPort();
  }

  /** {@return the port the server listens on} */
  public int port() {
    return server.getPort();
  }

  /** {@return the server name in user ids and room aliases, for example {@code localhost}} */
  public String serverName() {
    return options.serverName;
  }

  /**
   * {@return the server's clock: {@code origin_server_ts}, token and typing expiry, and long-poll
   * timeouts read it} With a {@link Builder#clock(Clock) manual clock}, {@link
   * Clock#advance(Duration)} ends long polls and expires tokens without any real waiting.
   */
  public Clock clock() {
    return config.clock();
  }

  /**
   * {@return the server's state, for what the helpers here do not cover} Replaced by {@link
   * #reset()}: do not keep it across a reset.
   */
  public Homeserver model() {
    return model;
  }

  /**
   * Registers an account with one logged-in device, without HTTP; the password is
   * {@code <localpart>-password}.
   *
   * @param localpart the user's localpart, for example {@code alice}
   * @return the new user, logged in
   * @throws io.melo.testkit.model.MatrixError for an invalid or taken localpart
   */
  public TestUser register(String localpart) {
    return register(localpart, localpart + "-password");
  }

  /**
   * Registers an account with this password and one logged-in device, without HTTP.
   *
   * @param localpart the user's localpart, for example {@code alice}; not null
   * @param password the password to log in with later; not null
   * @return the new user, logged in
   */
  public TestUser register(String localpart, String password) {
    Objects.requireNonNull(localpart, "localpart");
    Objects.requireNonNull(password, "password");
    Credentials c = model.registerUser(localpart, password);
    return new TestUser(this, c.userId(), c.deviceId(), c.accessToken(), password);
  }

  /**
   * Expires one access token (a client's session), leaving the user's other sessions alone: the
   * next request with it gets 401 {@code M_UNKNOWN_TOKEN}. With {@code softLogout} the token has
   * expired ({@code soft_logout: true}; its refresh token still works, as after its lifetime); without,
   * its session is ended ({@code soft_logout: false}; its refresh token stops working too). For a
   * test where a client holds an old session and a new one of the same user: see
   * {@link TestUser#expireToken(boolean)} to expire every session of a user.
   *
   * @param accessToken the access token, such as {@code client.session().accessToken()}
   * @param softLogout true for an expiry (soft logout), false for a hard logout
   * @throws IllegalArgumentException if the server issued no such token (or it ended already)
   */
  public void expireAccessToken(String accessToken, boolean softLogout) {
    Objects.requireNonNull(accessToken, "accessToken");
    if (!model.expireAccessToken(accessToken, softLogout)) {
      throw new IllegalArgumentException("no session has this access token (never issued, or ended already)");
    }
  }

  /**
   * {@return a room as the server holds it (state and timeline, live)}
   *
   * @param roomId the room's id
   * @throws io.melo.testkit.model.MatrixError 404 if there is no such room
   */
  public RoomView room(String roomId) {
    model.roomVersion(roomId); // fails now for an unknown room rather than on first read
    return new RoomView(model, roomId);
  }

  /**
   * Fault injection for the coming requests.
   *
   * @return the fault injection of this server (it survives {@link #reset()})
   */
  public Faults faults() {
    return faults;
  }

  /**
   * {@return the requests that reached the server, oldest first, secrets redacted; at most the last
   * {@link Builder#maxRecordedRequests(int)} are kept}
   */
  public List<RecordedCall> requests() {
    synchronized (recorded) {
      return new ArrayList<>(recorded);
    }
  }

  /**
   * Fails if something went wrong that the test may not have noticed: a request to an unimplemented
   * endpoint (strict mode), an armed fault that did not fire as often as armed, or an unexpected server
   * error.
   *
   * @throws AssertionError listing every problem
   */
  public void verify() {
    List<String> problems = new ArrayList<>();
    synchronized (violations) {
      problems.addAll(violations);
    }
    for (Fault f : faults.pending()) {
      problems.add("armed fault never fired as often as armed: " + f);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("FakeHomeserver verification failed:\n  - " + String.join("\n  - ", problems));
    }
  }

  /**
   * Forgets every account, room and event, the recorded requests, the faults and the verification
   * problems, so one started server can serve many tests. Long polls in flight end. The clock is kept.
   */
  public void reset() {
    Homeserver old = model;
    model = new Homeserver(config);
    old.close();
    faults.clear();
    violations.clear();
    synchronized (recorded) {
      recorded.clear();
    }
    sequence.set(0);
  }

  /** Forgets faults and verification findings, keeping state: between tests sharing one server. */
  void clearChecks() {
    faults.clear();
    violations.clear();
  }

  /** Closes without verifying: stops the server and releases every blocked request. Idempotent. */
  public void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    dispatcher.close();
    model.close();
    server.close();
  }

  /**
   * Stops the server, releases every blocked request, then {@link #verify() verifies}.
   *
   * @throws AssertionError if verification fails
   */
  @Override
  public void close() {
    boolean first = !closed;
    shutdown();
    if (first) {
      verify();
    }
  }

  /** How many accepted connections had {@code TCP_NODELAY} set; for tests of the testkit itself. */
  int acceptedWithNoDelay() {
    return socketFactory.acceptedWithNoDelay();
  }

  @Override
  public String toString() {
    return "FakeHomeserver{" + options.serverName + " at " + (closed ? "(closed)" : baseUrl()) + "}";
  }

  /** Options of a {@link FakeHomeserver}. Not thread-safe; each {@link #start()} makes a new server. */
  public static final class Builder {
    String serverName = "localhost";
    String host = "127.0.0.1";
    int port = 0;
    boolean strict = true;
    int maxRecorded = 1000;
    long maxJsonBytes = MatrixDispatcher.DEFAULT_JSON_LIMIT;
    long maxUploadBytes = MatrixDispatcher.DEFAULT_MEDIA_LIMIT;
    long mediaStoreBytes = HomeserverConfig.DEFAULT_MEDIA_STORE_BYTES;
    Clock clock;
    Duration accessTokenLifetime = Duration.ofMinutes(5);
    final List<Appservice> appservices = new ArrayList<>();
    TurnServer turnServer;
    Duration presenceIdleTimeout = Duration.ofMinutes(5);
    Duration presenceOfflineTimeout = Duration.ofSeconds(30);

    Builder() {}

    /**
     * How long an online user may be inactive (no event sent, no typing, receipt or presence change)
     * before the server makes them {@code unavailable}. Default: 5 minutes, on the server's clock.
     *
     * @param timeout the idle timeout; must be positive
     * @return this builder
     */
    public Builder presenceIdleTimeout(Duration timeout) {
      this.presenceIdleTimeout = positive(timeout, "presenceIdleTimeout");
      return this;
    }

    /**
     * How long after a user's last sync (with none in progress and none marking them {@code offline})
     * and last activity the server makes them {@code offline}. Default: 30 seconds, on the server's clock.
     *
     * @param timeout the offline timeout; must be positive
     * @return this builder
     */
    public Builder presenceOfflineTimeout(Duration timeout) {
      this.presenceOfflineTimeout = positive(timeout, "presenceOfflineTimeout");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was: " + d);
      }
      return d;
    }

    /**
     * The TURN server {@code GET /voip/turnServer} offers for calls. Default: none (the endpoint
     * answers 404 {@code M_NOT_FOUND}: no TURN server is configured).
     *
     * @param turnServer the TURN server's URIs and credentials; not null
     * @return this builder
     */
    public Builder turnServer(TurnServer turnServer) {
      this.turnServer = Objects.requireNonNull(turnServer, "turnServer");
      return this;
    }

    /**
     * The server's clock. Default: the system clock. A {@link Clock#manual(long)} clock moves only by
     * {@link Clock#advance(Duration)}: long-poll timeouts, typing and token expiry then happen only
     * when the test says (a long poll with nothing to report waits until then).
     *
     * @param clock the clock; not null
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Lifetime of access tokens issued with a refresh token. Default: 5 minutes.
     *
     * @param lifetime the lifetime; must be positive (else {@link IllegalArgumentException})
     * @return this builder
     */
    public Builder accessTokenLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("accessTokenLifetime must be positive, was: " + lifetime);
      }
      this.accessTokenLifetime = lifetime;
      return this;
    }

    /**
     * Registers an application service: its {@code as_token} authenticates it, it may register and
     * masquerade ({@code ?user_id=}) as users in its namespaces.
     *
     * @param appservice the service; not null
     * @return this builder
     */
    public Builder appservice(Appservice appservice) {
      appservices.add(Objects.requireNonNull(appservice, "appservice"));
      return this;
    }

    /**
     * The server name in user ids, room ids and aliases. Default: {@code localhost}.
     *
     * @param serverName a host name or IP literal with an optional {@code :port}; anything else is
     *     an {@link IllegalArgumentException}
     * @return this builder
     */
    public Builder serverName(String serverName) {
      Objects.requireNonNull(serverName, "serverName");
      if (!serverName.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
        throw new IllegalArgumentException("serverName must be a host name with an optional port, was: "
            + serverName);
      }
      this.serverName = serverName;
      return this;
    }

    /**
     * The address to bind. Default: {@code 127.0.0.1} (loopback only).
     *
     * @param host a host name or IP address; not null
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port to listen on; 0 picks a free one. Default: 0.
     *
     * @param port 0 to 65535 (else {@link IllegalArgumentException})
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, was: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Whether a request to an endpoint the fake does not implement fails {@link FakeHomeserver#verify()}.
     * Default: true. Turn it off for third-party clients that probe optional endpoints.
     *
     * @param strict true to fail {@code verify()} on unimplemented endpoints
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * How many recent requests {@link FakeHomeserver#requests()} keeps. Default: 1000.
     *
     * @param max how many requests to keep; 0 keeps none, negative is an {@link
     *     IllegalArgumentException}
     * @return this builder
     */
    public Builder maxRecordedRequests(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxRecordedRequests must be >= 0, was: " + max);
      }
      this.maxRecorded = max;
      return this;
    }

    /**
     * The largest JSON request body; larger ones get 413 {@code M_TOO_LARGE}. Default: 1 MiB.
     *
     * @param max the limit in bytes; at least 1 (else {@link IllegalArgumentException})
     * @return this builder
     */
    public Builder maxJsonBytes(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxJsonBytes must be positive, was: " + max);
      }
      this.maxJsonBytes = max;
      return this;
    }

    /**
     * The largest media upload; larger ones get 413 {@code M_TOO_LARGE}. Default: 10 MiB.
     *
     * @param max the limit in bytes; at least 1 (else {@link IllegalArgumentException})
     * @return this builder
     */
    public Builder maxUploadBytes(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxUploadBytes must be positive, was: " + max);
      }
      this.maxUploadBytes = max;
      return this;
    }

    /**
     * How many bytes of uploaded media the server keeps in memory at most; an upload beyond it purges
     * the least recently uploaded or downloaded files first (their downloads then answer 404 {@code
     * M_NOT_FOUND}, as after Synapse's media retention purge). Default: 256 MiB; never less than
     * {@link #maxUploadBytes(long)}.
     *
     * @param bytes the budget in bytes
     * @return this builder
     */
    public Builder mediaStoreBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("mediaStoreBytes must be positive, was: " + bytes);
      }
      this.mediaStoreBytes = bytes;
      return this;
    }

    Builder copy() {
      Builder b = new Builder();
      b.serverName = serverName;
      b.host = host;
      b.port = port;
      b.mediaStoreBytes = mediaStoreBytes;
      b.strict = strict;
      b.maxRecorded = maxRecorded;
      b.maxJsonBytes = maxJsonBytes;
      b.maxUploadBytes = maxUploadBytes;
      b.clock = clock;
      b.accessTokenLifetime = accessTokenLifetime;
      b.appservices.addAll(appservices);
      b.turnServer = turnServer;
      b.presenceIdleTimeout = presenceIdleTimeout;
      b.presenceOfflineTimeout = presenceOfflineTimeout;
      return b;
    }

    /**
     * Starts a server with these options.
     *
     * @return the started server; close it to stop it
     */
    public FakeHomeserver start() {
      return new FakeHomeserver(this).startServer();
    }
  }
}
