package io.melo.core.internal;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Conversation;
import io.melo.core.HomeserverException;
import io.melo.core.InviteCode;
import io.melo.core.InviteResolver;
import io.melo.core.MeloCall;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.MeloException;
import io.melo.core.Member;
import io.melo.core.Message;
import io.melo.core.MessagePage;
import io.melo.core.NotFoundException;
import io.melo.core.PartialFailureException;
import io.melo.core.Presence;
import io.melo.core.PrivateProfile;
import io.melo.core.Profile;
import io.melo.core.ProvisioningException;
import io.melo.core.Role;
import io.melo.core.RuleViolationException;
import io.melo.core.Server;
import io.melo.core.ServerUpdate;
import io.melo.core.Session;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListener;
import io.melo.core.event.Subscription;
import io.melo.matrix.CredentialsProvider;
import io.melo.matrix.LongPollTransport;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.event.CreateContent;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.GuestAccess;
import io.melo.matrix.event.GuestAccessContent;
import io.melo.matrix.event.JoinRulesContent;
import io.melo.matrix.event.MediaInfo;
import io.melo.matrix.event.MessageContent;
import io.melo.matrix.event.MsgType;
import io.melo.matrix.event.PowerLevelsContent;
import io.melo.matrix.event.ReactionContent;
import io.melo.matrix.event.RelatesTo;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.event.SpaceChildContent;
import io.melo.matrix.event.SpaceParentContent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.media.MxcUri;
import io.melo.matrix.room.AliasResolution;
import io.melo.matrix.room.CreateRoomRequest;
import io.melo.matrix.room.Direction;
import io.melo.matrix.room.EventPage;
import io.melo.matrix.room.Messages;
import io.melo.matrix.room.Visibility;
import io.melo.matrix.sync.InMemorySyncStore;
import io.melo.matrix.sync.SyncLoop;
import io.melo.matrix.sync.SyncRequest;
import io.melo.matrix.sync.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The {@link MeloClient} implementation: each operation is a {@link TaskCall} whose steps are
 * melo-matrix calls, following DESIGN.md's protocol mapping. Thread-safe. Not API.
 */
public final class DefaultMeloClient implements MeloClient {

  private static final String ROOM_VERSION = "10";
  private static final int MESSAGE_MEMORY = 2000;
  /**
   * How long a send waits for the sync to bring the server's copy of its event before reading it
   * with {@code GET /rooms/{id}/event/{eventId}}.
   */
  static final long ECHO_WAIT_MILLIS = 50;
  private static final int HISTORY_ROOMS = 32;
  /** How long {@link #close()} waits for the batch in progress to reach listeners and be saved. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final MeloConfig config;
  private final MatrixClient matrix;
  private final String userId;
  private final String serverName;
  private final Namespace ns;
  private final EventBus bus;
  /** History read by {@code messages(..)}, for the rooms read most recently (bounded memory). */
  private final Map<String, MessageAggregator> rooms =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MessageAggregator> eldest) {
          return size() > HISTORY_ROOMS;
        }
      };
  private final SyncProcessor sync;
  /** The reads served from the sync cache, and this client's writes it does not show yet. */
  private final CacheReads cache;
  /** Builds a sync loop over {@link #sync}; a resumed session (see {@link #resume(Session)}) starts a new one. */
  private final java.util.function.Supplier<SyncLoop> loops;
  /** The current sync loop: replaced when {@link #resume(Session)} restarts a loop that ended. */
  private volatile SyncLoop loop;
  private volatile ConnectionState connection;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private final AtomicReference<Session> session;
  /** What passes batches to {@link #sync} once the session's user is confirmed. */
  private final Gate gate = new Gate();
  /**
   * The check of the session's user, for a client resumed from a session (null when the user is
   * known: a login, an application service); replaced by null once a resumed session was checked.
   */
  private volatile UserCheck check;
  /** The loop stopped because the session belonged to another user, or null. */
  private volatile SyncLoop mismatched;
  /** True for an application-service identity: its "session" holds the as_token, never renewed. */
  private final boolean appService;
  /** Guards {@link #loop} replacement against {@link #close()}. */
  private final Object lifecycle = new Object();
  /**
   * How many sessions {@link #resume(Session)} installed: a loop that fails for its credentials
   * after a newer session was installed is restarted with it instead of ending the client.
   */
  private int installs;
  /** {@link #installs} when the current loop started. */
  private int loopInstalls;
  /**
   * Held across the read, merge and write of m.direct: two conversations recorded at once must not
   * each write back the m.direct they read, dropping the other's room. Calls run on the call
   * executor, never on the sync thread, so they may wait for it.
   */
  private final java.util.concurrent.locks.ReentrantLock directLock = new java.util.concurrent.locks.ReentrantLock();
  /**
   * Held by a {@code conversationWith} across finding or creating the conversation with a user (by
   * the user's hash; a few users share each): two calls for the same user must not both create one.
   */
  private final java.util.concurrent.locks.ReentrantLock[] openingLocks = newLocks(16);
  /** Held across the read-modify-write of the private profile's account data, for the same reason. */
  private final java.util.concurrent.locks.ReentrantLock profileLock = new java.util.concurrent.locks.ReentrantLock();

  private DefaultMeloClient(
      MeloConfig config, MatrixClient matrix, String userId, AtomicReference<Session> session, boolean appService) {
    this.session = session;
    this.appService = appService;
    this.config = config;
    this.matrix = matrix;
    this.userId = userId;
    this.serverName = serverNameOf(userId);
    this.ns = new Namespace(config.namespace());
    this.bus = new EventBus(config.eventExecutor());
    SequencedStore store = new SequencedStore(config.store().orElseGet(InMemorySyncStore::new), userId);
    this.sync = new SyncProcessor(new Host(), store);
    this.cache = new CacheReads(sync, userId, () -> connection == ConnectionState.CONNECTED && !closed.get());
    this.loops = () -> {
      // Each loop reports its states as its own: a loop already replaced is not the client's.
      AtomicReference<SyncLoop> self = new AtomicReference<>();
      SyncLoop built =
        // Event-driven: a waiting long poll holds no thread (the process-wide long-poll transport's
        // selector carries it) and batches are parsed and handled on the shared sync runtime's
        // workers; the processor's acceptAsync hands the events to the bus and frees the worker,
        // the loop saving the token and polling on once listeners ran them. (SyncLoop's prefetch,
        // the next poll sent while listeners run, measured slower here on 2 busy cores: the extra
        // threads it wakes compete with the listeners; see BENCHMARKS.md.) Syncs
        // with timeout zero (initial, catch-up) run on the transport's bounded blocking pool through
        // the streaming source, which hands each joined room of an initial sync to the cache as it
        // is read.
        SyncLoop.builder(matrix.asyncSyncSource(LongPollTransport.shared(), matrix.syncSource(gate)), gate)
            .runtime(config.syncRuntime())
            .store(store)
            // set_presence=offline: polling does not override the presence the app sets.
            .request(SyncRequest.builder().timeout(Duration.ofSeconds(30))
                .setPresence(io.melo.matrix.sync.Presence.OFFLINE).build())
            .listener((state, cause) -> syncStateChanged(self.get(), state, cause))
            .build();
      self.set(built); // before start(): the first state is reported after it
      return built;
    };
    this.loop = loops.get();
  }

  /** Starts the sync loop; called once the client is built. */
  private DefaultMeloClient start() {
    for (MeloListener listener : config.listeners()) {
      addListener(listener);
    }
    loop.start();
    return this;
  }

  /**
   * Starts the sync loop while the homeserver confirms whose session this is ({@code GET
   * /account/whoami}, sent at the same time as the first sync): see {@link UserCheck}.
   */
  private DefaultMeloClient startVerifying() {
    check = new UserCheck(new UserCheck.Owner() {
      @Override
      public MatrixClient matrix() {
        return matrix;
      }

      @Override
      public String userId() {
        return userId;
      }

      @Override
      public boolean isClosed() {
        return closed.get();
      }

      @Override
      public void failForOtherUser(UserCheck failed, io.melo.core.UserMismatchException mismatch) {
        DefaultMeloClient.this.failForOtherUser(failed, mismatch);
      }
    });
    for (MeloListener listener : config.listeners()) {
      addListener(listener);
    }
    loop.start();
    check.start();
    return this;
  }

  /** The sync processor behind {@link #check}: what the sync loop (and its streamed initial sync) feeds. */
  private final class Gate implements io.melo.matrix.sync.SyncConsumer, io.melo.matrix.sync.JoinedRoomCompactSink {
    @Override
    public java.util.concurrent.CompletionStage<Void> acceptAsync(io.melo.matrix.sync.SyncBatch batch) {
      UserCheck pending = check;
      if (pending == null || pending.passed()) {
        return sync.acceptAsync(batch);
      }
      // Handled on the thread that ends the check (or here, if it ended meanwhile): no thread per client.
      return pending.beforeBatch().thenCompose(ignored -> sync.acceptAsync(batch));
    }

    @Override
    public void accept(io.melo.matrix.sync.SyncBatch batch) throws Exception {
      UserCheck pending = check;
      if (pending != null) {
        pending.awaitForSync();
      }
      sync.accept(batch);
    }

    @Override
    public void onDeliveryFailed(io.melo.matrix.sync.SyncBatch batch, Exception lastFailure) {
      sync.onDeliveryFailed(batch, lastFailure);
    }

    @Override
    public void joinedRoom(io.melo.matrix.sync.JoinedRoom room, List<io.melo.matrix.sync.JoinedRoomMember> members) {
      UserCheck pending = check;
      if (pending != null) {
        pending.awaitForSync(); // a streamed initial sync: its rooms go to the cache as they are read
      }
      sync.joinedRoom(room, members);
    }
  }

  /** Called by {@link UserCheck} when the homeserver named another user: the client fails with it. */
  void failForOtherUser(UserCheck failed, io.melo.core.UserMismatchException mismatch) {
    SyncLoop stopping;
    synchronized (lifecycle) {
      if (check != failed || closed.get()) {
        failed.released();
        return;
      }
      stopping = loop;
      mismatched = stopping; // its states from now on are not the client's
      connection = ConnectionState.FAILED;
    }
    bus.publish(new ConnectionStateChanged(this, sync.nextSequence(), ConnectionState.FAILED, Optional.of(mismatch)));
    try {
      config.callExecutor().execute(() -> {
        stopping.close(); // cancels the sync in flight; a batch waiting for the check is not saved
        failed.released();
      });
    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
      stopping.close();
      failed.released();
    }
  }

  private void syncStateChanged(SyncLoop from, SyncState state, Exception cause) {
    if (from == mismatched) {
      return; // stopped because the session belongs to another user: the client reported FAILED
    }
    if (state == SyncState.ERROR && restartedForNewSession(from, cause)) {
      return;
    }
    ConnectionState mapped;
    switch (state) {
      case CONNECTING:
        mapped = ConnectionState.CONNECTING;
        break;
      case PREPARED:
      case SYNCING:
        mapped = ConnectionState.CONNECTED;
        break;
      case RECONNECTING:
        mapped = ConnectionState.RECONNECTING;
        break;
      case ERROR:
        mapped = ConnectionState.FAILED;
        break;
      case STOPPED:
        mapped = ConnectionState.STOPPED;
        break;
      default:
        return;
    }
    synchronized (this) {
      if (mapped == connection) {
        return;
      }
      connection = mapped;
    }
    Optional<MeloException> failure = Optional.empty();
    if (cause instanceof io.melo.matrix.MatrixException matrixFailure) {
      failure = Optional.of(MatrixSteps.translate("syncing", userId, matrixFailure, false));
    } else if (cause instanceof MeloException meloFailure) {
      failure = Optional.of(meloFailure); // the sync store's own refusal (another user's store)
    }
    bus.publish(new ConnectionStateChanged(this, sync.nextSequence(), mapped, failure));
  }

  /** What the sync processor needs from this client. */
  private final class Host implements SyncProcessor.Host {
    @Override
    public MeloClient client() {
      return DefaultMeloClient.this;
    }

    @Override
    public String userId() {
      return userId;
    }

    @Override
    public Namespace namespace() {
      return ns;
    }

    @Override
    public Optional<RoomState> joinChannel(String channelId, List<String> via) {
      try {
        matrix.join(channelId, via, null).execute();
        return Optional.of(new RoomState(channelId, matrix.state(channelId).execute()));
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(DefaultMeloClient.class)
            .warn("Melo could not join new channel {} yet (tried again on later sync batches): {}",
                channelId, e.getMessage());
        return Optional.empty();
      }
    }

    @Override
    public void publish(MeloEvent event) {
      bus.publish(event);
    }

    @Override
    public void awaitDelivered() {
      bus.awaitDelivered();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> whenDelivered() {
      return bus.whenDelivered();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> publishAll(List<MeloEvent> events) {
      return bus.publishAll(events);
    }

    @Override
    public Optional<RoomEvent> fetchEvent(String roomId, String eventId) {
      try {
        return Optional.of(matrix.event(roomId, eventId).execute());
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(DefaultMeloClient.class)
            .info("Melo could not read event {} of room {}: {}", eventId, roomId, e.getMessage());
        return Optional.empty();
      }
    }

    @Override
    public void batchApplied() {
      Map<String, List<String>> lost = cache.takeLostDirect();
      if (!lost.isEmpty()) {
        restoreDirect(lost);
      }
    }

    @Override
    public Optional<RoomState> leftRoomState(String roomId) {
      try {
        return Optional.of(new RoomState(roomId, matrix.state(roomId).execute()));
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(DefaultMeloClient.class)
            .info("Melo could not read left room {}: {}", roomId, e.getMessage());
        return Optional.empty();
      }
    }

    @Override
    public void stateApplied(String roomId, RoomEvent event) {
      cache.stateApplied(roomId, event);
    }

    @Override
    public void accountData(List<io.melo.matrix.event.BasicEvent> events, boolean complete) {
      cache.accountData(events, complete);
    }

    @Override
    public void timelineRead(String roomId, TimelineReader.Item item) {
      historyRead(roomId, item);
    }

    @Override
    public Map<String, RoomState> loadJoinedRooms() {
      Map<String, RoomState> rooms = new HashMap<>();
      try {
        for (String roomId : matrix.joinedRooms().execute()) {
          try {
            rooms.put(roomId, new RoomState(roomId, matrix.state(roomId).execute()));
          } catch (RuntimeException unreadable) {
            org.slf4j.LoggerFactory.getLogger(DefaultMeloClient.class)
                .info("Melo could not read room {} after a restart: {}", roomId, unreadable.getMessage());
          }
        }
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(DefaultMeloClient.class)
            .warn("Melo could not list joined rooms after a restart: {}", e.getMessage());
      }
      return rooms;
    }
  }

  /** See {@link MeloClient#login}. */
  public static MeloCall<MeloClient> login(
      MeloConfig config, String user, String password, io.melo.core.LoginOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(options, "options");
    LoginRequest request = LoginRequest.password(user, password).withRefreshToken(true);
    if (options.deviceId().isPresent()) {
      request = request.withDeviceId(options.deviceId().get());
    }
    if (options.deviceDisplayName().isPresent()) {
      request = request.withInitialDeviceDisplayName(options.deviceDisplayName().get());
    }
    LoginRequest login = request;
    return new TaskCall<>(
        "logging in",
        ctx -> {
          // A config naming a server name: the homeserver of the user id's server (or of the
          // config's, for a bare localpart) is discovered first.
          MeloConfig at = config.needsDiscovery()
              ? Discovery.ofServerName(ctx, config, Discovery.serverNameFor(config, user))
              : config;
          LoginResponse response;
          try (MatrixClient matrix = MatrixClient.create(matrixConfig(at))) {
            response = logIn(new MatrixSteps(ctx, user), "logging in as " + user, matrix, login);
          }
          // The spec: a login answer's well_known SHOULD reconfigure the client (checked first).
          MeloConfig used = Discovery.fromLoginAnswer(ctx, at, response.homeserverBaseUrl().orElse(null));
          Session session = new Session(used.homeserver().toString(), response.userId(), response.deviceId(),
              response.accessToken(), response.refreshToken().orElse(null));
          SessionRenewal.notify(config.sessionListener().orElse(null), session);
          // The login answer named the user (no check needed) and how long the token lives.
          return resume(used, session, false, expiry(used, response.expiresIn().orElse(null)));
        },
        config.callExecutor(),
        // No client yet for a failure; the new client's callback waits its turn behind the
        // client's first events (its listeners run one at a time, the callback is one of them).
        TaskCall.serialLane(config.eventExecutor()),
        client -> ((DefaultMeloClient) client).bus::run);
  }

  /** See {@link MeloClient#resume}. */
  public static MeloClient resume(MeloConfig config, Session stored) {
    return resume(config, stored, true, null);
  }

  /** When an access token issued now that lives {@code lifetime} expires on the config's clock; null for never. */
  static java.time.Instant expiry(MeloConfig config, Duration lifetime) {
    return lifetime == null ? null : config.clock().now().plus(lifetime);
  }

  /**
   * See {@link MeloClient#resume}; {@code verifyUser} false when the homeserver has just named the
   * session's user (a login).
   */
  private static MeloClient resume(MeloConfig config, Session stored, boolean verifyUser, java.time.Instant expiresAt) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(stored, "session");
    if (config.needsDiscovery() && stored.homeserver().isPresent()) {
      // The session names the homeserver it belongs to: no discovery needed.
      config = config.toBuilder().homeserver(stored.homeserver().get()).build();
    }
    requireDiscovered(config, "resuming a session");
    Session session = stored.withHomeserver(config.homeserver().toString());
    AtomicReference<Session> current = new AtomicReference<>(session);
    // Always with the renewal: a session without a refresh token that a later resume(Session)
    // replaces by one with a refresh token renews too, and a session that cannot be renewed ends
    // with a LoggedOutException saying why.
    CredentialsProvider renew = new SessionRenewal(
        current, config.credentialsProvider().orElse(null), config.sessionListener().orElse(null));
    MatrixClient matrix = MatrixClient.create(matrixConfig(config),
        credentials(session, false).withExpiresAt(session.refreshToken().isPresent() ? expiresAt : null), renew);
    MeloConfig discovered = config;
    return started(matrix, () -> {
      DefaultMeloClient client = new DefaultMeloClient(discovered, matrix, session.userId(), current, false);
      return verifyUser ? client.startVerifying() : client.start();
    });
  }

  /**
   * Builds and starts a client on {@code matrix}, closing {@code matrix} when that fails (such as a
   * sync store that belongs to another user) so nothing is left open.
   */
  private static MeloClient started(MatrixClient matrix, java.util.function.Supplier<MeloClient> client) {
    try {
      return client.get();
    } catch (RuntimeException e) {
      matrix.close();
      throw e;
    }
  }

  /** See {@link MeloClient#asAppService}. */
  public static MeloClient appService(MeloConfig config, String asToken, String userId) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(asToken, "asToken");
    requireUserId(userId, "userId");
    requireDiscovered(config, "an application-service client");
    MatrixClient matrix = MatrixClient.create(matrixConfig(config), MatrixCredentials.appService(asToken, userId),
        SessionRenewal.appService(userId));
    return started(matrix, () -> new DefaultMeloClient(config, matrix, userId,
        new AtomicReference<>(new Session(config.homeserver().toString(), userId, null, asToken, null)), true)
        .start());
  }

  /** melo-matrix's credentials for {@code session}: its access token, or an as_token acting as its user. */
  private static MatrixCredentials credentials(Session session, boolean appService) {
    return appService
        ? MatrixCredentials.appService(session.accessToken(), session.userId())
        : MatrixCredentials.accessToken(session.accessToken(), session.userId(), session.deviceId().orElse(null));
  }

  // ------------------------------------------------------------------ resuming a session

  @Override
  public MeloCall<Session> resume(Session next) {
    Objects.requireNonNull(next, "session");
    String what = "resuming the session of " + userId;
    requireOpen(what);
    return new TaskCall<>(what, ctx -> {
      requireSameUser(what, next.userId(), "the session given belongs to ");
      MatrixSteps s = new MatrixSteps(ctx, userId);
      io.melo.matrix.auth.Whoami who;
      try (MatrixClient probe = MatrixClient.create(matrixConfig(config), credentials(next, appService))) {
        who = s.run(what + ": checking the new " + (appService ? "as_token" : "session"), probe.whoami());
      } catch (io.melo.core.LoggedOutException rejected) {
        throw new io.melo.core.LoggedOutException(what + ": the homeserver rejected the new "
            + (appService ? "as_token" : "session") + " too", userId, rejected.softLogout(), rejected.getCause());
      }
      requireSameUser(what, who.userId(), "the homeserver says the new session belongs to ");
      Session accepted = (appService || next.deviceId().isPresent() || !who.device().isPresent()
          ? next
          : new Session(next.userId(), who.deviceId(), next.accessToken(), next.refreshToken().orElse(null)))
          .withHomeserver(config.homeserver().toString());
      install(what, accepted, null);
      return accepted;
    }, config.callExecutor(), bus::run);
  }

  @Override
  public MeloCall<Session> resumeWithPassword(String password) {
    Objects.requireNonNull(password, "password");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    if (appService) {
      throw new IllegalStateException("an application-service client has no password: resume it with a Session"
          + " holding the new as_token");
    }
    String what = "logging " + userId + " in again";
    requireOpen(what);
    return new TaskCall<>(what, ctx -> {
      LoginRequest login = LoginRequest.password(userId, password).withRefreshToken(true);
      // The device survives a soft logout (and a session that was not rejected); after a hard
      // logout the server destroyed it: log in as a new device, as the password re-login does.
      Optional<String> device = session.get().deviceId();
      if (device.isPresent() && !hardLoggedOut()) {
        login = login.withDeviceId(device.get());
      }
      LoginResponse response;
      try (MatrixClient anonymous = MatrixClient.create(matrixConfig(config))) {
        response = logIn(new MatrixSteps(ctx, userId), what, anonymous, login);
      }
      requireSameUser(what, response.userId(), "the homeserver logged in ");
      Session accepted = new Session(config.homeserver().toString(), response.userId(), response.deviceId(),
          response.accessToken(), response.refreshToken().orElse(null));
      install(what, accepted, accepted.refreshToken().isPresent()
          ? expiry(config, response.expiresIn().orElse(null)) : null);
      return accepted;
    }, config.callExecutor(), bus::run);
  }

  /**
   * Sends a login. A refusal (a wrong password: 403 {@code M_FORBIDDEN}) is the homeserver's
   * answer to the login, not a rule about a room: a {@link HomeserverException} keeping its code.
   */
  private static LoginResponse logIn(MatrixSteps s, String what, MatrixClient anonymous, LoginRequest login) {
    try {
      return s.run(what, anonymous.login(login));
    } catch (RuleViolationException refused) {
      if (refused.getCause() instanceof io.melo.matrix.ForbiddenException forbidden) {
        throw new HomeserverException(what + ": the homeserver refused the login (HTTP " + forbidden.httpStatus()
            + " " + forbidden.errcode() + ": " + forbidden.error() + ")", forbidden.httpStatus(), forbidden.errcode(),
            null, forbidden);
      }
      throw refused;
    }
  }

  @Override
  public MeloCall<Void> logout() {
    if (appService) {
      throw new IllegalStateException("an application-service client has no session to log out: close it");
    }
    String what = "logging " + userId + " out";
    requireOpen(what);
    return new TaskCall<>(what, ctx -> {
      close();
      // Its own Matrix client (this one's is closed now): it refreshes an expired token, since a
      // logout with it would leave the device behind, but never logs in again just to log out.
      Session current = session.get();
      SessionRenewal refreshOnly = new SessionRenewal(session, null, config.sessionListener().orElse(null));
      try (MatrixClient out = MatrixClient.create(matrixConfig(config), credentials(current, false), refreshOnly)) {
        new MatrixSteps(ctx, userId).run(what, out.logout());
      } catch (io.melo.core.LoggedOutException alreadyGone) {
        // The homeserver no longer accepts the session: there is nothing left to log out.
      }
      return null;
      // The client's own queue, after its last events (STOPPED): a closed client's bus still
      // delivers, on the closing thread when the executor refuses.
    }, config.callExecutor(), bus::run);
  }

  private void requireOpen(String what) {
    if (closed.get()) {
      throw new IllegalStateException(what + ": the client is closed");
    }
  }

  private void requireSameUser(String what, String other, String saying) {
    if (!userId.equals(other)) {
      throw new io.melo.core.UserMismatchException(
          what + ": " + saying + other + ", but this client acts for " + userId, userId, other);
    }
  }

  /** True when the homeserver's last rejection that ended the sync loop was a hard logout. */
  private boolean hardLoggedOut() {
    Optional<Exception> failure = loop.failure();
    if (!failure.isPresent()) {
      return false;
    }
    if (failure.get() instanceof io.melo.matrix.AuthenticationException auth) {
      return !auth.softLogout();
    }
    return failure.get() instanceof io.melo.matrix.UnknownTokenException rejected && !rejected.softLogout();
  }

  /**
   * Makes {@code next} this client's session: the app's listener hears of it, the Matrix client
   * uses it from its next request on (a renewal that failed for the old one is forgotten), and a
   * sync loop that ended is started again from the stored position, so that the events sent
   * meanwhile arrive once.
   */
  private void install(String what, Session next, java.time.Instant expiresAt) {
    SyncLoop ended = null;
    synchronized (lifecycle) {
      if (closed.get()) {
        throw CallContext.cancelledException(what + " (the client was closed meanwhile)");
      }
      session.set(next);
      matrix.credentials(credentials(next, appService).withExpiresAt(expiresAt));
      installs++;
      UserCheck pending = check;
      check = null; // resume(..) checked the new session with the homeserver
      if (pending != null) {
        pending.superseded();
      }
      SessionRenewal.notify(config.sessionListener().orElse(null), next);
      if (!closed.get()) { // the listener may have closed the client
        ended = restartLoopIfEnded();
      }
    }
    closeEnded(ended);
  }

  /**
   * A loop that failed for its credentials after {@link #install} gave newer ones (the failure may
   * be the old session's) is started again with them instead of ending the client; a loop that
   * fails again with them ends it.
   *
   * @return true when the loop was restarted (its failure is not reported)
   */
  private boolean restartedForNewSession(SyncLoop from, Exception cause) {
    if (!(cause instanceof io.melo.matrix.AuthenticationException)
        && !(cause instanceof io.melo.matrix.UnknownTokenException)) {
      return false;
    }
    synchronized (lifecycle) {
      if (closed.get()) {
        return false;
      }
      if (from != loop) {
        return true; // install(..) replaced it meanwhile: the new loop runs, this failure is not the client's
      }
      if (installs == loopInstalls) {
        return false;
      }
    }
    // The failing loop is still in its listener: start the next one from another thread.
    try {
      config.callExecutor().execute(() -> {
        SyncLoop ended;
        synchronized (lifecycle) {
          ended = closed.get() ? null : restartLoopIfEnded();
        }
        closeEnded(ended);
      });
    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
      return false; // no thread to restart on: report the failure, resume(..) can still restart
    }
    return true;
  }

  /**
   * Under {@link #lifecycle}: replaces an ended loop by a new one reading the same store. The ended
   * loop is not closed here: it may still be in its state listener, which waits for
   * {@link #lifecycle}, so waiting for it to end would wait out its close timeout.
   *
   * @return the replaced loop, for {@link #closeEnded} once {@link #lifecycle} is released; null if
   *     the loop had not ended
   */
  private SyncLoop restartLoopIfEnded() {
    SyncLoop ended = loop;
    if (!ended.state().isTerminal()) {
      return null;
    }
    SyncLoop next = loops.get();
    loop = next;
    loopInstalls = installs;
    next.start();
    return ended;
  }

  /** Not under {@link #lifecycle}: releases a replaced loop (it ends by itself; this waits for that). */
  private static void closeEnded(SyncLoop ended) {
    if (ended != null) {
      ended.close();
    }
  }

  /** See {@link MeloClient#provisionAppServiceUser}. */
  public static MeloCall<String> provision(MeloConfig config, String asToken, String localpart) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(asToken, "asToken");
    Objects.requireNonNull(localpart, "localpart");
    return new TaskCall<>(
        "provisioning " + localpart,
        ctx -> {
          MeloConfig at = Discovery.discovered(ctx, config);
          MatrixClient matrix = MatrixClient.create(matrixConfig(at), MatrixCredentials.accessToken(asToken));
          MatrixSteps s = new MatrixSteps(ctx, localpart);
          try {
            return s.run("registering " + localpart,
                matrix.register(RegisterRequest.appService(localpart).withInhibitLogin(true))).userId();
          } catch (MeloException e) {
            if (!(e.getCause() instanceof io.melo.matrix.MatrixErrorException refused)
                || refused.httpStatus() < 400 || refused.httpStatus() >= 500 || refused.httpStatus() == 429) {
              throw e; // not a refusal: a server error, a rate limit, the network
            }
            if (!"M_USER_IN_USE".equals(refused.errcode())) {
              ProvisioningException.Reason reason =
                  SharedSecretRegistration.reason(refused.httpStatus(), refused.errcode(), refused.error());
              throw new ProvisioningException("provisioning " + localpart + ": the homeserver refused ("
                  + reason + ", HTTP " + refused.httpStatus() + " " + refused.errcode() + ": " + refused.error() + ")",
                  reason, refused.httpStatus(), refused.errcode(), refused);
            }
            // It exists: its id is the localpart on the server of the service's own user.
            String sender = s.run("asking who the service is", matrix.whoami()).userId();
            return "@" + localpart + ":" + serverNameOf(sender);
          } finally {
            matrix.close();
          }
        },
        config.callExecutor(),
        TaskCall.serialLane(config.eventExecutor())); // belongs to no client: ordered with none
  }

  /** See {@link MeloClient#discover}: the specification's well-known algorithm, in {@link Discovery}. */
  public static MeloCall<MeloConfig> discover(MeloConfig config) {
    Objects.requireNonNull(config, "config");
    return new TaskCall<>(
        "discovering the homeserver of " + config.serverName().orElse(config.homeserver().host()),
        ctx -> Discovery.ofConfig(ctx, config),
        config.callExecutor(),
        TaskCall.serialLane(config.eventExecutor())); // belongs to no client: ordered with none
  }

  /**
   * The config's base URL, for the factories that do not discover.
   *
   * @throws IllegalArgumentException when the config still names a server name to discover
   */
  private static MeloConfig requireDiscovered(MeloConfig config, String what) {
    if (config.needsDiscovery()) {
      throw new IllegalArgumentException(what + " needs the homeserver's base URL, but the config names the server "
          + config.serverName().get() + " whose homeserver is not discovered yet: use the config that"
          + " MeloClient.discover(config) returns, or log in (which discovers)");
    }
    return config;
  }

  static MatrixConfig matrixConfig(MeloConfig config) {
    MatrixConfig.Builder builder = MatrixConfig.builder(config.homeserver())
        .maxResponseBytes(config.maxResponseBytes())
        .allowInsecureHttp(config.allowInsecureHttp())
        .clock(config.clock());
    config.http().ifPresent(builder::http);
    return builder.build();
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public MeloConfig config() {
    return config;
  }

  @Override
  public Session session() {
    return session.get();
  }

  @Override
  public ConnectionState connectionState() {
    ConnectionState state = connection;
    return state == null ? ConnectionState.CONNECTING : state;
  }

  // ------------------------------------------------------------------ plumbing

  private <T> MeloCall<T> call(String action, Step<T> body) {
    return new TaskCall<>(
        action,
        ctx -> {
          if (closed.get()) {
            throw new TaskCall.ClientClosedException(action);
          }
          UserCheck pending = check;
          if (pending != null) {
            pending.beforeCall(ctx, action); // nothing is sent for another user than the client's
          }
          return body.run(new MatrixSteps(ctx, userId));
        },
        config.callExecutor(),
        bus::run);
  }

  @FunctionalInterface
  private interface Step<T> {
    T run(MatrixSteps s);
  }

  private static String serverNameOf(String userId) {
    int colon = userId.indexOf(':');
    return colon < 0 ? userId : userId.substring(colon + 1);
  }

  private static String requireUserId(String id, String field) {
    Objects.requireNonNull(id, field);
    if (!id.startsWith("@") || id.indexOf(':') < 0) {
      throw new IllegalArgumentException(field + " must be a user id like @alice:example.org, was: " + id);
    }
    return id;
  }

  private static String requireRoomId(String id, String field) {
    Objects.requireNonNull(id, field);
    if (!id.startsWith("!")) {
      throw new IllegalArgumentException(field + " must be a room id like !abc:example.org, was: " + id);
    }
    return id;
  }

  private static String requireEventId(String id, String field) {
    Objects.requireNonNull(id, field);
    if (!id.startsWith("$")) {
      throw new IllegalArgumentException(field + " must be an event id like $abc, was: " + id);
    }
    return id;
  }

  private static String requireText(String text, String field) {
    Objects.requireNonNull(text, field);
    if (Rules.strip(text).isEmpty()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return text;
  }

  private RoomState state(MatrixSteps s, String roomId, String what) {
    return new RoomState(roomId, s.run("reading " + what, matrix.state(roomId)));
  }

  /**
   * A server's space state from the homeserver; its refusal (this user was never in the room) is
   * a {@link NotFoundException}, like any server this user has not joined.
   */
  private RoomState spaceState(MatrixSteps s, String serverId) {
    return notInRoom(() -> state(s, serverId, "server " + serverId), "server " + serverId);
  }

  /** Runs a read of a room's state; the homeserver's refusal to show it becomes NotFound {@code what}. */
  private static RoomState notInRoom(java.util.function.Supplier<RoomState> read, String what) {
    try {
      return read.get();
    } catch (RuleViolationException refused) {
      if (refused.rule() != RuleViolationException.Rule.HOMESERVER_REFUSED) {
        throw refused;
      }
      throw new NotFoundException(what + " (not visible to this user)", refused.getCause());
    }
  }

  /** Sends a state event, registered so that reads show it before the sync delivers it. */
  private String sendState(MatrixSteps s, String what, String roomId, String type, String stateKey, JsonObject content) {
    CacheReads.StateWrite write = cache.stateWrite(roomId, type, stateKey);
    try {
      String eventId = s.run(what, "room " + roomId, matrix.setState(roomId, type, stateKey, content));
      write.sent(eventId);
      return eventId;
    } catch (RuntimeException e) {
      cache.cancel(write);
      throw e;
    }
  }

  /**
   * Leaves a room, kicks or bans a member: registered so that reads show {@code memberId} in one of
   * {@code expected} before the sync delivers it.
   */
  private void changeMembership(MatrixSteps s, String what, String roomId, String memberId, Set<String> expected,
      io.melo.matrix.MatrixCall<Void> call) {
    CacheReads.Pending write = cache.membershipWrite(roomId, memberId, expected);
    try {
      s.run(what, "room " + roomId, call);
    } catch (RuntimeException e) {
      cache.cancel(write);
      throw e;
    }
    if (memberId.equals(userId)) {
      cache.ownLeave(write);
    } else {
      cache.kickReturned(write);
    }
  }

  private static final Set<String> LEFT = Set.of("leave", "ban");
  private static final Set<String> BANNED = Set.of("ban");
  /** What reads of a joined room or a new conversation need in the cache: the room (it comes whole on a join). */
  private static final List<String[]> CREATED = List.<String[]>of(new String[] {EventTypes.CREATE, ""});

  /** What reads of a new or joined space need in the cache: its creation, levels, server state and name. */
  private List<String[]> spaceKeys() {
    return List.<String[]>of(new String[] {EventTypes.CREATE, ""}, new String[] {EventTypes.POWER_LEVELS, ""},
        new String[] {ns.server(), ""}, new String[] {EventTypes.NAME, ""});
  }

  /** What reads of a new channel need in the cache: the state its creation request set. */
  private List<String[]> channelKeys(String spaceId) {
    return List.<String[]>of(new String[] {EventTypes.CREATE, ""}, new String[] {EventTypes.POWER_LEVELS, ""},
        new String[] {EventTypes.JOIN_RULES, ""}, new String[] {EventTypes.GUEST_ACCESS, ""},
        new String[] {EventTypes.SPACE_PARENT, spaceId}, new String[] {ns.channel(), ""},
        new String[] {EventTypes.NAME, ""});
  }

  /**
   * Where a write's checks read room state: the cache first (a copy, when it is current and shows
   * this client's writes to the room), the homeserver when the checks refuse on cached state.
   */
  private final class CheckedState {
    private final MatrixSteps s;
    private final boolean cacheAllowed;
    private boolean usedCache;

    CheckedState(MatrixSteps s, boolean cacheAllowed) {
      this.s = s;
      this.cacheAllowed = cacheAllowed;
    }

    RoomState state(String roomId, String what) {
      if (cacheAllowed) {
        Optional<RoomState> cached = cache.snapshot(roomId);
        if (cached.isPresent()) {
          usedCache = true;
          return cached.get();
        }
      }
      return DefaultMeloClient.this.state(s, roomId, what);
    }
  }

  /**
   * Runs a write's checks (reads and rules, nothing sent) on cached state; when they refuse
   * ({@link RuleViolationException}, {@link NotFoundException}) and used the cache, runs them again
   * on the homeserver's state, so a cache that is behind never refuses what the homeserver allows.
   */
  private <T> T checked(MatrixSteps s, java.util.function.Function<CheckedState, T> checks) {
    CheckedState cached = new CheckedState(s, true);
    try {
      return checks.apply(cached);
    } catch (RuleViolationException | NotFoundException refused) {
      if (!cached.usedCache) {
        throw refused;
      }
      return checks.apply(new CheckedState(s, false));
    }
  }

  private long myLevel(RoomState room) {
    return room.powerLevels().userLevel(userId);
  }

  /**
   * The Melo server a space's state describes; NotFound when it is none, or (unless {@code
   * allowDeleted}) when it is deleted or this user is not joined to it: a homeserver answers a
   * user who left or was kicked with the state as of that moment, which is no current server.
   */
  private Server toServer(RoomState space, boolean allowDeleted) {
    String id = space.roomId();
    CreateContent create = CreateContent.from(space.content(EventTypes.CREATE));
    StateContents.Server server = StateContents.Server.from(space.content(ns.server()));
    if (!CreateContent.SPACE.equals(create.type()) || !server.hasOwner()) {
      throw new NotFoundException("server " + id + " (the room is not a " + ns.prefix() + " server)", null);
    }
    if (!allowDeleted && StateContents.Deletion.from(space.content(ns.serverDeleted())).isDeletion()) {
      throw new NotFoundException("server " + id + " (deleted)", null);
    }
    if (!allowDeleted && !"join".equals(space.membership(userId).orElse(null))) {
      throw new NotFoundException("server " + id + " (" + userId + " is not a member)", null);
    }
    Optional<InviteCode> invite = Optional.empty();
    if (server.inviteCode() != null) {
      try {
        invite = Optional.of(new InviteCode(server.inviteCode(), serverNameOf(server.ownerId())));
      } catch (IllegalArgumentException malformed) {
        invite = Optional.empty();
      }
    }
    return new Server(
        id,
        space.content(EventTypes.NAME).getString("name", ""),
        space.content(EventTypes.TOPIC).getString("topic"),
        space.content(EventTypes.AVATAR).getString("url"),
        server.ownerId(),
        invite,
        server.createdAt() != null ? server.createdAt() : space.createdAt());
  }

  /** The channel a room's state describes, or empty when it is none or deleted. */
  private Optional<Channel> toChannel(RoomState room, String serverId) {
    return toChannel(room, serverId, false);
  }

  /** The channel a room is; a channel marked deleted is hidden unless {@code includeDeleted}. */
  private Optional<Channel> toChannel(RoomState room, String serverId, boolean includeDeleted) {
    JsonObject channelContent = room.content(ns.channel());
    if (!room.event(ns.channel(), "").isPresent()
        || (!includeDeleted && isMarkedDeleted(room))) {
      return Optional.empty();
    }
    StateContents.Channel channel = StateContents.Channel.from(channelContent);
    String creator = channel.creatorId();
    if (creator == null || !creator.startsWith("@")) {
      creator = room.creator().orElse(userId);
    }
    return Optional.of(
        new Channel(
            room.roomId(),
            serverId,
            room.content(EventTypes.NAME).getString("name", ""),
            room.content(EventTypes.TOPIC).getString("topic"),
            channel.channelType(),
            channel.type() == null ? ChannelType.TEXT.name() : channel.type(),
            creator,
            channel.createdAt() != null ? channel.createdAt() : room.createdAt()));
  }

  private boolean isMarkedDeleted(RoomState room) {
    return StateContents.Deletion.from(room.content(ns.channelDeleted())).isDeletion();
  }

  /** The space's current children (channel room ids), in state order. */
  private static List<String> childIds(RoomState space) {
    List<String> ids = new ArrayList<>();
    space.events(EventTypes.SPACE_CHILD).forEach((stateKey, event) -> {
      if (!SpaceChildContent.from(event.content()).isRemoved()) {
        ids.add(stateKey);
      }
    });
    return ids;
  }

  /** A channel with its server, checked from both sides (the space must list it as a child). */
  private record Placed(RoomState room, RoomState space, Server server, Channel channel) {}

  /**
   * Finds a channel's server. With {@code includeDeleted}, a channel already marked deleted but
   * still listed by its space is found too (a deletion that stopped midway, to be completed).
   */
  private Placed placeChannel(CheckedState reads, String channelId, boolean includeDeleted) {
    RoomState room = notInRoom(() -> reads.state(channelId, "channel " + channelId), "channel " + channelId);
    for (String parentId : room.events(EventTypes.SPACE_PARENT).keySet()) {
      RoomState space;
      try {
        space = reads.state(parentId, "server " + parentId);
      } catch (MeloException unreadable) {
        continue;
      }
      if (!childIds(space).contains(channelId)) {
        continue;
      }
      Server server = toServer(space, false);
      Optional<Channel> channel = toChannel(room, parentId, includeDeleted);
      if (channel.isPresent()) {
        return new Placed(room, space, server, channel.get());
      }
    }
    throw new NotFoundException("channel " + channelId, null);
  }

  private Channel readChannel(MatrixSteps s, String channelId, String serverId) {
    return toChannel(state(s, channelId, "channel " + channelId), serverId)
        .orElseThrow(() -> new NotFoundException("channel " + channelId, null));
  }

  private MessageAggregator aggregator(String roomId) {
    synchronized (rooms) {
      return rooms.computeIfAbsent(roomId, id -> new MessageAggregator(id, MESSAGE_MEMORY));
    }
  }

  /**
   * Feeds an event the sync read into the history of its room, when this client has read or
   * written there: later edits, reactions and deletions then show on the next {@code messages(..)}
   * read even where it does not read the events again (a page read with an older cursor). Fires
   * nothing. Called on the sync thread under the cache lock; takes only the history locks.
   */
  private void historyRead(String roomId, TimelineReader.Item item) {
    if (item instanceof TimelineReader.OtherItem) {
      return;
    }
    MessageAggregator room;
    synchronized (rooms) {
      room = rooms.get(roomId);
    }
    if (room != null) {
      synchronized (room) {
        TimelineReader.feed(room, item);
        room.notifyAll(); // a send waiting for its echo (see sent)
      }
    }
  }

  /** Runs the steps in order; a failure after the first becomes a {@link PartialFailureException}. */
  private static void cascade(String action, List<String> names, List<Runnable> steps) {
    cascadeFrom(action, names, steps, 0);
  }

  /** Like {@link #cascade}, with the steps before {@code first} already done. */
  private static void cascadeFrom(String action, List<String> names, List<Runnable> steps, int first) {
    List<String> done = new ArrayList<>(names.subList(0, first));
    for (int i = first; i < steps.size(); i++) {
      try {
        steps.get(i).run();
      } catch (MeloException e) {
        throw new PartialFailureException(action, done, names.get(i), names.subList(i + 1, names.size()), e);
      }
      done.add(names.get(i));
    }
  }

  // ------------------------------------------------------------------ servers

  @Override
  public MeloCall<Server> createServer(String name) {
    String serverNameValue = Rules.strip(requireText(name, "name"));
    // Fixed per call and kept by its copies: the invite code marks the space this call creates,
    // so a copy run after a failure finds that space and completes it instead of making another.
    InviteCode invite = InviteCode.generate(serverName);
    Instant createdAt = truncate(Instant.now());
    ServerCreation progress = new ServerCreation();
    return call("creating server " + serverNameValue,
        s -> createServer(s, serverNameValue, invite, createdAt, progress));
  }

  /** What the runs of one createServer call (and its copies) have learned so far. */
  private static final class ServerCreation {
    /** The space, once created (or found again by its invite code). */
    String spaceId;
    /** The general channel, once created (or found again). */
    String generalId;
    /** A request to create the space (or general) was sent: it may exist even without an answer. */
    boolean spaceRequested;
    boolean generalRequested;
  }

  private Server createServer(MatrixSteps s, String name, InviteCode invite, Instant createdAt, ServerCreation progress) {
    synchronized (progress) { // copies of one call never run its steps side by side
      String action = "creating server " + name;
      String alias = invite.alias(ns.prefix());
      PowerLevelTemplate levels = PowerLevelTemplate.space(ns, userId);
      String spaceId = progress.spaceId;
      if (spaceId == null && progress.spaceRequested) {
        spaceId = findJoinedRoom(s, roomId -> isSpaceOf(s, roomId, invite)).orElse(null);
      }
      if (spaceId == null) {
        CreateRoomRequest space =
            CreateRoomRequest.builder()
                .name(name)
                .preset(CreateRoomRequest.PUBLIC_CHAT)
                .visibility(Visibility.PRIVATE)
                .roomVersion(ROOM_VERSION)
                .creationContent(JsonObject.builder().put("type", CreateContent.SPACE).build())
                .initialState(ns.server(), "", StateContents.Server.of(invite.code(), userId, createdAt).toJson())
                .powerLevelContentOverride(levels.toContent().toJson())
                .build();
        progress.spaceRequested = true;
        // Failing here leaves nothing this call can name: a plain error (the copy still finds a
        // space whose answer was lost, by its invite code).
        spaceId = s.run("creating the space", matrix.createRoom(space));
      }
      progress.spaceId = spaceId;
      cache.roomWrite(spaceId, spaceKeys());
      String space = spaceId;
      List<String> done = new ArrayList<>();
      done.add("create space " + spaceId);
      String create = "create channel " + Channel.GENERAL;
      String link = "add channel " + Channel.GENERAL + " to the space";
      String publish = "publish invite alias " + alias;
      List<String> steps = List.of(create, link, publish);
      String step = create;
      try {
        String generalId = progress.generalId;
        if (generalId == null && progress.generalRequested) {
          generalId = findJoinedRoom(s, roomId -> !roomId.equals(space) && isChannelOf(s, roomId, space, createdAt))
              .orElse(null);
        }
        if (generalId == null) {
          progress.generalRequested = true;
          generalId = createChannelOnly(s, space, Channel.GENERAL, ChannelType.TEXT, levels.users(), createdAt);
        }
        progress.generalId = generalId;
        cache.roomWrite(generalId, channelKeys(space));
        done.add(create + " " + generalId);
        step = link;
        linkChannel(s, space, generalId, Channel.GENERAL, levels.users());
        done.add(step);
        step = publish;
        publishAlias(s, alias, space);
      } catch (MeloException e) {
        throw new PartialFailureException(action, done, step, steps.subList(steps.indexOf(step) + 1, steps.size()), e);
      }
      return new Server(spaceId, name, Optional.empty(), Optional.empty(), userId, Optional.of(invite), createdAt);
    }
  }

  /** Creates the invite alias; an alias that already points to the space (an earlier run's) is fine. */
  private void publishAlias(MatrixSteps s, String alias, String spaceId) {
    try {
      s.run("publishing the invite alias", matrix.createAlias(alias, spaceId));
    } catch (MeloException e) {
      AliasResolution existing;
      try {
        existing = s.run("checking the invite alias", matrix.resolveAlias(alias));
      } catch (MeloException notThere) {
        throw e;
      }
      if (!spaceId.equals(existing.roomId())) {
        throw e;
      }
    }
  }

  /** The first joined room that {@code test} accepts (one request per room; for re-runs only). */
  private Optional<String> findJoinedRoom(MatrixSteps s, java.util.function.Predicate<String> test) {
    for (String roomId : s.run("listing joined rooms", matrix.joinedRooms())) {
      if (test.test(roomId)) {
        return Optional.of(roomId);
      }
    }
    return Optional.empty();
  }

  /** True when the room is the space this user created with {@code invite}. */
  private boolean isSpaceOf(MatrixSteps s, String roomId, InviteCode invite) {
    try {
      StateContents.Server server = StateContents.Server.from(
          s.run("reading " + ns.server() + " of " + roomId, matrix.stateEvent(roomId, ns.server(), "")));
      return invite.code().equals(server.inviteCode()) && userId.equals(server.ownerId());
    } catch (NotFoundException | RuleViolationException notIt) {
      return false;
    }
  }

  /** True when the room is a channel this user created for {@code spaceId} at {@code createdAt}. */
  private boolean isChannelOf(MatrixSteps s, String roomId, String spaceId, Instant createdAt) {
    try {
      StateContents.Channel channel = StateContents.Channel.from(
          s.run("reading " + ns.channel() + " of " + roomId, matrix.stateEvent(roomId, ns.channel(), "")));
      if (!userId.equals(channel.creatorId()) || !createdAt.equals(channel.createdAt())) {
        return false;
      }
      s.run("reading the parent of " + roomId, matrix.stateEvent(roomId, EventTypes.SPACE_PARENT, spaceId));
      return true;
    } catch (NotFoundException | RuleViolationException notIt) {
      return false;
    }
  }

  private static Instant truncate(Instant instant) {
    return Instant.ofEpochMilli(instant.toEpochMilli());
  }

  /** Creates the room of a channel of {@code spaceId}, not yet listed by the space. */
  private String createChannelOnly(
      MatrixSteps s, String spaceId, String name, ChannelType type, Map<String, Long> spaceUsers, Instant now) {
    PowerLevelTemplate.Channel levels = PowerLevelTemplate.channel(ns, spaceUsers, userId);
    CreateRoomRequest request =
        CreateRoomRequest.builder()
            .name(name)
            .preset(CreateRoomRequest.PRIVATE_CHAT)
            .roomVersion(ROOM_VERSION)
            .initialState(EventTypes.JOIN_RULES, "", JoinRulesContent.restricted(spaceId).toJson())
            .initialState(EventTypes.GUEST_ACCESS, "", GuestAccessContent.of(GuestAccess.FORBIDDEN).toJson())
            .initialState(EventTypes.SPACE_PARENT, spaceId, SpaceParentContent.of(List.of(serverName), true).toJson())
            .initialState(ns.channel(), "", StateContents.Channel.of(type, userId, now).toJson())
            .powerLevelContentOverride(levels.initial().toContent().toJson())
            .build();
    String roomId = s.run("creating channel " + name, matrix.createRoom(request));
    cache.roomWrite(roomId, channelKeys(spaceId));
    return roomId;
  }

  /** Lists a new channel room as a child of the space, then lowers a creator below 100 to its level. */
  private void linkChannel(MatrixSteps s, String spaceId, String roomId, String name, Map<String, Long> spaceUsers) {
    PowerLevelTemplate.Channel levels = PowerLevelTemplate.channel(ns, spaceUsers, userId);
    sendState(s, "adding channel " + name + " to the server",
        spaceId, EventTypes.SPACE_CHILD, roomId, SpaceChildContent.of(List.of(serverName)).toJson());
    if (levels.lowerCreatorTo().isPresent()) {
      lowerCreator(s, roomId, levels.lowerCreatorTo().getAsLong());
    }
  }

  /** The last step of a channel made by a MODERATOR: its creation level 100 goes down to its space level. */
  private void lowerCreator(MatrixSteps s, String roomId, long level) {
    JsonObject current = s.run("reading the power levels of channel " + roomId, matrix.stateEvent(roomId, EventTypes.POWER_LEVELS, ""));
    PowerLevelsContent levels = PowerLevelsContent.from(current);
    if (levels.userLevel(userId) != level) {
      sendState(s, "lowering the creator's level in the channel",
          roomId, EventTypes.POWER_LEVELS, "", levels.withUser(userId, level).toJson());
    }
  }

  @Override
  public MeloCall<Server> server(String serverId) {
    requireRoomId(serverId, "serverId");
    return call("reading server " + serverId, s -> {
      Optional<Server> cached = cache.read(view -> {
        RoomState space = view.room(serverId);
        return space == null ? null : toServer(space, false);
      });
      return cached.isPresent() ? cached.get() : toServer(spaceState(s, serverId), false);
    });
  }

  /** The order of {@link #servers()}: oldest first, then by id. */
  private static final Comparator<Server> SERVER_ORDER =
      Comparator.comparing(Server::createdAt).thenComparing(Server::id);

  /** The servers the cache shows, and the rooms to read from the homeserver instead (own writes not shown yet). */
  private record CachedServers(List<Server> servers, Set<String> dirty) {}

  @Override
  public MeloCall<List<Server>> servers() {
    return call("listing servers", s -> {
      Optional<CachedServers> cached = cache.read(view -> {
        List<Server> servers = new ArrayList<>();
        for (RoomState room : view.rooms()) {
          if (isLiveServer(room) && !view.isDirty(room.roomId())) {
            servers.add(toServer(room, false));
          }
        }
        return new CachedServers(servers, view.dirtyRooms());
      });
      List<Server> servers = new ArrayList<>();
      Iterable<String> fromHomeserver;
      if (cached.isPresent()) {
        servers.addAll(cached.get().servers());
        fromHomeserver = cached.get().dirty();
      } else {
        fromHomeserver = s.run("listing joined rooms", matrix.joinedRooms());
      }
      for (String roomId : fromHomeserver) {
        RoomState room;
        try {
          room = state(s, roomId, "room " + roomId);
        } catch (NotFoundException | RuleViolationException unreadable) {
          continue;
        }
        // A room from the cache's own-write list may have been left (its state stays readable).
        if (isLiveServer(room) && "join".equals(room.membership(userId).orElse(null))) {
          servers.add(toServer(room, false));
        }
        // else another kind of room: a channel, a conversation, or a deleted server
      }
      servers.sort(SERVER_ORDER);
      return servers;
    });
  }

  /** True for a Melo server that is not deleted: what {@link #toServer} accepts, without an exception. */
  private boolean isLiveServer(RoomState room) {
    if (!room.isSpace()) {
      return false;
    }
    String owner = room.content(ns.server()).getStringOrNull("ownerId"); // StateContents.Server.hasOwner()
    return owner != null && owner.startsWith("@")
        && (room.entry(ns.serverDeleted(), "") == null
            || !StateContents.Deletion.from(room.content(ns.serverDeleted())).isDeletion());
  }

  @Override
  public MeloCall<Server> updateServer(String serverId, ServerUpdate update) {
    requireRoomId(serverId, "serverId");
    Objects.requireNonNull(update, "update");
    return call("updating server " + serverId, s -> {
      RoomState space = checked(s, reads -> {
        RoomState checkedSpace = reads.state(serverId, "server " + serverId);
        toServer(checkedSpace, false);
        Rules.requireAdmin("updating the server", userId, myLevel(checkedSpace));
        return checkedSpace;
      });
      if (update.name().isPresent()) {
        sendState(s, "renaming the server", serverId, EventTypes.NAME, "",
            space.content(EventTypes.NAME).with("name", Rules.strip(update.name().get())));
      }
      if (update.topic().isPresent()) {
        sendState(s, "setting the server's topic", serverId, EventTypes.TOPIC, "",
            space.content(EventTypes.TOPIC).with("topic", update.topic().get()));
      }
      if (update.imageUrl().isPresent()) {
        sendState(s, "setting the server's image", serverId, EventTypes.AVATAR, "",
            space.content(EventTypes.AVATAR).with("url", update.imageUrl().get()));
      }
      return toServer(state(s, serverId, "server " + serverId), false);
    });
  }

  @Override
  public MeloCall<Void> deleteServer(String serverId) {
    requireRoomId(serverId, "serverId");
    return call("deleting server " + serverId, s -> {
      RoomState space = spaceState(s, serverId);
      toServer(space, true);
      boolean marked = isDeletion(space.content(ns.serverDeleted()));
      String membership = space.membership(userId).orElse("leave");
      // A deleted server this user has left is a deletion that completed: a re-run does nothing.
      if (!"join".equals(membership) && !(marked && "leave".equals(membership))) {
        throw new NotFoundException("server " + serverId + " (" + userId + " is not a member)", null);
      }
      Rules.requireAdmin("deleting the server", userId, myLevel(space));
      Set<String> joined = new HashSet<>(s.run("listing joined rooms", matrix.joinedRooms()));
      JsonObject marker = StateContents.Deletion.of(userId, Instant.now()).toJson();
      List<String> channels = childIds(space);
      List<String> names = new ArrayList<>();
      List<Runnable> steps = new ArrayList<>();
      // Markers first (a re-run keeps a marker as first written), then this user leaves every
      // room, the space last: until then a re-run still reads the space and completes the job.
      for (String channelId : channels) {
        names.add("mark channel " + channelId + " deleted");
        steps.add(() -> {
          if (!isMarked(s, channelId, ns.channelDeleted())) {
            sendState(s, "marking channel " + channelId + " deleted", channelId, ns.channelDeleted(), "", marker);
          }
        });
      }
      names.add("mark server " + serverId + " deleted");
      steps.add(() -> {
        if (!marked) {
          sendState(s, "marking the server deleted", serverId, ns.serverDeleted(), "", marker);
        }
      });
      addLeaveSteps(s, serverId, channels, joined, names, steps);
      cascade("deleting server " + serverId, names, steps);
      return null;
    });
  }

  private static boolean isDeletion(JsonObject content) {
    return StateContents.Deletion.from(content).isDeletion();
  }

  /**
   * Adds the cascade steps by which this user leaves a server: each channel still in {@code joined},
   * then the space last (until then a re-run still reads the space and completes the job).
   */
  private void addLeaveSteps(MatrixSteps s, String serverId, List<String> channels, Set<String> joined,
      List<String> names, List<Runnable> steps) {
    for (String channelId : channels) {
      if (joined.contains(channelId)) {
        names.add("leave channel " + channelId);
        steps.add(() -> changeMembership(s, "leaving channel " + channelId, channelId, userId, LEFT,
            matrix.leave(channelId, null)));
      }
    }
    if (joined.contains(serverId)) {
      names.add("leave the space " + serverId);
      steps.add(() -> changeMembership(s, "leaving the space", serverId, userId, LEFT, matrix.leave(serverId, null)));
    }
  }

  /** True when a room carries the deletion marker {@code type}: per the cache when it shows the room, else the homeserver. */
  private boolean isMarked(MatrixSteps s, String roomId, String type) {
    Optional<RoomState> cached = cache.snapshot(roomId);
    if (cached.isPresent()) {
      return isDeletion(cached.get().content(type));
    }
    try {
      return isDeletion(s.run("reading the deletion marker of " + roomId, matrix.stateEvent(roomId, type, "")));
    } catch (NotFoundException none) {
      return false;
    }
  }

  @Override
  public MeloCall<Void> leaveServer(String serverId) {
    requireRoomId(serverId, "serverId");
    return call("leaving server " + serverId, s -> {
      RoomState space = spaceState(s, serverId);
      Server server = toServer(space, true);
      Rules.requireCanLeave(userId, server.ownerId(), isDeletion(space.content(ns.serverDeleted())));
      Set<String> joined = new HashSet<>(s.run("listing joined rooms", matrix.joinedRooms()));
      List<String> names = new ArrayList<>();
      List<Runnable> steps = new ArrayList<>();
      // Only the rooms this user is still in: a re-run after a partial failure (or after the
      // owner's deletion left them all) leaves what is left, and nothing more.
      addLeaveSteps(s, serverId, childIds(space), joined, names, steps);
      cascade("leaving server " + serverId, names, steps);
      return null;
    });
  }

  @Override
  public MeloCall<Server> joinServer(InviteCode invite) {
    Objects.requireNonNull(invite, "invite");
    String alias = invite.alias(ns.prefix());
    return call("joining with invite " + alias, s -> {
      String spaceId;
      if (config.inviteResolver().isPresent()) {
        // The app's own resolution names the space: join it by room id, through its servers.
        InviteResolver.Target target = config.inviteResolver().get().resolve(invite)
            .orElseThrow(() -> new NotFoundException("invite code " + invite.code() + " on " + invite.server(), null));
        List<String> via = target.via().isEmpty() ? List.of(invite.server()) : target.via();
        spaceId = s.run("joining the space", "server " + target.spaceId(), matrix.join(target.spaceId(), via, null));
      } else {
        // DESIGN: GET /directory/room/{alias} (a clear NotFound for a retired code), then
        // POST /join/{alias}: the homeserver resolves the alias again and joins through it.
        try {
          s.run("resolving invite " + alias, matrix.resolveAlias(alias));
        } catch (NotFoundException e) {
          throw new NotFoundException("invite code " + invite.code() + " on " + invite.server(), e.getCause());
        }
        spaceId = s.run("joining the space", "invite code " + invite.code() + " on " + invite.server(),
            matrix.join(alias, List.of(), null));
      }
      return joinedServer(s, spaceId);
    });
  }

  @Override
  public MeloCall<Server> joinServer(String serverId) {
    requireRoomId(serverId, "serverId");
    return call("joining server " + serverId, s -> {
      // An invite's homeserver knows the room; else try the homeserver named in the room id.
      List<String> via = serverId.indexOf(':') < 0 ? List.of() : List.of(serverNameOf(serverId));
      String spaceId = s.run("joining the space", "server " + serverId, matrix.join(serverId, via, null));
      return joinedServer(s, spaceId);
    });
  }

  /** After this user joined a space: the server, with its channels joined too. */
  private Server joinedServer(MatrixSteps s, String spaceId) {
    cache.roomWrite(spaceId, CREATED);
    RoomState space = state(s, spaceId, "server " + spaceId);
    Server server;
    try {
      server = toServer(space, false);
    } catch (NotFoundException notAServer) {
      // The code or id led to a room that is no (longer a) Melo server: do not stay in it.
      changeMembership(s, "leaving " + spaceId, spaceId, userId, LEFT, matrix.leave(spaceId, null));
      throw notAServer;
    }
    joinChannels(s, space, "joining server " + spaceId);
    return server;
  }

  /** Joins every channel of a joined space that this user is not in yet. */
  private void joinChannels(MatrixSteps s, RoomState space, String action) {
    Set<String> joined = new HashSet<>(s.run("listing joined rooms", matrix.joinedRooms()));
    List<String> names = new ArrayList<>();
    List<Runnable> steps = new ArrayList<>();
    for (String channelId : childIds(space)) {
      if (!joined.contains(channelId)) {
        List<String> via = SpaceChildContent.from(space.content(EventTypes.SPACE_CHILD, channelId)).via();
        names.add("join channel " + channelId);
        steps.add(() -> s.run("joining channel " + channelId, "channel " + channelId, matrix.join(channelId, via, null)));
      }
    }
    cascade(action, names, steps);
  }

  @Override
  public MeloCall<InviteCode> regenerateInvite(String serverId) {
    requireRoomId(serverId, "serverId");
    // Fixed per call and kept by its copies: a copy run after a lost answer finds the alias it
    // published. The rule below makes this user's homeserver the owner's, where the alias lives.
    InviteCode invite = InviteCode.generate(serverName);
    String action = "regenerating the invite of server " + serverId;
    return call(action, s -> {
      RoomState space = spaceState(s, serverId);
      Server server = toServer(space, false);
      Rules.requireAdmin("regenerating the invite code", userId, myLevel(space));
      Rules.requireOwnersHomeserver("regenerating the invite code", userId, server.ownerId());
      String alias = invite.alias(ns.prefix());
      List<String> aliases = s.run("listing the server's aliases", "server " + serverId, matrix.roomAliases(serverId));
      // The new alias first, then the record, then the old aliases go: whichever step fails,
      // <ns>.server.inviteCode names a code that resolves (the old one until the record changes).
      List<String> names = new ArrayList<>();
      List<Runnable> steps = new ArrayList<>();
      names.add("publish invite alias " + alias);
      steps.add(() -> {
        if (!aliases.contains(alias)) {
          s.run("publishing the new invite alias", matrix.createAlias(alias, serverId));
        }
      });
      names.add("record the new invite code in " + ns.server());
      steps.add(() -> {
        StateContents.Server content = StateContents.Server.from(space.content(ns.server())).withInviteCode(invite.code());
        sendState(s, "recording the new invite code", serverId, ns.server(), "", content.toJson());
      });
      for (String old : aliases) {
        if (!old.equals(alias)) {
          names.add("delete alias " + old);
          steps.add(() -> {
            try {
              s.run("deleting alias " + old, "alias " + old, matrix.deleteAlias(old));
            } catch (NotFoundException alreadyGone) {
              // deleted concurrently: the goal is reached
            }
          });
        }
      }
      // The first step failing changes nothing: a plain error. A later one is a partial failure.
      steps.get(0).run();
      cascadeFrom(action, names, steps, 1);
      return invite;
    });
  }

  // ------------------------------------------------------------------ channels

  @Override
  public MeloCall<Channel> createChannel(String serverId, String name, ChannelType type) {
    requireRoomId(serverId, "serverId");
    Objects.requireNonNull(type, "type");
    requireText(name, "name");
    // Fixed per call and kept by its copies (like createServer's invite code): the room this
    // call creates is found again by its creator, createdAt and parent.
    Instant createdAt = truncate(Instant.now());
    ChannelCreation progress = new ChannelCreation();
    return call("creating channel " + name + " in server " + serverId, s -> {
      synchronized (progress) { // copies of one call never run its steps side by side
        RoomState space = state(s, serverId, "server " + serverId);
        toServer(space, false);
        Rules.requireChannelManager("creating a channel", userId, myLevel(space));
        String channelName = Rules.requireChannelName(name, userId);
        List<String> banned = new ArrayList<>();
        space.events(EventTypes.MEMBER).forEach((member, event) -> {
          if ("ban".equals(event.content().getStringOrNull("membership"))) {
            banned.add(member);
          }
        });
        Map<String, Long> spaceUsers = space.powerLevels().users();
        String roomId = progress.roomId;
        if (roomId == null && progress.requested) {
          roomId = findJoinedRoom(s, id -> !id.equals(serverId) && isChannelOf(s, id, serverId, createdAt)).orElse(null);
        }
        if (roomId == null) {
          progress.requested = true;
          // Failing here leaves nothing this call can name: a plain error.
          roomId = createChannelOnly(s, serverId, channelName, type, spaceUsers, createdAt);
        }
        progress.roomId = roomId;
        cache.roomWrite(roomId, channelKeys(serverId));
        String channelId = roomId;
        List<String> names = new ArrayList<>();
        List<Runnable> steps = new ArrayList<>();
        names.add("create channel " + channelName + " " + channelId);
        steps.add(() -> { });
        for (String user : banned) {
          names.add("ban " + user + " from the channel");
          steps.add(() -> changeMembership(s, "banning " + user + " from the new channel", channelId, user, BANNED,
              matrix.ban(channelId, user, null)));
        }
        names.add("add channel " + channelName + " to the server");
        steps.add(() -> sendState(s, "adding channel " + channelName + " to the server", serverId,
            EventTypes.SPACE_CHILD, channelId, SpaceChildContent.of(List.of(serverName)).toJson()));
        java.util.OptionalLong lowerTo = PowerLevelTemplate.channel(ns, spaceUsers, userId).lowerCreatorTo();
        if (lowerTo.isPresent()) {
          names.add("lower " + userId + " to " + lowerTo.getAsLong() + " in the channel");
          steps.add(() -> lowerCreator(s, channelId, lowerTo.getAsLong()));
        }
        cascadeFrom("creating channel " + channelName + " in server " + serverId, names, steps, 1);
        return new Channel(channelId, serverId, channelName, Optional.empty(), type, type.name(), userId, createdAt);
      }
    });
  }

  /** What the runs of one createChannel call (and its copies) have learned so far. */
  private static final class ChannelCreation {
    /** The channel's room, once created (or found again). */
    String roomId;
    /** A request to create the room was sent: it may exist even without an answer. */
    boolean requested;
  }

  @Override
  public MeloCall<List<Channel>> channels(String serverId) {
    requireRoomId(serverId, "serverId");
    return call("listing the channels of server " + serverId, s -> listChannels(s, serverId));
  }

  /**
   * A server's children as a channel listing needs them: ids in state order, each one's {@code via},
   * the stored order, and the channels already known from the cache (absent: read from the homeserver).
   */
  private record Children(String serverId, List<String> ids, Map<String, List<String>> via,
      List<ChannelOrdering.Entry> order, Map<String, Optional<Channel>> known) {}

  /** The server's channels in display order: from the cache where it shows them, else from the homeserver. */
  private List<Channel> listChannels(MatrixSteps s, String serverId) {
    Optional<Children> cached = cache.read(view -> {
      RoomState space = view.room(serverId);
      return space == null ? null : children(space, view);
    });
    return orderedChannels(s, cached.isPresent() ? cached.get() : children(spaceState(s, serverId), null));
  }

  /** The children of a server's space; {@code view} (may be null) supplies the channels the cache shows. */
  private Children children(RoomState space, CacheReads.View view) {
    toServer(space, false);
    List<String> ids = childIds(space);
    Map<String, List<String>> via = new HashMap<>();
    Map<String, Optional<Channel>> known = new HashMap<>();
    for (String childId : ids) {
      via.put(childId, SpaceChildContent.from(space.content(EventTypes.SPACE_CHILD, childId)).via());
      RoomState room = view == null ? null : view.room(childId);
      if (room != null) {
        known.put(childId, toChannel(room, space.roomId()));
      }
    }
    List<ChannelOrdering.Entry> order = StateContents.ChannelOrder.from(space.content(ns.channelOrder())).channels();
    return new Children(space.roomId(), ids, via, order, known);
  }

  private List<Channel> orderedChannels(MatrixSteps s, Children space) {
    Map<String, Channel> channels = new LinkedHashMap<>();
    for (String childId : space.ids()) {
      Optional<Channel> known = space.known().get(childId);
      if (known != null) {
        known.ifPresent(channel -> channels.put(channel.id(), channel));
        continue;
      }
      RoomState room;
      try {
        room = state(s, childId, "channel " + childId);
      } catch (RuleViolationException notJoined) {
        // A channel created since this user joined: a space member may join it (restricted join).
        try {
          s.run("joining channel " + childId, "channel " + childId, matrix.join(childId, space.via().get(childId), null));
          room = state(s, childId, "channel " + childId);
        } catch (MeloException cannotJoin) {
          continue;
        }
      } catch (NotFoundException gone) {
        continue;
      }
      toChannel(room, space.serverId()).ifPresent(channel -> channels.put(channel.id(), channel));
    }
    List<ChannelOrdering.Child> children = new ArrayList<>();
    channels.values().forEach(c -> children.add(new ChannelOrdering.Child(c.id(), c.createdAt())));
    List<Channel> ordered = new ArrayList<>();
    for (String id : ChannelOrdering.order(children, space.order())) {
      ordered.add(channels.get(id));
    }
    return ordered;
  }

  @Override
  public MeloCall<Channel> renameChannel(String channelId, String newName) {
    requireRoomId(channelId, "channelId");
    requireText(newName, "newName");
    return call("renaming channel " + channelId, s -> {
      Placed placed = checked(s, reads -> {
        Placed found = placeChannel(reads, channelId, false);
        Rules.requireChannelManager("renaming a channel", userId, myLevel(found.space()));
        Rules.requireNotGeneral("renaming a channel", found.channel(), userId);
        return found;
      });
      String name = Rules.requireChannelName(newName, userId);
      sendState(s, "renaming the channel", channelId, EventTypes.NAME, "",
          placed.room().content(EventTypes.NAME).with("name", name));
      return readChannel(s, channelId, placed.server().id());
    });
  }

  @Override
  public MeloCall<Channel> setChannelTopic(String channelId, String topic) {
    requireRoomId(channelId, "channelId");
    Objects.requireNonNull(topic, "topic");
    return call("setting the topic of channel " + channelId, s -> {
      Placed placed = checked(s, reads -> {
        Placed found = placeChannel(reads, channelId, false);
        Rules.requireChannelManager("setting a channel's topic", userId, myLevel(found.space()));
        return found;
      });
      sendState(s, "setting the channel's topic", channelId, EventTypes.TOPIC, "",
          placed.room().content(EventTypes.TOPIC).with("topic", topic));
      return readChannel(s, channelId, placed.server().id());
    });
  }

  @Override
  public MeloCall<Void> deleteChannel(String channelId) {
    requireRoomId(channelId, "channelId");
    // Set once a run of this call (or of a copy: they share this lambda) sent the removal from the
    // space: a re-run that then finds the channel marked deleted and listed nowhere has nothing
    // left to do (the removal's answer was lost), which is success. A new call stays NotFound.
    AtomicBoolean removalSent = new AtomicBoolean();
    return call("deleting channel " + channelId, s -> {
      // A channel already marked deleted but still listed is a deletion that stopped midway:
      // running it again completes it (the marker stays as first written).
      Placed placed;
      try {
        placed = checked(s, reads -> {
          Placed found = placeChannel(reads, channelId, true);
          Rules.requireChannelManager("deleting a channel", userId, myLevel(found.space()));
          Rules.requireNotGeneral("deleting a channel", found.channel(), userId);
          return found;
        });
      } catch (NotFoundException gone) {
        if (removalSent.get() && markedDeleted(s, channelId)) {
          return null;
        }
        throw gone;
      }
      List<String> names = new ArrayList<>();
      List<Runnable> steps = new ArrayList<>();
      if (!isMarkedDeleted(placed.room())) {
        names.add("mark channel " + channelId + " deleted");
        steps.add(() -> sendState(s, "marking the channel deleted", channelId, ns.channelDeleted(), "",
            StateContents.Deletion.of(userId, Instant.now()).toJson()));
      }
      names.add("remove channel " + channelId + " from server " + placed.server().id());
      steps.add(() -> {
        removalSent.set(true);
        sendState(s, "removing the channel from the server", placed.server().id(),
            EventTypes.SPACE_CHILD, channelId, SpaceChildContent.removed().toJson());
      });
      // The first step failing changes nothing: a plain error. A later one is a partial failure.
      steps.get(0).run();
      cascadeFrom("deleting channel " + channelId, names, steps, 1);
      return null;
    });
  }

  /** True when the homeserver shows channel {@code channelId} marked deleted (its room readable). */
  private boolean markedDeleted(MatrixSteps s, String channelId) {
    try {
      return isMarkedDeleted(state(s, channelId, "channel " + channelId));
    } catch (MeloException unreadable) {
      return false;
    }
  }

  @Override
  public MeloCall<List<Channel>> reorderChannels(String serverId, List<String> channelIds) {
    requireRoomId(serverId, "serverId");
    List<String> requested = List.copyOf(channelIds);
    if (new HashSet<>(requested).size() != requested.size()) {
      throw new IllegalArgumentException("channels listed more than once: " + requested);
    }
    return call("reordering the channels of server " + serverId, s -> {
      RoomState space = checked(s, reads -> {
        RoomState checkedSpace = reads.state(serverId, "server " + serverId);
        toServer(checkedSpace, false);
        Rules.requireChannelManager("reordering channels", userId, myLevel(checkedSpace));
        return checkedSpace;
      });
      List<Channel> current = listChannels(s, serverId);
      List<String> currentIds = new ArrayList<>();
      current.forEach(c -> currentIds.add(c.id()));
      List<ChannelOrdering.Entry> entries = ChannelOrdering.reorder(currentIds, requested);
      StateContents.ChannelOrder content =
          StateContents.ChannelOrder.from(space.content(ns.channelOrder())).withChannels(entries);
      sendState(s, "storing the channel order", serverId, ns.channelOrder(), "", content.toJson());
      Map<String, Channel> byId = new HashMap<>();
      current.forEach(c -> byId.put(c.id(), c));
      List<Channel> result = new ArrayList<>();
      entries.forEach(e -> result.add(byId.get(e.roomId())));
      return result;
    });
  }

  // ------------------------------------------------------------------ members

  @Override
  public MeloCall<List<Member>> members(String serverId) {
    requireRoomId(serverId, "serverId");
    return call("listing the members of server " + serverId, s -> new ArrayList<>(listMembers(s, serverId)));
  }

  private static final Comparator<Member> MEMBER_ORDER =
      Comparator.comparing(Member::owner).reversed()
          .thenComparing(Comparator.comparingLong(Member::powerLevel).reversed())
          .thenComparing(Member::userId);

  /** A space's joined members, unsorted, read from the cache at {@code version} of its state. */
  private record UnsortedMembers(int version, List<Member> members) {}

  /** The sorted members of a space, as kept with its cached state ({@link RoomState#memo}). */
  private record SortedMembers(List<Member> members) {}

  /**
   * The server's members in {@link #MEMBER_ORDER}, unmodifiable: from the cache when it shows the
   * space, else from the homeserver. The cache keeps the sorted list with the space's state until
   * that state changes, so paging through a big server sorts it once per change, not per page.
   */
  private List<Member> listMembers(MatrixSteps s, String serverId) {
    Optional<Object> cached = cache.read(view -> {
      RoomState space = view.room(serverId);
      if (space == null) {
        return null;
      }
      Object memo = space.memo();
      return memo instanceof SortedMembers ? memo : new UnsortedMembers(space.version(), joinedMembers(space));
    });
    if (cached.isPresent() && cached.get() instanceof SortedMembers sorted) {
      return sorted.members();
    }
    List<Member> members;
    if (cached.isPresent()) {
      UnsortedMembers read = (UnsortedMembers) cached.get();
      members = read.members();
      members.sort(MEMBER_ORDER); // outside the cache lock
      List<Member> kept = java.util.Collections.unmodifiableList(members);
      cache.read(view -> {
        RoomState space = view.room(serverId);
        if (space != null) {
          space.memo(read.version(), new SortedMembers(kept));
        }
        return Boolean.TRUE;
      });
      return kept;
    }
    members = joinedMembers(spaceState(s, serverId));
    members.sort(MEMBER_ORDER);
    return java.util.Collections.unmodifiableList(members);
  }

  /** The joined members of a server's space, unsorted. */
  private List<Member> joinedMembers(RoomState space) {
    Server server = toServer(space, false);
    PowerLevelsContent levels = space.powerLevels();
    List<Member> members = new ArrayList<>();
    space.events(EventTypes.MEMBER).forEach((member, entry) -> {
      if ("join".equals(entry.membership())) {
        members.add(member(server, levels, member, entry.content()));
      }
    });
    return members;
  }

  @Override
  public MeloCall<io.melo.core.MemberPage> members(String serverId, String cursor, int limit) {
    requireRoomId(serverId, "serverId");
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000, was: " + limit);
    }
    // The cursor names the last member of the previous page by its sort key (owner flag, level,
    // user id), so paging stays in order even when that member left or changed role meanwhile.
    Member after = cursor == null ? null : memberFromCursor(serverId, cursor);
    return call("listing the members of server " + serverId, s -> {
      List<Member> all = listMembers(s, serverId);
      int start = 0;
      if (after != null) {
        // The first member after the cursor's key: a binary search of the sorted list.
        int found = java.util.Collections.binarySearch(all, after, MEMBER_ORDER);
        start = found >= 0 ? found + 1 : -found - 1;
      }
      int end = Math.min(all.size(), start + limit);
      List<Member> page = new ArrayList<>(all.subList(start, end));
      Optional<String> next = Optional.empty();
      if (end < all.size() && !page.isEmpty()) {
        Member last = page.get(page.size() - 1);
        next = Optional.of((last.owner() ? "1" : "0") + ":" + last.powerLevel() + ":" + last.userId());
      }
      return new io.melo.core.MemberPage(page, next);
    });
  }

  private static Member memberFromCursor(String serverId, String cursor) {
    String[] parts = cursor.split(":", 3);
    try {
      if (parts.length == 3) {
        long level = Long.parseLong(parts[1]);
        return new Member(serverId, Profile.of(parts[2]), Role.fromPowerLevel(level), level, parts[0].equals("1"));
      }
    } catch (IllegalArgumentException malformed) {
      // reported below
    }
    throw new IllegalArgumentException("not a member cursor of this client: " + cursor);
  }

  private Member member(Server server, RoomState space, String memberId, JsonObject memberContent) {
    return member(server, space.powerLevels(), memberId, memberContent);
  }

  private Member member(Server server, PowerLevelsContent levels, String memberId, JsonObject memberContent) {
    long level = levels.userLevel(memberId);
    Profile profile = new Profile(memberId, memberContent.getString("displayname"), memberContent.getString("avatar_url"));
    return new Member(server.id(), profile, Role.fromPowerLevel(level), level, server.isOwnedBy(memberId));
  }

  @Override
  public MeloCall<Member> changeRole(String serverId, String memberId, Role role) {
    requireRoomId(serverId, "serverId");
    requireUserId(memberId, "userId");
    Objects.requireNonNull(role, "role");
    return call("changing the role of " + memberId + " in server " + serverId, s -> {
      RoomState space = state(s, serverId, "server " + serverId);
      Server server = toServer(space, false);
      Rules.requireCanChangeRole(userId, server.ownerId(), memberId);
      if (!space.membership(memberId).filter("join"::equals).isPresent()) {
        throw new NotFoundException("member " + memberId + " in server " + serverId, null);
      }
      List<String> rooms = new ArrayList<>();
      rooms.add(serverId);
      rooms.addAll(childIds(space));
      List<String> names = new ArrayList<>();
      List<Runnable> steps = new ArrayList<>();
      for (String roomId : rooms) {
        names.add("set " + memberId + " to " + role + " in " + roomId);
        steps.add(() -> {
          JsonObject current = s.run("reading the power levels of " + roomId,
              matrix.stateEvent(roomId, EventTypes.POWER_LEVELS, ""));
          PowerLevelsContent levels = PowerLevelsContent.from(current);
          if (levels.userLevel(memberId) != role.powerLevel()) {
            sendState(s, "setting the power level in " + roomId, roomId, EventTypes.POWER_LEVELS, "",
                levels.withUser(memberId, role.powerLevel()).toJson());
          }
        });
      }
      cascade("changing the role of " + memberId + " in server " + serverId, names, steps);
      return member(server, state(s, serverId, "server " + serverId), memberId,
          space.content(EventTypes.MEMBER, memberId));
    });
  }

  @Override
  public MeloCall<Void> kick(String serverId, String memberId, String reason) {
    return removeMember(serverId, memberId, reason, false);
  }

  @Override
  public MeloCall<Void> ban(String serverId, String memberId, String reason) {
    return removeMember(serverId, memberId, reason, true);
  }

  private MeloCall<Void> removeMember(String serverId, String memberId, String reason, boolean ban) {
    requireRoomId(serverId, "serverId");
    requireUserId(memberId, "userId");
    String verb = ban ? "banning" : "kicking";
    String action = verb + " " + memberId + " from server " + serverId;
    // Set once a run of this call (or of a copy) sent a kick: a re-run that then finds the member
    // in no room has nothing left to do (the last answer was lost), which is success.
    AtomicBoolean kickSent = new AtomicBoolean();
    return call(action, s -> {
      RoomState space = state(s, serverId, "server " + serverId);
      Server server = toServer(space, false);
      Rules.requireCanRemoveMember(verb + " a member", userId, server.ownerId(), memberId);
      if (!ban && !kickSent.get() && !isMember(space.membership(memberId).orElse("leave"))
          && childIds(space).stream().noneMatch(roomId -> isMember(membershipIn(s, roomId, memberId)))) {
        // Like changeRole: a user id that names nobody in the server is no success. (A ban may
        // be pre-emptive: it keeps a user out who never came.)
        throw new NotFoundException("member " + memberId + " in server " + serverId, null);
      }
      // Channels first, the space last: until the last step the member is still in the space,
      // so a re-run after a partial failure finds them and completes the job.
      List<String> rooms = new ArrayList<>(childIds(space));
      rooms.add(serverId);
      List<String> names = new ArrayList<>();
      List<Runnable> steps = new ArrayList<>();
      for (String roomId : rooms) {
        names.add((ban ? "ban from " : "kick from ") + roomId);
        steps.add(() -> {
          if (ban) {
            try {
              changeMembership(s, "banning from " + roomId, roomId, memberId, BANNED, matrix.ban(roomId, memberId, reason));
            } catch (MeloException e) {
              // A re-run bans again where the first run did: a homeserver that refuses to ban a
              // banned user must not stop the job there.
              String membership;
              try {
                membership = membershipIn(s, roomId, memberId);
              } catch (MeloException unreadable) {
                throw e;
              }
              if (!"ban".equals(membership)) {
                throw e;
              }
            }
            return;
          }
          String membership = roomId.equals(serverId)
              ? space.membership(memberId).orElse("leave")
              : membershipIn(s, roomId, memberId);
          if (isMember(membership)) {
            kickSent.set(true);
            changeMembership(s, "kicking from " + roomId, roomId, memberId, LEFT, matrix.kick(roomId, memberId, reason));
          }
        });
      }
      cascade(action, names, steps);
      return null;
    });
  }

  /** True for a membership a kick removes: join, invite or knock. */
  private static boolean isMember(String membership) {
    return membership.equals("join") || membership.equals("invite") || membership.equals("knock");
  }

  private String membershipIn(MatrixSteps s, String roomId, String memberId) {
    try {
      return s.run("reading the membership in " + roomId, matrix.stateEvent(roomId, EventTypes.MEMBER, memberId))
          .getString("membership", "leave");
    } catch (NotFoundException never) {
      return "leave";
    }
  }

  // ------------------------------------------------------------------ messages

  @Override
  public MeloCall<Message> sendText(String roomId, String text) {
    requireRoomId(roomId, "roomId");
    return send(roomId, MessageContent.text(requireText(text, "text")), Optional.empty(), Optional.empty());
  }

  @Override
  public MeloCall<Message> reply(String roomId, String replyToId, String text) {
    requireRoomId(roomId, "roomId");
    requireEventId(replyToId, "replyToId");
    MessageContent content = MessageContent.text(requireText(text, "text")).withRelatesTo(RelatesTo.reply(replyToId));
    return send(roomId, content, Optional.of(replyToId), Optional.empty(), replyToId);
  }

  @Override
  public MeloCall<Message> sendToThread(String roomId, String threadRootId, String text) {
    requireRoomId(roomId, "roomId");
    requireEventId(threadRootId, "threadRootId");
    MessageContent message = MessageContent.text(requireText(text, "text"));
    String txnId = matrix.newTransactionId(); // one per MeloCall: copies and retries never duplicate
    return call("sending a message to " + roomId, s -> {
      requireNotARelation(roomId, threadRootId);
      String root = threadRootOf(s, roomId, threadRootId);
      requireUnencrypted(s, roomId, "sending a message");
      // In the thread of a message that is itself in a thread (threads do not nest, a homeserver
      // refuses it): m.thread to that thread's root, the message given as the m.in_reply_to
      // fallback (is_falling_back), as Element does for a message sent in a thread.
      MessageContent content = message.withRelatesTo(RelatesTo.thread(root, threadRootId));
      aggregator(roomId); // before the send: the sync's echo then reaches this room's history
      String eventId = s.run("sending the message", matrix.send(roomId, EventTypes.MESSAGE, content.toJson(), txnId));
      return sent(s, roomId, eventId);
    });
  }

  /**
   * The root of the thread a message sent "to the thread of {@code messageId}" goes into: the
   * message itself when it is in no thread, else its thread's root. From this client's history
   * when it knows the message, else from the homeserver; a message that is an edit, a reaction or
   * another relation (which cannot root a thread) is a {@link NotFoundException}.
   */
  private String threadRootOf(MatrixSteps s, String roomId, String messageId) {
    MessageAggregator room = aggregator(roomId);
    Optional<Message> known;
    synchronized (room) {
      known = room.message(messageId);
    }
    if (known.isPresent()) {
      return known.get().threadRootId().orElse(messageId);
    }
    RoomEvent event = s.run("reading message " + messageId, matrix.event(roomId, messageId));
    JsonObject relation = event.content().getObject("m.relates_to").orElse(null);
    if (relation == null || relation.getStringOrNull("rel_type") == null) {
      return messageId; // no relation (a plain reply has only m.in_reply_to): it can root a thread
    }
    RelatesTo relatesTo = RelatesTo.from(relation);
    if (relatesTo.isThread() && relatesTo.eventId() != null) {
      return relatesTo.eventId();
    }
    throw new NotFoundException("message " + messageId + " in " + roomId + " (it is a "
        + relatesTo.relType() + " relation to " + relatesTo.eventId() + ", not a message a thread can start from)",
        null);
  }

  /** {@code m.room.encryption}: the state event that makes a room end-to-end encrypted. */
  private static final String ROOM_ENCRYPTION = "m.room.encryption";

  /**
   * True when the room is end-to-end encrypted: its state has {@code m.room.encryption} (which
   * can never be taken back), in the cache or, when the cache does not show it, on the
   * homeserver. A room whose state this user may not read counts as not encrypted here: the
   * request that follows gets the homeserver's own refusal.
   */
  private boolean isEncrypted(MatrixSteps s, String roomId) {
    Optional<Boolean> cached = encryptionInCache(roomId);
    if (cached.isPresent()) {
      return cached.get();
    }
    try {
      s.run("checking whether " + roomId + " is encrypted", matrix.stateEvent(roomId, ROOM_ENCRYPTION, ""));
      return true;
    } catch (NotFoundException none) {
      return false;
    } catch (RuleViolationException refused) {
      if (refused.rule() != RuleViolationException.Rule.HOMESERVER_REFUSED) {
        throw refused;
      }
      return false;
    }
  }

  /**
   * Whether the room is end-to-end encrypted, as the sync cache shows it: answered when the cache
   * is current and holds the room with no write of this client pending in it (what the synced state
   * says, as other Matrix clients decide it), empty otherwise (then the homeserver is asked).
   */
  private Optional<Boolean> encryptionInCache(String roomId) {
    return cache.read(view -> {
      RoomState room = view.room(roomId);
      if (room == null || view.isDirty(roomId)) {
        return null;
      }
      return room.event(ROOM_ENCRYPTION, "").isPresent();
    });
  }

  /**
   * Refuses, before anything is sent into the room, to put content into an end-to-end encrypted
   * room: Melo cannot encrypt, and a message in clear would be stored and served readable in a
   * room whose members were promised that every message is encrypted.
   */
  private void requireUnencrypted(MatrixSteps s, String roomId, String what) {
    if (isEncrypted(s, roomId)) {
      throw new RuleViolationException(RuleViolationException.Rule.ROOM_ENCRYPTED,
          what + " in " + roomId + " refused: the room is end-to-end encrypted (m.room.encryption) and Melo"
              + " cannot encrypt; nothing was sent", userId, null, null, null);
    }
  }

  private MeloCall<Message> send(
      String roomId, MessageContent content, Optional<String> replyTo, Optional<String> thread) {
    return send(roomId, content, replyTo, thread, null);
  }

  /** Sends a message; {@code targetId} (a reply's or thread's target, or null) must not be a known edit or reaction. */
  private MeloCall<Message> send(
      String roomId, MessageContent content, Optional<String> replyTo, Optional<String> thread, String targetId) {
    String txnId = matrix.newTransactionId(); // one per MeloCall: copies and retries never duplicate
    return call("sending a message to " + roomId, s -> {
      if (targetId != null) {
        requireNotARelation(roomId, targetId);
      }
      requireUnencrypted(s, roomId, "sending a message");
      aggregator(roomId); // before the send: the sync's echo then reaches this room's history
      String eventId = s.run("sending the message", "room " + roomId, matrix.send(roomId, EventTypes.MESSAGE, content.toJson(), txnId));
      return sent(s, roomId, eventId);
    });
  }

  /**
   * The message {@code eventId} this client just sent, as the homeserver has it: its time is the
   * server's {@code origin_server_ts}, never this device's clock. From the history when the sync
   * brings its copy (it usually has, or does within a millisecond: the homeserver wakes the long
   * poll as it stores the event; a connected client waits up to {@link #ECHO_WAIT_MILLIS} for it),
   * else read from the homeserver.
   */
  private Message sent(MatrixSteps s, String roomId, String eventId) {
    MessageAggregator room = aggregator(roomId);
    synchronized (room) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ECHO_WAIT_MILLIS);
      boolean interrupted = false;
      try {
        while (true) {
          Optional<Message> known = room.message(eventId);
          if (known.isPresent()) {
            return known.get();
          }
          long left = deadline - System.nanoTime();
          if (left <= 0 || interrupted || connection != ConnectionState.CONNECTED || closed.get()) {
            break;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(room, left); // historyRead notifies when the sync feeds this room
          } catch (InterruptedException e) {
            interrupted = true; // no more waiting: read it from the homeserver instead
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    RoomEvent event = s.run("reading the sent message", "message " + eventId + " in room " + roomId, matrix.event(roomId, eventId));
    synchronized (room) {
      TimelineReader.feed(room, TimelineReader.read(event));
      return room.message(eventId).orElseThrow(IllegalStateException::new);
    }
  }

  /**
   * Refuses, before any request, a target id this client knows to be an edit or a reaction (such
   * as {@link io.melo.core.event.MessageEdited#editEventId()}) rather than a message.
   */
  private void requireNotARelation(String roomId, String targetId) {
    MessageAggregator room = aggregator(roomId);
    Optional<String> message;
    synchronized (room) {
      message = room.targetOf(targetId);
    }
    if (message.isPresent() && !message.get().equals(targetId)) {
      throw new NotFoundException("message " + targetId + " in " + roomId + " (it is an edit of or a reaction to "
          + message.get() + ", use that id)", null);
    }
  }

  @Override
  public MeloCall<Message> sendAttachment(String roomId, byte[] content, String fileName, String mimeType) {
    requireRoomId(roomId, "roomId");
    Objects.requireNonNull(content, "content");
    requireText(fileName, "fileName");
    requireText(mimeType, "mimeType");
    String txnId = matrix.newTransactionId();
    String lower = mimeType.toLowerCase(Locale.ROOT);
    MsgType type = lower.startsWith("image/") ? MsgType.IMAGE
        : lower.startsWith("video/") ? MsgType.VIDEO
        : lower.startsWith("audio/") ? MsgType.AUDIO : MsgType.FILE;
    return call("sending " + fileName + " to " + roomId, s -> {
      requireUnencrypted(s, roomId, "sending " + fileName); // before the upload: nothing leaves in clear
      MxcUri uri = s.run("uploading " + fileName, matrix.upload(content, mimeType, fileName));
      MessageContent message = MessageContent.media(type, fileName, uri.toString(),
          MediaInfo.of(mimeType, content.length)).withFilename(fileName);
      aggregator(roomId); // before the send: the sync's echo then reaches this room's history
      String eventId = s.run("sending the attachment", "room " + roomId, matrix.send(roomId, EventTypes.MESSAGE, message.toJson(), txnId));
      return sent(s, roomId, eventId);
    });
  }

  @Override
  public MeloCall<MessagePage> messages(String roomId, String cursor, int limit) {
    requireRoomId(roomId, "roomId");
    if (limit < 1 || limit > 100) {
      throw new IllegalArgumentException("limit must be between 1 and 100, was: " + limit);
    }
    // Checked before any request: a cursor names its room (see HistoryCursor).
    String start = cursor == null ? null : HistoryCursor.token(roomId, cursor);
    return call("reading the messages of " + roomId, s -> {
      // Redactions too: a deletion, or a reaction or edit taken back, newer than what was read before.
      JsonObject filter = JsonObject.builder()
          .putStrings("types", List.of(EventTypes.MESSAGE, EventTypes.REACTION, EventTypes.REDACTION)).build();
      MessageAggregator room = aggregator(roomId);
      List<Message> messages = new ArrayList<>();
      String from = start;
      Optional<String> next = Optional.empty();
      int size = limit;
      // Edits, reactions and redactions count against the server's limit: read on, in bigger
      // requests, while no message has come, until the start of the room.
      while (messages.isEmpty()) {
        Messages page = s.run("reading history", "room " + roomId, matrix.messages(roomId, Direction.BACKWARD, from, null, size, filter));
        synchronized (room) {
          Set<String> ids = new java.util.LinkedHashSet<>();
          for (RoomEvent event : page.chunk()) {
            TimelineReader.Item item = TimelineReader.read(event);
            TimelineReader.feed(room, item);
            if (item instanceof TimelineReader.OriginalItem original) {
              ids.add(original.original().eventId());
            }
          }
          for (String id : ids) {
            room.message(id).ifPresent(messages::add); // a redacted edit or reaction read again is none
          }
        }
        String previous = from;
        next = page.next().filter(token -> !token.equals(previous)); // a token that does not move on is the end
        if (messages.size() > limit) {
          // A bigger request brought more than a page: the next one starts after the last shown.
          Message last = messages.get(limit - 1);
          String end = s.run("finding where the page ends", "message " + last.id() + " in room " + roomId,
              matrix.context(roomId, last.id(), 0, filter)).start();
          if (end != null) {
            messages.subList(limit, messages.size()).clear();
            next = Optional.of(end);
          }
          break;
        }
        if (!next.isPresent()) {
          break;
        }
        from = next.get();
        size = Math.min(100, size * 4);
      }
      return new MessagePage(messages, next.map(token -> HistoryCursor.of(roomId, token)));
    });
  }

  /** The original message event, checked to be a message that is not deleted (it may be an edit). */
  /** True when {@code messageId} is a message of {@code roomId} that has been redacted. */
  private boolean redactedMessage(MatrixSteps s, String roomId, String messageId) {
    try {
      RoomEvent event = s.run("reading message " + messageId, matrix.event(roomId, messageId));
      return event.isType(EventTypes.MESSAGE) && event.isRedacted();
    } catch (NotFoundException gone) {
      return false;
    }
  }

  private RoomEvent originalMessage(MatrixSteps s, String roomId, String messageId) {
    RoomEvent event = s.run("reading message " + messageId, matrix.event(roomId, messageId));
    if (!event.isType(EventTypes.MESSAGE) || event.isRedacted()) {
      throw new NotFoundException("message " + messageId + " in " + roomId, null);
    }
    return event;
  }

  @Override
  public MeloCall<Message> editMessage(String roomId, String messageId, String newText) {
    requireRoomId(roomId, "roomId");
    requireEventId(messageId, "messageId");
    requireText(newText, "newText");
    String txnId = matrix.newTransactionId();
    return call("editing message " + messageId, s -> {
      requireNotARelation(roomId, messageId);
      RoomEvent original = originalMessage(s, roomId, messageId);
      RelatesTo relation = MessageContent.from(original.content()).relatesTo();
      if (relation != null && relation.isReplace()) {
        // An edit of an edit is invalid (it would never show): refused before anything is sent.
        throw new NotFoundException("message " + messageId + " in " + roomId + " (it is an edit of "
            + relation.eventId() + ", edit that message instead)", null);
      }
      Rules.requireCanEdit(userId, original.sender());
      requireUnencrypted(s, roomId, "editing message " + messageId);
      MessageContent edit = replacementOf(MessageContent.from(original.content()), newText).asEditOf(messageId);
      String eventId = s.run("sending the edit", "room " + roomId, matrix.send(roomId, EventTypes.MESSAGE, edit.toJson(), txnId));
      MessageAggregator room = aggregator(roomId);
      boolean known;
      synchronized (room) {
        TimelineReader.feed(room, TimelineReader.read(original));
        known = room.knows(eventId);
      }
      if (!known) {
        // The edit as the homeserver has it: ordered among the others by the server's time, not this device's.
        RoomEvent sent = s.run("reading the sent edit", "edit " + eventId + " in room " + roomId, matrix.event(roomId, eventId));
        synchronized (room) {
          TimelineReader.feed(room, TimelineReader.read(sent));
        }
      }
      synchronized (room) {
        return room.message(messageId).orElseThrow(IllegalStateException::new);
      }
    });
  }

  /**
   * The full content an edit replaces a message's with ({@code m.new_content} is no partial
   * update): the original's msgtype, file ({@code url}, {@code info}) and other fields, with only
   * the text replaced. For an attachment the text is its caption: the file name moves to (or
   * stays in) {@code filename}, so the body reads as a caption (spec: the body is the file name
   * only where {@code filename} is absent or equal to it). The formatted body goes: the new text
   * is plain. Mentions go too: they are the sender's to set per edit.
   */
  private static MessageContent replacementOf(MessageContent original, String newText) {
    if (original.msgtype() == null) {
      return MessageContent.text(newText);
    }
    String filename = original.filename();
    if (filename == null && original.type().isMedia()) {
      filename = original.body();
    }
    return new MessageContent(original.msgtype(), newText, null, null, original.url(), original.info(),
        filename, null, null, original.extra().without("m.mentions"));
  }

  @Override
  public MeloCall<Void> deleteMessage(String roomId, String messageId) {
    requireRoomId(roomId, "roomId");
    requireEventId(messageId, "messageId");
    String txnId = matrix.newTransactionId();
    // Set once a run of this call (or of a copy) sent the redaction: a copy run after the answer
    // was lost then finds the message deleted, which is this call's own work done, not a failure.
    AtomicBoolean sent = new AtomicBoolean();
    return call("deleting message " + messageId, s -> {
      RoomEvent original;
      try {
        original = originalMessage(s, roomId, messageId);
      } catch (NotFoundException e) {
        if (sent.get() && redactedMessage(s, roomId, messageId)) {
          return null;
        }
        throw e;
      }
      if (!original.sender().equals(userId)) {
        checked(s, reads -> {
          RoomState room = reads.state(roomId, "room " + roomId);
          if (!room.event(ns.channel(), "").isPresent()) {
            // A conversation has no roles: its power levels make both users admins, but only the
            // author deletes their message there.
            throw new RuleViolationException(RuleViolationException.Rule.AUTHOR_ONLY,
                "deleting a message in a conversation is only for its author " + original.sender()
                    + "; " + userId + " is not", userId, null, null, null);
          }
          Rules.requireCanDelete(userId, original.sender(), myLevel(room));
          return room;
        });
      }
      sent.set(true);
      s.run("redacting the message", "message " + messageId + " in room " + roomId, matrix.redact(roomId, messageId, null, txnId));
      MessageAggregator room = aggregator(roomId);
      synchronized (room) {
        room.redact(messageId);
      }
      return null;
    });
  }

  @Override
  public MeloCall<Void> react(String roomId, String messageId, String key) {
    requireRoomId(roomId, "roomId");
    requireEventId(messageId, "messageId");
    requireText(key, "key");
    String txnId = matrix.newTransactionId();
    return call("reacting to " + messageId, s -> {
      requireNotARelation(roomId, messageId);
      requireUnencrypted(s, roomId, "reacting to " + messageId);
      try {
        s.run("sending the reaction", "message " + messageId + " in room " + roomId, matrix.send(roomId, EventTypes.REACTION,
            ReactionContent.of(messageId, key).toJson(), txnId));
      } catch (HomeserverException e) {
        if (!"M_DUPLICATE_ANNOTATION".equals(e.errcode())) {
          throw e; // a duplicate means this user already reacted with this key: done
        }
      }
      return null;
    });
  }

  @Override
  public MeloCall<Void> unreact(String roomId, String messageId, String key) {
    requireRoomId(roomId, "roomId");
    requireEventId(messageId, "messageId");
    Objects.requireNonNull(key, "key");
    return call("taking back a reaction to " + messageId, s -> {
      String from = null;
      for (int page = 0; page < 20; page++) {
        EventPage reactions = s.run("reading the reactions", "message " + messageId + " in room " + roomId, matrix.relations(
            roomId, messageId, RelatesTo.ANNOTATION, EventTypes.REACTION, from, 100, null));
        for (RoomEvent event : reactions.chunk()) {
          ReactionContent content = ReactionContent.from(event.content());
          if (event.sender().equals(userId) && content.isValid() && key.equals(content.key()) && !event.isRedacted()) {
            s.run("redacting the reaction", "reaction " + event.eventId() + " in room " + roomId,
                matrix.redact(roomId, event.eventId(), null));
            MessageAggregator room = aggregator(roomId);
            synchronized (room) {
              room.redact(event.eventId());
            }
          }
        }
        Optional<String> next = reactions.next();
        if (!next.isPresent() || reactions.chunk().isEmpty()) {
          break;
        }
        from = next.get();
      }
      return null;
    });
  }

  // ------------------------------------------------------------------ conversations

  private JsonObject directRooms(MatrixSteps s) {
    try {
      return s.run("reading m.direct", matrix.accountData("m.direct"));
    } catch (NotFoundException none) {
      return JsonObject.EMPTY;
    }
  }

  @Override
  public MeloCall<Conversation> conversationWith(String otherUserId) {
    requireUserId(otherUserId, "userId");
    if (otherUserId.equals(userId)) {
      throw new IllegalArgumentException("a conversation needs another user than " + userId);
    }
    // Kept by the call's copies: a copy run after a lost answer finds the room the first run made
    // or joined instead of making a second one (exactly once, as createServer).
    DirectOpening progress = new DirectOpening();
    return call("opening a conversation with " + otherUserId, s -> conversationWith(s, otherUserId, progress));
  }

  /** What the runs of one conversationWith call (and its copies) have learned so far. */
  private static final class DirectOpening {
    /** The room this call created, or the invite it joins, once known. */
    String roomId;
    /** A request to create the room was sent: it may exist even without an answer. */
    boolean createRequested;
  }

  /** How a joined direct room serves a conversation with a user, by that user's membership in it. */
  private enum DirectUse {
    /** They are joined or invited: the conversation as it is. */
    USABLE,
    /** They left (or never were in it): usable once they are invited again. */
    REINVITE,
    /** They are banned (or knocking): not a conversation with them. */
    UNUSABLE;

    static DirectUse of(String membership) {
      if ("join".equals(membership) || "invite".equals(membership)) {
        return USABLE;
      }
      return membership == null || "leave".equals(membership) ? REINVITE : UNUSABLE;
    }
  }

  private static java.util.concurrent.locks.ReentrantLock[] newLocks(int n) {
    java.util.concurrent.locks.ReentrantLock[] locks = new java.util.concurrent.locks.ReentrantLock[n];
    for (int i = 0; i < n; i++) {
      locks[i] = new java.util.concurrent.locks.ReentrantLock();
    }
    return locks;
  }

  private Conversation conversationWith(MatrixSteps s, String otherUserId, DirectOpening progress) {
    synchronized (progress) { // copies of one call never run its steps side by side
      // Calls for the same user take turns: the second finds the first's conversation.
      java.util.concurrent.locks.ReentrantLock opening =
          openingLocks[Math.floorMod(otherUserId.hashCode(), openingLocks.length)];
      opening.lock();
      try {
        return openConversation(s, otherUserId, progress);
      } finally {
        opening.unlock();
      }
    }
  }

  /** Under the call's progress and the user's opening lock: finds, joins or creates the conversation. */
  private Conversation openConversation(MatrixSteps s, String otherUserId, DirectOpening progress) {
    if (progress.roomId != null && !progress.createRequested
        && !s.run("listing joined rooms", matrix.joinedRooms()).contains(progress.roomId)) {
      progress.roomId = null; // an earlier run's join of an invite did not happen: look again
    }
    if (progress.roomId != null) {
      // An earlier run created the room or joined it, and failed after that: finish recording it.
      cache.roomWrite(progress.roomId, CREATED);
      recordDirect(s, otherUserId, progress.roomId);
      return new Conversation(progress.roomId, otherUserId);
    }
    // The usual case, an existing conversation with the other user joined or invited, from the
    // cache; anything else (they left, an own write not shown yet) asks the homeserver.
    Optional<String> known = cache.read(view -> {
      JsonObject direct = view.direct();
      if (direct == null || view.membershipPending()) {
        return null;
      }
      for (String roomId : direct.getStringList(otherUserId)) {
        if (!view.isJoined(roomId)) {
          continue;
        }
        RoomState room = view.room(roomId);
        if (room != null && isReplaced(room)) {
          continue; // upgraded away: its replacement, if m.direct names it, is the conversation
        }
        if (room != null && room.event(ROOM_ENCRYPTION, "").isPresent()) {
          continue; // Melo cannot send there: not the conversation to use
        }
        DirectUse use = room == null ? DirectUse.REINVITE : DirectUse.of(room.membership(otherUserId).orElse(null));
        if (use == DirectUse.USABLE) {
          return roomId;
        }
        if (use == DirectUse.REINVITE) {
          return null; // the homeserver path invites them again (or sees the own write)
        }
      }
      return null;
    });
    if (known.isPresent()) {
      return new Conversation(known.get(), otherUserId);
    }
    Set<String> joined = new HashSet<>(s.run("listing joined rooms", matrix.joinedRooms()));
    JsonObject direct = directRooms(s);
    String reinvite = null;
    for (String roomId : direct.getStringList(otherUserId)) {
      if (!joined.contains(roomId)) {
        continue;
      }
      DirectUse use = DirectUse.of(membershipOf(s, roomId, otherUserId));
      if (use != DirectUse.UNUSABLE && isEncrypted(s, roomId)) {
        continue; // Melo cannot send there: not the conversation to use
      }
      if (use == DirectUse.USABLE && !isReplaced(s, roomId)) {
        return new Conversation(roomId, otherUserId);
      }
      if (use == DirectUse.REINVITE && reinvite == null) {
        reinvite = roomId;
      }
    }
    if (reinvite != null) {
      // They left the conversation: invite them back into it (its history stays in one room,
      // the room both users' m.direct already name) rather than keep a room that reaches nobody.
      changeMembership(s, "inviting " + otherUserId + " back into the conversation", reinvite, otherUserId,
          Set.of("invite", "join"), matrix.invite(reinvite, otherUserId, null));
      return new Conversation(reinvite, otherUserId);
    }
    // The other user may have started it already: accept their invite and record it. The sync
    // loop may not have read an invite sent just now, so a quick sync asks for those too.
    Optional<String> invited = directInvite(sync.invites(), otherUserId, direct);
    if (!invited.isPresent()) {
      invited = directInvite(freshInvites(s), otherUserId, direct);
    }
    if (invited.isPresent()) {
      progress.roomId = invited.get();
      s.run("joining the conversation", "room " + invited.get(), matrix.join(invited.get(), List.of(), null));
      cache.roomWrite(invited.get(), CREATED);
      recordDirect(s, otherUserId, invited.get());
      return new Conversation(invited.get(), otherUserId);
    }
    String roomId = null;
    if (progress.createRequested) {
      // The answer to an earlier run's createRoom was lost: the room may exist all the same.
      roomId = findJoinedRoom(s, id -> !direct.getStringList(otherUserId).contains(id)
          && isConversationOf(s, id, otherUserId)).orElse(null);
    }
    if (roomId == null) {
      CreateRoomRequest request = CreateRoomRequest.builder()
          .preset(CreateRoomRequest.TRUSTED_PRIVATE_CHAT)
          .isDirect(true)
          .invite(otherUserId)
          .roomVersion(ROOM_VERSION)
          .build();
      progress.createRequested = true;
      roomId = s.run("creating the conversation", "user " + otherUserId, matrix.createRoom(request));
    }
    progress.roomId = roomId;
    cache.roomWrite(roomId, CREATED);
    recordDirect(s, otherUserId, roomId);
    return new Conversation(roomId, otherUserId);
  }

  /** True when the room was upgraded away: its {@code m.room.tombstone} names a replacement room. */
  private static boolean isReplaced(RoomState room) {
    return room.content(EventTypes.TOMBSTONE).getString("replacement_room").filter(id -> !id.isEmpty()).isPresent();
  }

  /** {@link #isReplaced(RoomState)} per the homeserver. */
  private boolean isReplaced(MatrixSteps s, String roomId) {
    try {
      return s.run("reading the tombstone of " + roomId, matrix.stateEvent(roomId, EventTypes.TOMBSTONE, ""))
          .getString("replacement_room").filter(id -> !id.isEmpty()).isPresent();
    } catch (NotFoundException none) {
      return false;
    }
  }

  /** A user's membership in a room this user is in, per the homeserver; null when they have none. */
  private String membershipOf(MatrixSteps s, String roomId, String memberId) {
    try {
      return s.run("reading the membership of " + memberId + " in room " + roomId,
          matrix.stateEvent(roomId, EventTypes.MEMBER, memberId)).getStringOrNull("membership");
    } catch (NotFoundException none) {
      return null;
    }
  }

  /**
   * True when the room is a conversation this user created with {@code otherUserId}: created by
   * this user, who invited them as a direct chat (and they did not leave since).
   */
  private boolean isConversationOf(MatrixSteps s, String roomId, String otherUserId) {
    RoomState room;
    try {
      room = state(s, roomId, "the state of " + roomId);
    } catch (NotFoundException | RuleViolationException notIt) {
      return false;
    }
    RoomState.Entry member = room.entry(EventTypes.MEMBER, otherUserId);
    return userId.equals(room.creator().orElse(null)) && member != null && userId.equals(member.sender())
        && room.content(EventTypes.MEMBER, otherUserId).getBoolean("is_direct", false)
        && DirectUse.of(member.membership()) == DirectUse.USABLE;
  }

  /**
   * The room of a pending invite from {@code otherUserId} to a conversation: a direct invite
   * ({@code is_direct}), or one to a room this user's {@code m.direct} already names for them.
   */
  private Optional<String> directInvite(
      Map<String, io.melo.matrix.sync.InvitedRoom> invites, String otherUserId, JsonObject direct) {
    List<String> recorded = direct.getStringList(otherUserId);
    for (Map.Entry<String, io.melo.matrix.sync.InvitedRoom> invite : invites.entrySet()) {
      if (invite.getValue().inviteState().stream().anyMatch(e -> ROOM_ENCRYPTION.equals(e.type()))) {
        continue; // an encrypted conversation (Element's default): Melo cannot send there
      }
      for (io.melo.matrix.event.StrippedStateEvent event : invite.getValue().inviteState()) {
        if (EventTypes.MEMBER.equals(event.type()) && userId.equals(event.stateKey())
            && otherUserId.equals(event.sender()) && "invite".equals(event.content().getStringOrNull("membership"))
            && (event.content().getBoolean("is_direct", false) || recorded.contains(invite.getKey()))) {
          return Optional.of(invite.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Invites the sync loop has not handed over yet: a sync that does not wait, from the last saved
   * token (all invites when there is none), filtered down to invites (their stripped state is
   * never filtered) so it stays small.
   */
  private Map<String, io.melo.matrix.sync.InvitedRoom> freshInvites(MatrixSteps s) {
    io.melo.matrix.sync.Filter invitesOnly = io.melo.matrix.sync.Filter.builder()
        .timelineNotTypes(List.of("*"))
        .stateNotTypes(List.of("*"))
        .ephemeralTypes(List.of())
        .roomAccountDataTypes(List.of())
        .accountDataTypes(List.of())
        .noPresence()
        .build();
    SyncRequest request = SyncRequest.builder()
        .filter(invitesOnly)
        .since(sync.savedToken().orElse(null))
        .setPresence(io.melo.matrix.sync.Presence.OFFLINE)
        .build();
    return s.run("checking for new invites", matrix.sync(request)).rooms().invite();
  }

  /**
   * Adds a room to this user's m.direct: read fresh, merged, every other entry kept. An entry another
   * device adds between the read and the write is overwritten by it on the homeserver (account data
   * has no compare-and-set): when this client's sync has shown that entry before the write's echo,
   * it is merged back in after the batch that echoes the write ({@link CacheReads.DirectRecording},
   * {@link #restoreDirect}).
   */
  private void recordDirect(MatrixSteps s, String otherUserId, String roomId) {
    directLock.lock(); // read + merge + write as one step among this client's calls
    CacheReads.DirectRecording recording = cache.directRecordingStarted(otherUserId, roomId);
    try {
      JsonObject current = directRooms(s);
      cache.directRead(recording, current);
      JsonObject merged = DirectRooms.withRoom(current, otherUserId, roomId);
      if (merged != current) {
        s.run("recording the conversation in m.direct", matrix.setAccountData("m.direct", merged));
      }
      cache.directWritten(recording);
      cache.directWrite(otherUserId, roomId);
    } catch (RuntimeException e) {
      cache.directFailed(recording);
      throw e;
    } finally {
      directLock.unlock();
    }
  }

  /**
   * Merges back into m.direct entries that another device added and an own write dropped: read,
   * merge, write as {@link #recordDirect} does, as a call of its own (the sync thread that found
   * them does not wait for it). A failure is logged; the entries stay lost, as without it.
   */
  private void restoreDirect(Map<String, List<String>> lost) {
    if (closed.get()) {
      return;
    }
    call("merging back m.direct entries of another device", s -> {
      directLock.lock();
      try {
        JsonObject current = directRooms(s);
        JsonObject merged = current;
        for (Map.Entry<String, List<String>> entry : lost.entrySet()) {
          for (String roomId : entry.getValue()) {
            merged = DirectRooms.withRoom(merged, entry.getKey(), roomId);
          }
        }
        if (merged != current) {
          s.run("merging back m.direct entries", matrix.setAccountData("m.direct", merged));
        }
        return null;
      } finally {
        directLock.unlock();
      }
    }).future().whenComplete((ignored, failure) -> {
      if (failure != null) {
        org.slf4j.LoggerFactory.getLogger(DefaultMeloClient.class)
            .warn("Melo could not merge back m.direct entries another device added: {}", failure.toString());
      }
    });
  }

  @Override
  public MeloCall<List<Conversation>> conversations() {
    return call("listing conversations", s -> {
      Optional<List<Conversation>> cached = cache.read(view -> {
        JsonObject direct = view.direct();
        if (direct == null || view.membershipPending()) {
          return null;
        }
        return conversationsIn(direct, view::isJoined, (roomId, other) -> {
          RoomState room = view.room(roomId);
          return room == null ? -1 : liveness(isReplaced(room), room.membership(other).orElse(null));
        }, roomId -> {
          RoomState room = view.room(roomId);
          return room != null && room.event(ROOM_ENCRYPTION, "").isPresent();
        });
      });
      if (cached.isPresent()) {
        return cached.get();
      }
      long version = cache.directVersion();
      Set<String> joined = new HashSet<>(s.run("listing joined rooms", matrix.joinedRooms()));
      JsonObject direct = directRooms(s);
      cache.learnDirect(version, direct);
      return conversationsIn(direct, joined::contains,
          (roomId, other) -> liveness(isReplaced(s, roomId), membershipOf(s, roomId, other)),
          roomId -> isEncrypted(s, roomId));
    });
  }

  /**
   * How live a room is as the conversation with a user, lower is better: they are in it (or
   * invited), they left it (they are invited back when it is opened), they are banned from it, it
   * was upgraded away. As {@link #openConversation} chooses.
   */
  private static int liveness(boolean replaced, String otherMembership) {
    if (replaced) {
      return 3;
    }
    return DirectUse.of(otherMembership).ordinal();
  }

  /**
   * The conversations {@code direct} (m.direct) lists in rooms {@code joined} accepts, each room
   * once, one per other user: when several of a user's rooms are joined, the most live by {@code
   * liveness} (the first of them in m.direct on a tie), which is asked of those rooms only; null
   * when it answers -1 (unknown) for one of them. An end-to-end encrypted room ranks below every
   * other (Melo cannot send there, so {@link #openConversation} skips it), and each conversation is
   * flagged when {@code encrypted} says its room is.
   */
  private static List<Conversation> conversationsIn(JsonObject direct, java.util.function.Predicate<String> joined,
      java.util.function.ToIntBiFunction<String, String> liveness, java.util.function.Predicate<String> encrypted) {
    List<Conversation> conversations = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, List<String>> entry : DirectRooms.read(direct).entrySet()) {
      String other = entry.getKey();
      if (!other.startsWith("@")) {
        continue;
      }
      List<String> candidates = new ArrayList<>();
      for (String roomId : entry.getValue()) {
        if (joined.test(roomId) && !seen.contains(roomId) && !candidates.contains(roomId)) {
          candidates.add(roomId);
        }
      }
      String best = candidates.isEmpty() ? null : candidates.get(0);
      if (candidates.size() > 1) {
        int bestRank = Integer.MAX_VALUE;
        for (String roomId : candidates) {
          int rank = liveness.applyAsInt(roomId, other);
          if (rank < 0) {
            return null;
          }
          if (encrypted.test(roomId)) {
            rank += 10; // below every unencrypted room, whatever its liveness
          }
          if (rank < bestRank) {
            bestRank = rank;
            best = roomId;
          }
        }
      }
      if (best != null) {
        seen.add(best);
        conversations.add(new Conversation(best, other, encrypted.test(best)));
      }
    }
    return conversations;
  }

  // ------------------------------------------------------------------ profile, typing, receipts, presence

  @Override
  public MeloCall<Profile> profile(String otherUserId) {
    requireUserId(otherUserId, "userId");
    return call("reading the profile of " + otherUserId, s -> {
      io.melo.matrix.user.Profile profile = s.run("reading the profile of " + otherUserId, matrix.profile(otherUserId));
      return new Profile(otherUserId, profile.displayNameOpt(), profile.avatarUrlOpt());
    });
  }

  @Override
  public MeloCall<Void> setDisplayName(String displayName) {
    Objects.requireNonNull(displayName, "displayName");
    return call("setting the display name", s -> s.run("setting the display name", "user " + userId, matrix.setDisplayName(displayName)));
  }

  @Override
  public MeloCall<Void> setAvatarUrl(String mxcUrl) {
    MxcUri uri = MxcUri.parse(Objects.requireNonNull(mxcUrl, "mxcUrl"));
    return call("setting the avatar", s -> s.run("setting the avatar", "user " + userId, matrix.setAvatarUrl(uri)));
  }

  private StateContents.Profile storedProfile(MatrixSteps s) {
    try {
      return StateContents.Profile.from(s.run("reading " + ns.profile(), matrix.accountData(ns.profile())));
    } catch (NotFoundException none) {
      return StateContents.Profile.from(JsonObject.EMPTY);
    }
  }

  @Override
  public MeloCall<PrivateProfile> privateProfile() {
    return call("reading the private profile", s -> storedProfile(s).toPrivateProfile());
  }

  @Override
  public MeloCall<PrivateProfile> updatePrivateProfile(PrivateProfile update) {
    Objects.requireNonNull(update, "update");
    return call("updating the private profile", s -> {
      profileLock.lock(); // two partial updates at once must not drop each other's fields
      try {
        StateContents.Profile updated = storedProfile(s).updatedWith(update);
        s.run("writing " + ns.profile(), matrix.setAccountData(ns.profile(), updated.toJson()));
        return updated.toPrivateProfile();
      } finally {
        profileLock.unlock();
      }
    });
  }

  @Override
  public MeloCall<Void> setTyping(String roomId, boolean typing) {
    requireRoomId(roomId, "roomId");
    return call("sending typing to " + roomId,
        s -> s.run("sending typing", "room " + roomId, matrix.typing(roomId, typing, typing ? Duration.ofSeconds(30) : null)));
  }

  @Override
  public MeloCall<Void> markRead(String roomId, String eventId) {
    requireRoomId(roomId, "roomId");
    requireEventId(eventId, "eventId");
    return call("marking " + roomId + " read", s -> s.run("sending the read receipt",
        "message " + eventId + " in room " + roomId, matrix.receipt(roomId, "m.read", eventId, null)));
  }

  @Override
  public io.melo.core.UnreadCount unreadCount(String roomId) {
    requireRoomId(roomId, "roomId");
    return sync.unread(roomId);
  }

  @Override
  public MeloCall<Void> setPresence(Presence presence, String statusMessage) {
    Objects.requireNonNull(presence, "presence");
    if (presence == Presence.UNKNOWN) {
      throw new IllegalArgumentException("presence must be ONLINE, UNAVAILABLE or OFFLINE");
    }
    return call("setting presence", s -> s.run("setting presence", "user " + userId, matrix.setPresence(presence.wireName(), statusMessage)));
  }

  @Override
  public MeloCall<io.melo.core.UserPresence> presence(String otherUserId) {
    requireUserId(otherUserId, "userId");
    return call("reading the presence of " + otherUserId, s -> {
      io.melo.matrix.user.Presence read = s.run("reading the presence of " + otherUserId, matrix.presence(otherUserId));
      Long ago = read.lastActiveAgoMs();
      return new io.melo.core.UserPresence(otherUserId, Presence.fromWireName(read.presence()),
          Optional.ofNullable(ago).filter(ms -> ms >= 0).map(Duration::ofMillis),
          Optional.ofNullable(read.statusMsg()), Optional.ofNullable(read.currentlyActive()));
    });
  }

  // ------------------------------------------------------------------ listeners

  @Override
  public Subscription addListener(EventScope scope, MeloListener listener) {
    return bus.subscribe(scope, listener);
  }

  @Override
  public <E extends MeloEvent> Subscription on(Class<E> type, EventScope scope, Consumer<? super E> listener) {
    return bus.subscribe(type, scope, listener);
  }

  /**
   * Stops the sync loop without cutting the batch in progress: that batch reaches every listener
   * and is saved first, so a restart neither repeats nor loses its events. Waits up to
   * {@link #CLOSE_WAIT} for it; when a listener is slower, or close() is called from a listener
   * (which that batch waits for), close() returns at once and the sync thread stops the loop
   * right after the batch: the rest of that batch still reaches listeners after close() returned,
   * and {@link ConnectionState#STOPPED} is published when it is saved and the loop has ended.
   */
  @Override
  public void close() {
    synchronized (lifecycle) { // after this, resume(..) starts no loop
      if (!closed.compareAndSet(false, true)) {
        return;
      }
    }
    boolean fromListener = EventBus.isDelivering();
    boolean stopped = sync.stopAfterBatch(fromListener ? Duration.ZERO : CLOSE_WAIT, () -> {
      loop.close();
      matrix.close();
    });
    if (stopped && !fromListener) {
      // The sync thread may have run the stop itself, right after its batch (the loop's own
      // close does not wait on that thread): wait for it to end, as the loop's close would, so
      // nothing (such as the store's last write) runs after close() returned.
      try {
        loop.awaitTermination(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "MeloClient(" + userId + " on " + config.homeserver().host() + ")";
  }
}
