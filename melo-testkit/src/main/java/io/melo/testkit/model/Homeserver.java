package io.melo.testkit.model;

import io.melo.testkit.json.Fields;
import io.melo.testkit.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The fake homeserver's state and logic: accounts, rooms, events, authorization, sync. No HTTP:
 * the HTTP layer authenticates a request with {@link #authenticate}, calls one method per endpoint
 * with the parsed parameters, and writes the returned map (or the thrown {@link MatrixError}).
 *
 * <p>Thread-safe: one lock guards all state, and long polls wait on a condition of that lock that
 * every change signals, so {@link #sync} and {@link #awaitChange} wake at once when something for
 * their user happens, when the clock is advanced, and on {@link #close()}.
 */
public final class Homeserver implements AutoCloseable {
  /** Room versions this server can create. */
  public static final List<String> SUPPORTED_ROOM_VERSIONS = List.of("10", "11");

  /** The room version of rooms created without one. */
  public static final String DEFAULT_ROOM_VERSION = "10";

  static final int MAX_EVENT_BYTES = 65_536;
  static final long DEFAULT_TYPING_TIMEOUT_MS = 30_000;
  static final long MAX_TYPING_TIMEOUT_MS = 120_000;

  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();
  final HomeserverConfig config;
  final String serverName;
  final Clock clock;
  final String instanceTag = Ids.random(6);
  private final Runnable onClockAdvance = this::clockAdvanced;

  long position;
  boolean closed;
  private final Condition parkedChanged = lock.newCondition();
  private final Map<String, Integer> parkedByUser = new HashMap<>();
  final Map<String, Account> accounts = new LinkedHashMap<>();
  /**
   * The highest {@link Account#presencePosition} of any account (0 when none changed): a sync after
   * it has no changed presence to look for.
   */
  long lastPresencePosition;
  final Map<String, Account.Session> sessionsByAccessToken = new HashMap<>();
  final Map<String, Account.Session> sessionsByRefreshToken = new HashMap<>();
  final Map<String, Room> rooms = new LinkedHashMap<>();
  final Map<String, Event> events = new HashMap<>();
  final Transactions transactions;
  final Map<String, Alias> aliases = new LinkedHashMap<>();
  /** Media by id, least recently uploaded or downloaded first (see {@link #storeMedia}). */
  final Map<String, Media> media = new LinkedHashMap<>(16, 0.75f, true);
  /** The bytes of everything in {@link #media}. */
  private long mediaBytes;
  private long generatedUsers;

  final Reads reads = new Reads(this);
  final SyncEngine syncEngine = new SyncEngine(this);
  final Notifications notifications = new Notifications(this);
  final PresenceTimeouts presenceTimeouts = new PresenceTimeouts(this);
  final PendingUploads pendingUploads = new PendingUploads(this);

  /** A local alias: the room it points to and who created it. */
  record Alias(String alias, String roomId, String creator) {}

  /**
   * A homeserver with the given settings.
   *
   * @param config the settings; application-service sender accounts are created at once
   */
  public Homeserver(HomeserverConfig config) {
    this.config = config;
    this.serverName = config.serverName();
    this.clock = config.clock();
    this.transactions = new Transactions(clock);
    clock.onAdvance(onClockAdvance);
    for (Appservice as : config.appservices()) {
      String sender = "@" + as.senderLocalpart() + ":" + serverName;
      accounts.put(sender, new Account(sender, null, null));
    }
  }

  /** A missing request body is refused as not JSON rather than failing with a null pointer. */
  static Map<String, Object> requireBody(Map<String, Object> body) {
    if (body == null) {
      throw MatrixError.notJson("A JSON object body is required");
    }
    return body;
  }

  /**
   * A homeserver with default settings on the given server name and clock.
   *
   * @param serverName the server name in user ids, room ids and aliases
   * @param clock the clock of timestamps, expiries and long-poll timeouts
   */
  public Homeserver(String serverName, Clock clock) {
    this(HomeserverConfig.builder().serverName(serverName).clock(clock).build());
  }

  /** {@return the server name} */
  public String serverName() {
    return serverName;
  }

  /** {@return the clock} */
  public Clock clock() {
    return clock;
  }

  /** {@return the settings} */
  public HomeserverConfig config() {
    return config;
  }

  /** Ends every waiting long poll and refuses further waits. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    clock.removeListener(onClockAdvance);
  }

  /** {@return whether {@link #close()} was called} */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  void lockedRun(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  long nextPosition() {
    return ++position;
  }

  void signal() {
    changed.signalAll();
  }

  private void clockAdvanced() {
    lock.lock();
    try {
      sweepTyping();
      presenceTimeouts.sweep();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@return the current stream position: every change of events, ephemeral data or account data
   * raises it}
   */
  public long currentPosition() {
    return locked(() -> position);
  }

  // ---------------------------------------------------------------- authentication

  /**
   * Establishes who makes a request.
   *
   * @param accessToken the token from the Authorization header or query, or null
   * @param userIdParam the {@code user_id} query parameter (application-service masquerading), or null
   * @return who makes the request
   * @throws MatrixError 401 M_MISSING_TOKEN, 401 M_UNKNOWN_TOKEN (soft_logout true when the token
   *     expired), 403 M_FORBIDDEN when an application service masquerades outside its namespace
   */
  public Requester authenticate(String accessToken, String userIdParam) {
    return authenticate(accessToken, userIdParam, null);
  }

  /**
   * Establishes who makes a request and records it as the device's latest use: {@code last_seen_ts}
   * from the clock and, when known, {@code last_seen_ip}.
   *
   * @param accessToken the token from the Authorization header or query, or null
   * @param userIdParam the {@code user_id} query parameter (application-service masquerading), or null
   * @param peerAddress the address of the client's end of the connection, or null if unknown
   * @return who makes the request
   * @throws MatrixError 401 M_MISSING_TOKEN, 401 M_UNKNOWN_TOKEN (soft_logout true when the token
   *     expired), 403 M_FORBIDDEN when an application service masquerades outside its namespace
   */
  public Requester authenticate(String accessToken, String userIdParam, String peerAddress) {
    if (accessToken == null || accessToken.isEmpty()) {
      throw MatrixError.missingToken();
    }
    return locked(
        () -> {
          Appservice as = appserviceByToken(accessToken);
          if (as != null) {
            String sender = "@" + as.senderLocalpart() + ":" + serverName;
            String userId = userIdParam == null ? sender : userIdParam;
            if (!userId.equals(sender) && !as.isInNamespace(userId)) {
              throw new MatrixError(
                  403, "M_EXCLUSIVE", "Application service cannot masquerade as " + userId);
            }
            if (!accounts.containsKey(userId)) {
              throw MatrixError.forbidden("Application service has not registered " + userId);
            }
            return new Requester(userId, null, as.id());
          }
          Account.Session session = sessionsByAccessToken.get(accessToken);
          if (session == null) {
            throw MatrixError.unknownToken(false);
          }
          if (clock.nowMillis() >= session.accessExpiresAt) {
            throw MatrixError.unknownToken(true);
          }
          if (userIdParam != null && !userIdParam.equals(session.userId)) {
            throw MatrixError.forbidden("Only application services may act as another user");
          }
          revokeParent(session);
          Account owner = accounts.get(session.userId);
          Account.Device device = owner == null ? null : owner.devices.get(session.deviceId);
          if (device != null) {
            device.lastSeenTs = clock.nowMillis();
            if (peerAddress != null) {
              device.lastSeenIp = peerAddress;
            }
          }
          return new Requester(session.userId, session.deviceId, null);
        });
  }

  private Appservice appserviceByToken(String token) {
    for (Appservice as : config.appservices()) {
      if (MessageDigest.isEqual(
          as.asToken().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        return as;
      }
    }
    return null;
  }

  private Appservice exclusiveOwner(String userId) {
    for (Appservice as : config.appservices()) {
      if (as.isInNamespace(userId)) {
        return as;
      }
    }
    return null;
  }

  Account account(String userId) {
    Account a = accounts.get(userId);
    if (a == null) {
      throw MatrixError.notFound("Unknown user " + userId);
    }
    return a;
  }

  // ---------------------------------------------------------------- registration and login

  /**
   * {@code POST /register}: the user-interactive flow with {@code m.login.dummy}, or
   * application-service registration when {@code asToken} is given.
   *
   * @param body the request body
   * @param kind the {@code kind} query parameter ({@code user} or null; {@code guest} is refused)
   * @param asToken the access token of the request if any (an application service registering)
   * @return the response body: user_id and, unless inhibit_login, access_token, device_id and
   *     refresh fields
   * @throws MatrixError 401 with flows and session until the dummy stage is done, 400
   *     M_INVALID_USERNAME, 400 M_USER_IN_USE, 400 M_EXCLUSIVE, 403 M_GUEST_ACCESS_FORBIDDEN
   */
  public Map<String, Object> register(Map<String, Object> body, String kind, String asToken) {
    requireBody(body);
    if (kind != null && kind.equals("guest")) {
      throw new MatrixError(403, "M_GUEST_ACCESS_FORBIDDEN", "Guest access is not enabled");
    }
    if (kind != null && !kind.equals("user")) {
      throw MatrixError.invalidParam("'kind' must be user or guest");
    }
    String username = Fields.optString(body, "username");
    String password = Fields.optString(body, "password");
    String deviceId = Fields.optString(body, "device_id");
    String deviceName = Fields.optString(body, "initial_device_display_name");
    boolean inhibitLogin = Fields.optBoolean(body, "inhibit_login", false);
    boolean refresh = Fields.optBoolean(body, "refresh_token", false);
    Map<String, Object> auth = Fields.optObject(body, "auth");
    return locked(
        () -> {
          Appservice as = null;
          if (asToken != null) {
            as = appserviceByToken(asToken);
            if (as == null) {
              throw MatrixError.unknownToken(false);
            }
          }
          String localpart = username == null ? null : username.toLowerCase(Locale.ROOT);
          if (username != null && username.startsWith("@")) {
            throw new MatrixError(400, "M_INVALID_USERNAME", "'username' is a localpart, not a user id");
          }
          if (as == null) {
            if (!config.registrationEnabled()) {
              throw MatrixError.forbidden("Registration has been disabled");
            }
            if (localpart != null) {
              checkNewLocalpart(localpart, null);
            }
            String authType = auth == null ? null : Fields.optString(auth, "type");
            if (!"m.login.dummy".equals(authType)) {
              Map<String, Object> extra = new LinkedHashMap<>();
              extra.put("flows", List.of(Map.of("stages", List.of("m.login.dummy"))));
              extra.put("params", Map.of());
              extra.put("session", auth != null && Fields.optString(auth, "session") != null
                  ? Fields.optString(auth, "session") : Ids.random(24));
              extra.put("completed", List.of());
              throw MatrixError.userInteractiveAuth(extra);
            }
            if (password == null) {
              throw MatrixError.missingParam("'password' is required");
            }
          } else {
            if (localpart == null) {
              throw MatrixError.missingParam("'username' is required");
            }
            Object type = body.get("type");
            if (type != null && !"m.login.application_service".equals(type)) {
              throw MatrixError.badJson("'type' must be m.login.application_service");
            }
            checkNewLocalpart(localpart, as);
          }
          String lp = localpart == null ? generateLocalpart() : localpart;
          String userId = "@" + lp + ":" + serverName;
          Account account = createAccount(userId, password);
          account.displayName = lp;
          if (inhibitLogin) {
            return Map.<String, Object>of("user_id", userId);
          }
          return newSession(account, deviceId, deviceName, refresh).toBody();
        });
  }

  /**
   * {@code GET /register/available}: whether a localpart can be registered.
   *
   * @param username the localpart to check; null is 400 {@code M_MISSING_PARAM}
   * @return {@code {available: true}} (an unavailable name is an error, not {@code false})
   * @throws MatrixError 400 M_INVALID_USERNAME, 400 M_USER_IN_USE, 400 M_EXCLUSIVE
   */
  public Map<String, Object> usernameAvailable(String username) {
    if (username == null) {
      throw MatrixError.missingParam("'username' is required");
    }
    return locked(
        () -> {
          checkNewLocalpart(username.toLowerCase(Locale.ROOT), null);
          return Map.<String, Object>of("available", true);
        });
  }

  private void checkNewLocalpart(String localpart, Appservice registeringAs) {
    if (localpart.isEmpty() || !Ids.isValidLocalpart(localpart)) {
      throw new MatrixError(
          400, "M_INVALID_USERNAME", "User ID can only contain characters a-z, 0-9, or '=_-./+'");
    }
    if (localpart.startsWith("_") && registeringAs == null) {
      throw new MatrixError(400, "M_INVALID_USERNAME", "User ID may not begin with _");
    }
    String userId = "@" + localpart + ":" + serverName;
    if (userId.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new MatrixError(400, "M_INVALID_USERNAME", "User ID is longer than 255 bytes");
    }
    if (accounts.containsKey(userId)) {
      throw new MatrixError(400, "M_USER_IN_USE", "User ID already taken");
    }
    Appservice owner = exclusiveOwner(userId);
    if (registeringAs == null && owner != null) {
      throw new MatrixError(400, "M_EXCLUSIVE", "User ID is reserved by an application service");
    }
    if (registeringAs != null && !registeringAs.isInNamespace(userId)) {
      throw new MatrixError(
          400, "M_EXCLUSIVE", "User ID is outside the application service's namespace");
    }
  }

  private String generateLocalpart() {
    String lp;
    do {
      lp = Long.toString(++generatedUsers);
    } while (accounts.containsKey("@" + lp + ":" + serverName));
    return lp;
  }

  private Account createAccount(String userId, String password) {
    byte[] salt = null;
    byte[] hash = null;
    if (password != null) {
      salt = Ids.random(16).getBytes(StandardCharsets.UTF_8);
      hash = hashPassword(salt, password);
    }
    Account account = new Account(userId, hash, salt);
    accounts.put(userId, account);
    account.lastActiveTs = clock.nowMillis();
    return account;
  }

  private static byte[] hashPassword(byte[] salt, String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      return md.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private Credentials newSession(Account account, String deviceId, String deviceName, boolean refresh) {
    String device = deviceId == null ? Ids.random(10).toUpperCase(Locale.ROOT) : deviceId;
    Account.Device d = account.devices.get(device);
    if (d == null) {
      d = new Account.Device(device, deviceName);
      account.devices.put(device, d);
    } // the spec: initial_device_display_name is ignored for a device that exists
    d.lastSeenTs = clock.nowMillis();
    String access = Ids.token("syt_");
    String refreshToken = refresh ? Ids.token("syr_") : null;
    long lifetime = config.accessTokenLifetime().toMillis();
    long expiresAt = refresh ? clock.nowMillis() + lifetime : Long.MAX_VALUE;
    Account.Session s = new Account.Session(account.userId, device, access, refreshToken, expiresAt);
    sessionsByAccessToken.put(access, s);
    if (refreshToken != null) {
      sessionsByRefreshToken.put(refreshToken, s);
    }
    return new Credentials(account.userId, device, access, refreshToken, refresh ? lifetime : null);
  }

  /**
   * Registers a user directly (seeding for tests; no user-interactive auth) and logs in one device.
   *
   * @param localpart the new user's localpart
   * @param password the password for later logins
   * @return the new device's credentials
   * @throws MatrixError as {@link #register} does for a bad or taken localpart
   */
  public Credentials registerUser(String localpart, String password) {
    return locked(
        () -> {
          checkNewLocalpart(localpart, null);
          Account account = createAccount("@" + localpart + ":" + serverName, password);
          account.displayName = localpart;
          return newSession(account, null, null, false);
        });
  }

  /**
   * {@code GET /login}: the supported login flows.
   *
   * @return {@code {flows}}: {@code m.login.password}, {@code m.login.application_service}
   */
  public Map<String, Object> loginFlows() {
    List<Object> flows = new ArrayList<>();
    flows.add(Map.of("type", "m.login.password"));
    if (!config.appservices().isEmpty()) {
      flows.add(Map.of("type", "m.login.application_service"));
    }
    return Map.of("flows", flows);
  }

  /**
   * {@code POST /login} with {@code m.login.password} (identifier {@code m.id.user} or the legacy
   * {@code user} field) or {@code m.login.application_service}.
   *
   * @param asToken the request's access token if any (needed for the application-service type)
   * @param body the request body: {@code type}, the identifier, {@code password}, optional {@code
   *     device_id}, {@code initial_device_display_name} and {@code refresh_token}
   * @return the login response body (see {@link Credentials#toBody()})
   * @throws MatrixError 403 M_FORBIDDEN for a wrong user or password, 400 M_UNKNOWN for an unknown
   *     login type or identifier type
   */
  public Map<String, Object> login(Map<String, Object> body, String asToken) {
    requireBody(body);
    String type = Fields.string(body, "type");
    Map<String, Object> identifier = Fields.optObject(body, "identifier");
    String user;
    if (identifier != null) {
      String idType = Fields.string(identifier, "type");
      if (!idType.equals("m.id.user")) {
        throw new MatrixError(400, "M_UNKNOWN", "Unknown login identifier type " + idType);
      }
      user = Fields.string(identifier, "user");
    } else {
      user = Fields.optString(body, "user");
      if (user == null) {
        throw MatrixError.missingParam("'identifier' is required");
      }
    }
    String password = Fields.optString(body, "password");
    String deviceId = Fields.optString(body, "device_id");
    String deviceName = Fields.optString(body, "initial_device_display_name");
    boolean refresh = Fields.optBoolean(body, "refresh_token", false);
    String userId =
        user.startsWith("@")
            ? user
            : "@" + user.toLowerCase(Locale.ROOT) + ":" + serverName;
    return locked(
        () -> {
          Account account = accounts.get(userId);
          if (type.equals("m.login.password")) {
            if (password == null) {
              throw MatrixError.missingParam("'password' is required");
            }
            if (account == null
                || account.passwordHash == null
                || !MessageDigest.isEqual(
                    account.passwordHash, hashPassword(account.passwordSalt, password))) {
              throw MatrixError.forbidden("Invalid username or password");
            }
            if (account.deactivated) {
              throw new MatrixError(403, "M_USER_DEACTIVATED", "This account has been deactivated");
            }
            if (account.locked) {
              throw MatrixError.userLocked();
            }
          } else if (type.equals("m.login.application_service")) {
            Appservice as = asToken == null ? null : appserviceByToken(asToken);
            if (as == null) {
              throw MatrixError.missingToken();
            }
            if (account == null || !as.isInNamespace(userId)) {
              throw MatrixError.forbidden("The application service cannot log in as " + userId);
            }
          } else {
            throw new MatrixError(400, "M_UNKNOWN", "Unknown login type " + type);
          }
          Map<String, Object> out = newSession(account, deviceId, deviceName, refresh).toBody();
          out.put("home_server", serverName);
          return out;
        });
  }

  /**
   * {@code POST /refresh}: new access and refresh tokens; the old refresh token stops working once
   * the new access or refresh token is used.
   *
   * @param refreshToken the refresh token from the body; null is 400 {@code M_MISSING_PARAM}
   * @return {@code {access_token, refresh_token, expires_in_ms}}
   * @throws MatrixError 401 M_UNKNOWN_TOKEN (soft_logout false) for an unknown refresh token
   */
  public Map<String, Object> refresh(String refreshToken) {
    if (refreshToken == null) {
      throw MatrixError.missingParam("'refresh_token' is required");
    }
    return locked(
        () -> {
          Account.Session old = sessionsByRefreshToken.get(refreshToken);
          if (old == null) {
            throw MatrixError.unknownToken(false);
          }
          Account owner = accounts.get(old.userId);
          if (owner != null && owner.locked) {
            throw MatrixError.userLocked();
          }
          revokeParent(old);
          Account account = account(old.userId);
          Credentials c = newSession(account, old.deviceId, null, true);
          sessionsByAccessToken.get(c.accessToken()).refreshedFrom = old;
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("access_token", c.accessToken());
          out.put("refresh_token", c.refreshToken());
          out.put("expires_in_ms", c.expiresInMs());
          return out;
        });
  }

  /**
   * The first use of a refreshed session's access or refresh token revokes the session it came
   * from (its refresh and access tokens), as the spec says; until then the old refresh token
   * works again, so a client that lost the refresh response can retry.
   */
  private void revokeParent(Account.Session session) {
    Account.Session parent = session.refreshedFrom;
    if (parent != null) {
      sessionsByRefreshToken.remove(parent.refreshToken);
      sessionsByAccessToken.remove(parent.accessToken);
      session.refreshedFrom = null;
    }
  }

  /**
   * {@code POST /logout}: ends the session of the request's device and deletes the device.
   *
   * @param requester the authenticated caller
   */
  public void logout(Requester requester) {
    lockedRun(
        () -> {
          if (requester.deviceId() == null) {
            return;
          }
          removeDeviceSessions(requester.userId(), requester.deviceId());
          Account a = accounts.get(requester.userId());
          if (a != null) {
            a.devices.remove(requester.deviceId());
          }
        });
  }

  /**
   * {@code POST /logout/all}: ends every session and deletes every device of the user.
   *
   * @param requester the authenticated caller
   */
  public void logoutAll(Requester requester) {
    lockedRun(
        () -> {
          sessionsByAccessToken.values().removeIf(s -> s.userId.equals(requester.userId()));
          sessionsByRefreshToken.values().removeIf(s -> s.userId.equals(requester.userId()));
          Account a = accounts.get(requester.userId());
          if (a != null) {
            a.devices.clear();
          }
        });
  }

  private void removeDeviceSessions(String userId, String deviceId) {
    sessionsByAccessToken.values()
        .removeIf(s -> s.userId.equals(userId) && s.deviceId.equals(deviceId));
    sessionsByRefreshToken.values()
        .removeIf(s -> s.userId.equals(userId) && s.deviceId.equals(deviceId));
  }

  /**
   * {@code GET /account/whoami}.
   *
   * @param requester the authenticated caller
   * @return {@code {user_id, device_id, is_guest: false}}
   */
  public Map<String, Object> whoami(Requester requester) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user_id", requester.userId());
    if (requester.deviceId() != null) {
      out.put("device_id", requester.deviceId());
    }
    out.put("is_guest", false);
    return out;
  }

  /**
   * Makes every access token of a user expire now (test control): the next request gets 401
   * M_UNKNOWN_TOKEN with {@code soft_logout} true; refresh tokens keep working. With {@code
   * softLogout} false the sessions are deleted instead (soft_logout false).
   *
   * @param userId the full id of the user whose tokens expire
   * @param softLogout true to keep the sessions (soft logout), false to delete them
   */
  public void expireAccessTokens(String userId, boolean softLogout) {
    lockedRun(
        () -> {
          if (softLogout) {
            long now = clock.nowMillis();
            for (Account.Session s : sessionsByAccessToken.values()) {
              if (s.userId.equals(userId)) {
                s.accessExpiresAt = Math.min(s.accessExpiresAt, now);
              }
            }
          } else {
            sessionsByAccessToken.values().removeIf(s -> s.userId.equals(userId));
            sessionsByRefreshToken.values().removeIf(s -> s.userId.equals(userId));
          }
        });
  }

  /**
   * Makes one access token expire now (test control), leaving the user's other sessions alone: see
   * {@link #expireAccessTokens} for the two kinds.
   *
   * @param accessToken the access token
   * @param softLogout true to keep the session (its refresh token works), false to delete it
   * @return false when no session has this access token
   */
  public boolean expireAccessToken(String accessToken, boolean softLogout) {
    return locked(
        () -> {
          Account.Session s = sessionsByAccessToken.get(accessToken);
          if (s == null) {
            return false;
          }
          if (softLogout) {
            s.accessExpiresAt = Math.min(s.accessExpiresAt, clock.nowMillis());
          } else {
            sessionsByAccessToken.remove(accessToken);
            if (s.refreshToken != null) {
              sessionsByRefreshToken.remove(s.refreshToken);
            }
          }
          return true;
        });
  }

  /**
   * Locks or unlocks an account (test control, as an administrator would): while locked, every
   * authenticated request but {@code /account/whoami}, {@code /logout} and {@code /logout/all}, every
   * refresh and every login of the user gets 401 {@code M_USER_LOCKED} with {@code soft_logout: true};
   * the sessions survive and work again once unlocked.
   *
   * @param userId the full id of the user
   * @param locked true to lock, false to unlock
   * @throws MatrixError 404 for an unknown user
   */
  public void setLocked(String userId, boolean locked) {
    lockedRun(() -> account(userId).locked = locked);
  }

  /**
   * Suspends or reinstates an account (test control): while suspended, writes (creating or joining
   * rooms, invites, sending events and state, profile changes, uploads, aliases, kicks and bans) get
   * 403 {@code M_USER_SUSPENDED}; reads, sync, leaving and redactions work.
   *
   * @param userId the full id of the user
   * @param suspended true to suspend, false to reinstate
   * @throws MatrixError 404 for an unknown user
   */
  public void setSuspended(String userId, boolean suspended) {
    lockedRun(() -> account(userId).suspended = suspended);
  }

  /**
   * Deactivates an account (test control, as {@code POST /account/deactivate} does): every session
   * and device ends (requests get 401 {@code M_UNKNOWN_TOKEN}, soft_logout false) and a login gets
   * 403 {@code M_USER_DEACTIVATED}.
   *
   * @param userId the full id of the user
   * @throws MatrixError 404 for an unknown user
   */
  public void deactivate(String userId) {
    lockedRun(() -> {
      Account a = account(userId);
      a.deactivated = true;
      a.devices.clear();
      sessionsByAccessToken.values().removeIf(s -> s.userId.equals(userId));
      sessionsByRefreshToken.values().removeIf(s -> s.userId.equals(userId));
    });
  }

  /**
   * The error code of the administrator's restriction on an account, if any.
   *
   * @param userId the full id of the user
   * @return {@code M_USER_LOCKED}, {@code M_USER_SUSPENDED}, or null when the account is not locked
   *     or suspended (or unknown)
   */
  public String restriction(String userId) {
    return locked(() -> {
      Account a = accounts.get(userId);
      return a == null ? null : a.locked ? "M_USER_LOCKED" : a.suspended ? "M_USER_SUSPENDED" : null;
    });
  }

  /**
   * {@code GET /devices}.
   *
   * @param requester the authenticated caller
   * @return {@code {devices}}: the caller's devices with ids, display names and last-seen data
   */
  public Map<String, Object> devices(Requester requester) {
    return locked(
        () -> {
          List<Object> list = new ArrayList<>();
          for (Account.Device d : account(requester.userId()).devices.values()) {
            list.add(deviceJson(d));
          }
          return Map.<String, Object>of("devices", list);
        });
  }

  /**
   * {@code GET /devices/{deviceId}}; 404 when the user has no such device.
   *
   * @param requester the authenticated caller
   * @param deviceId one of the caller's device ids
   * @return the device's JSON: {@code device_id}, {@code display_name}, last-seen fields
   */
  public Map<String, Object> device(Requester requester, String deviceId) {
    return locked(
        () -> {
          Account.Device d = account(requester.userId()).devices.get(deviceId);
          if (d == null) {
            throw MatrixError.notFound("Unknown device " + deviceId);
          }
          return deviceJson(d);
        });
  }

  /**
   * {@code PUT /devices/{deviceId}}: sets the display name; 404 when unknown.
   *
   * @param requester the authenticated caller
   * @param deviceId one of the caller's device ids
   * @param displayName the new display name, or null to leave it unchanged
   */
  public void updateDevice(Requester requester, String deviceId, String displayName) {
    lockedRun(
        () -> {
          Account.Device d = account(requester.userId()).devices.get(deviceId);
          if (d == null) {
            throw MatrixError.notFound("Unknown device " + deviceId);
          }
          d.displayName = displayName;
        });
  }

  /**
   * {@code DELETE /devices/{deviceId}} and {@code POST /delete_devices}: deletes devices and
   * their sessions after user-interactive authentication with {@code m.login.password} (the
   * user's own password; identifier {@code m.id.user} or legacy {@code user}). Unknown device ids
   * are ignored, as the spec allows.
   *
   * @param requester the authenticated caller
   * @param deviceIds the devices to delete
   * @param auth the request's {@code auth} object, or null for the first (401) round
   * @throws MatrixError 401 with flows and session (no errcode) until authenticated, 401
   *     M_FORBIDDEN-coded UIA body for a wrong password
   */
  public void deleteDevices(Requester requester, List<String> deviceIds, Map<String, Object> auth) {
    lockedRun(
        () -> {
          Account a = account(requester.userId());
          String type = auth == null ? null : Fields.optString(auth, "type");
          Map<String, Object> uia = new LinkedHashMap<>();
          uia.put("flows", List.of(Map.of("stages", List.of("m.login.password"))));
          uia.put("params", Map.of());
          uia.put("session", auth != null && Fields.optString(auth, "session") != null
              ? Fields.optString(auth, "session") : Ids.random(24));
          if (!"m.login.password".equals(type)) {
            uia.put("completed", List.of());
            throw MatrixError.userInteractiveAuth(uia);
          }
          String password = Fields.optString(auth, "password");
          String user = Fields.optString(auth, "user");
          Map<String, Object> identifier = Fields.optObject(auth, "identifier");
          if (identifier != null) {
            user = Fields.optString(identifier, "user");
          }
          String claimed = user == null ? a.userId
              : user.startsWith("@") ? user : "@" + user.toLowerCase(Locale.ROOT) + ":" + serverName;
          if (password == null
              || !claimed.equals(a.userId)
              || a.passwordHash == null
              || !MessageDigest.isEqual(a.passwordHash, hashPassword(a.passwordSalt, password))) {
            uia.put("completed", List.of());
            uia.put("errcode", "M_FORBIDDEN");
            uia.put("error", "Invalid password");
            throw MatrixError.userInteractiveAuth(uia);
          }
          for (String deviceId : deviceIds) {
            a.devices.remove(deviceId);
            removeDeviceSessions(a.userId, deviceId);
          }
        });
  }

  // ---------------------------------------------------------------- pushers

  /**
   * {@code GET /pushers}: the requester's pushers as set. The fake never sends a notification to any
   * of them; it only stores what clients set, so settings pages read back what they wrote.
   *
   * @param requester the authenticated caller
   * @return {@code {pushers}}
   */
  public Map<String, Object> pushers(Requester requester) {
    return locked(
        () -> {
          List<Object> list = new ArrayList<>();
          for (Map<String, Object> pusher : account(requester.userId()).pushers.values()) {
            list.add(new LinkedHashMap<>(pusher));
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("pushers", list);
          return out;
        });
  }

  /**
   * {@code POST /pushers/set}: adds or replaces the requester's pusher with this app_id and pushkey,
   * or removes it when {@code kind} is null. Unless {@code append} is true, the same app_id and
   * pushkey are removed from every other user (the spec's rule).
   *
   * @param requester the authenticated caller
   * @param body the pusher as the spec defines it ({@code app_id}, {@code pushkey}, {@code kind},
   *     {@code append}, ...)
   * @throws MatrixError 400 M_MISSING_PARAM when kind, app_id, pushkey (or, for a pusher being set,
   *     app_display_name, device_display_name, lang, data, and data.url for kind http) are missing;
   *     400 M_BAD_JSON for wrong types; 400 M_INVALID_PARAM for a kind other than http or email
   */
  public void setPusher(Requester requester, Map<String, Object> body) {
    requireBody(body);
    if (!body.containsKey("kind")) {
      throw MatrixError.missingParam("'kind' is required (null removes the pusher)");
    }
    String kind = Fields.optString(body, "kind");
    String appId = Fields.string(body, "app_id");
    String pushkey = Fields.string(body, "pushkey");
    String key = Account.pusherKey(appId, pushkey);
    if (kind == null) {
      lockedRun(() -> account(requester.userId()).pushers.remove(key));
      return;
    }
    if (!kind.equals("http") && !kind.equals("email")) {
      throw MatrixError.invalidParam("Unknown pusher kind '" + kind + "': this server knows http and email");
    }
    List<String> missing = new ArrayList<>();
    for (String field : List.of("app_display_name", "device_display_name", "lang", "data")) {
      if (body.get(field) == null) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      throw MatrixError.missingParam("Missing parameters: " + String.join(", ", missing));
    }
    Map<String, Object> data = Fields.object(body, "data");
    String url = Fields.optString(data, "url");
    if (kind.equals("http") && url == null) {
      throw MatrixError.missingParam("'data.url' is required for an http pusher");
    }
    Fields.optString(data, "format");
    Map<String, Object> pusher = new LinkedHashMap<>();
    pusher.put("pushkey", pushkey);
    pusher.put("kind", kind);
    pusher.put("app_id", appId);
    pusher.put("app_display_name", Fields.string(body, "app_display_name"));
    pusher.put("device_display_name", Fields.string(body, "device_display_name"));
    String profileTag = Fields.optString(body, "profile_tag");
    if (profileTag != null) {
      pusher.put("profile_tag", profileTag);
    }
    pusher.put("lang", Fields.string(body, "lang"));
    pusher.put("data", Json.copyObject(data));
    boolean append = Fields.optBoolean(body, "append", false);
    lockedRun(
        () -> {
          Account a = account(requester.userId());
          if (!append) {
            for (Account other : accounts.values()) {
              if (other != a) {
                other.pushers.remove(key);
              }
            }
          }
          a.pushers.remove(key);
          a.pushers.put(key, pusher);
        });
  }

  /**
   * A device as Synapse lists it: {@code display_name} and {@code last_seen_ip} are always present,
   * null while unknown. The spec calls an unset name "absent"; a null is read as absent by every client
   * written against Synapse, while matrix-nio 0.20 rejects the whole list when one of the keys is
   * missing. Conduit omits the key and breaks nio the same way; the fake follows the reference server.
   */
  private static Map<String, Object> deviceJson(Account.Device d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device_id", d.deviceId);
    m.put("display_name", d.displayName);
    m.put("last_seen_ip", d.lastSeenIp);
    m.put("last_seen_ts", d.lastSeenTs);
    return m;
  }

  /**
   * {@return a requester for seeding actions as a user without a token: the user's first device, or
   * no device when it has none}
   *
   * @param userId the full user id
   * @throws MatrixError 404 for an unknown user
   */
  public Requester actAs(String userId) {
    return locked(
        () -> {
          Account a = account(userId);
          String device = a.devices.isEmpty() ? null : a.devices.keySet().iterator().next();
          return new Requester(userId, device, null);
        });
  }

  /** {@return the user ids of all accounts (inspection)} */
  public List<String> userIds() {
    return locked(() -> new ArrayList<>(accounts.keySet()));
  }

  // ---------------------------------------------------------------- profile

  /**
   * {@code GET /profile/{userId}}: displayname and avatar_url; 404 for an unknown user.
   *
   * @param userId the full user id
   * @return {@code {displayname, avatar_url}} (null values when unset)
   */
  public Map<String, Object> profile(String userId) {
    return locked(
        () -> {
          Account a = account(userId);
          Map<String, Object> out = new LinkedHashMap<>();
          if (a.displayName != null) {
            out.put("displayname", a.displayName);
          }
          if (a.avatarUrl != null) {
            out.put("avatar_url", a.avatarUrl);
          }
          out.putAll(a.customProfile);
          return out;
        });
  }

  private static final java.util.regex.Pattern PROFILE_KEY =
      java.util.regex.Pattern.compile("avatar_url|displayname|m\\.tz|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
  static final int MAX_PROFILE_BYTES = 65_536;

  /**
   * {@code PUT /profile/{userId}/{keyName}} for any key of Matrix 1.16: {@code displayname} and
   * {@code avatar_url} (strings; null clears; they also update the member events), {@code m.tz}
   * (a string) and namespaced custom keys (any JSON value).
   *
   * @param requester the authenticated caller
   * @param userId the user whose profile changes; must be the caller
   * @param key the profile key
   * @param value the new value
   * @throws MatrixError 403 for another user, 400 M_INVALID_PARAM for a malformed key, 400
   *     M_KEY_TOO_LARGE over 255 bytes, 400 M_PROFILE_TOO_LARGE when the profile would pass 64 KiB,
   *     400 M_BAD_JSON for a value of the wrong type
   */
  public void setProfileValue(Requester requester, String userId, String key, Object value) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot set the profile of another user");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new MatrixError(400, "M_KEY_TOO_LARGE", "Profile keys are at most 255 bytes");
    }
    if (!PROFILE_KEY.matcher(key).matches()) {
      throw MatrixError.invalidParam("Invalid profile key " + key);
    }
    if (key.equals("displayname") || key.equals("avatar_url")) {
      if (value != null && !(value instanceof String)) {
        throw MatrixError.badJson("'" + key + "' must be a string");
      }
      setProfileField(requester, userId, key, (String) value);
      return;
    }
    if (key.equals("m.tz") && value != null && !(value instanceof String)) {
      throw MatrixError.badJson("'m.tz' must be a string");
    }
    Object frozen = Json.frozen(value);
    lockedRun(
        () -> {
          Account a = account(userId);
          Map<String, Object> updated = new LinkedHashMap<>(a.customProfile);
          updated.put(key, frozen);
          Map<String, Object> whole = new LinkedHashMap<>(updated);
          whole.put("displayname", a.displayName);
          whole.put("avatar_url", a.avatarUrl);
          if (Json.writeBytes(whole).length > MAX_PROFILE_BYTES) {
            throw new MatrixError(400, "M_PROFILE_TOO_LARGE", "The profile would exceed 64 KiB");
          }
          a.customProfile.put(key, frozen);
        });
  }

  /**
   * {@code DELETE /profile/{userId}/{keyName}}: removes a field (no error when absent).
   *
   * @param requester the authenticated caller
   * @param userId the user whose profile changes; must be the caller
   * @param key the profile key to remove
   */
  public void deleteProfileField(Requester requester, String userId, String key) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot change the profile of another user");
    }
    if (!PROFILE_KEY.matcher(key).matches()) {
      throw MatrixError.invalidParam("Invalid profile key " + key);
    }
    if (key.equals("displayname") || key.equals("avatar_url")) {
      setProfileField(requester, userId, key, null);
      return;
    }
    lockedRun(() -> account(userId).customProfile.remove(key));
  }

  /**
   * {@code GET /profile/{userId}/{field}}: one field; 404 when the user or field is unknown.
   *
   * @param userId the full user id
   * @param field the profile key, for example {@code displayname}
   * @return {@code {<field>: value}}
   */
  public Map<String, Object> profileField(String userId, String field) {
    Map<String, Object> p = profile(userId);
    if (!p.containsKey(field)) {
      throw MatrixError.notFound("Profile field " + field + " is not set");
    }
    return Map.of(field, p.get(field));
  }

  /**
   * {@code PUT /profile/{userId}/{field}} for {@code displayname} and {@code avatar_url} (null
   * clears); also updates the user's member events in joined rooms, as Synapse does.
   *
   * @param requester the authenticated caller
   * @param userId the user whose profile changes; must be the caller
   * @param field {@code displayname} or {@code avatar_url}
   * @param value the new value, or null to clear it
   * @throws MatrixError 403 for another user's profile, 400 M_INVALID_PARAM for another field
   */
  public void setProfileField(Requester requester, String userId, String field, String value) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot set the profile of another user");
    }
    if (!field.equals("displayname") && !field.equals("avatar_url")) {
      throw MatrixError.invalidParam("Unknown profile field " + field);
    }
    if (value != null && value.length() > 256 && field.equals("displayname")) {
      throw MatrixError.badJson("'displayname' is longer than 256 characters");
    }
    if (value != null && field.equals("avatar_url") && !value.isEmpty() && !value.startsWith("mxc://")) {
      throw MatrixError.badJson("'avatar_url' must be an mxc:// URI");
    }
    lockedRun(
        () -> {
          Account a = account(userId);
          if (field.equals("displayname")) {
            a.displayName = value;
          } else {
            a.avatarUrl = value;
          }
          for (String roomId : a.rooms) {
            Room room = rooms.get(roomId);
            if (room != null && room.state.membership(userId).equals("join")) {
              Map<String, Object> content =
                  new LinkedHashMap<>(room.state.get("m.room.member", userId).content());
              putOrRemove(content, "displayname", a.displayName);
              putOrRemove(content, "avatar_url", a.avatarUrl);
              try {
                appendEvent(room, userId, "m.room.member", userId, content, null, null, null);
              } catch (MatrixError ignored) {
                // the room's rules refuse the update: the profile still changes
              }
            }
          }
        });
  }

  private static void putOrRemove(Map<String, Object> map, String key, Object value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  // ---------------------------------------------------------------- account data

  /**
   * {@code PUT /user/{userId}/account_data/{type}} and, with a room id, the per-room variant.
   *
   * @param roomId the room for room account data, or null for global account data
   * @param requester the authenticated caller
   * @param userId the user whose account data changes; must be the caller
   * @param type the account data type
   * @param content the new content
   * @throws MatrixError 403 for another user, 405 M_BAD_JSON for server-controlled types, 400
   *     M_INVALID_PARAM for a malformed room id
   */
  public void setAccountData(
      Requester requester, String userId, String roomId, String type, Map<String, Object> content) {
    requireBody(content);
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot add account data for other users");
    }
    if (type.equals("m.fully_read") || type.equals("m.push_rules")) {
      throw new MatrixError(405, "M_BAD_JSON", "Cannot set " + type + " through this API");
    }
    if (roomId != null && !Ids.isRoomId(roomId)) {
      throw MatrixError.invalidParam(roomId + " is not a valid room ID");
    }
    Map<String, Object> frozen = Json.frozenObject(content);
    lockedRun(() -> putAccountData(account(userId), roomId, type, frozen));
  }

  void putAccountData(Account a, String roomId, String type, Map<String, Object> content) {
    long pos = nextPosition();
    if (roomId == null) {
      a.accountData.put(type, content);
      a.accountDataPositions.put(type, pos);
    } else {
      a.roomAccountData.computeIfAbsent(roomId, k -> new LinkedHashMap<>()).put(type, content);
      a.roomAccountDataPositions.computeIfAbsent(roomId, k -> new HashMap<>()).put(type, pos);
    }
    a.lastPosition = pos;
    signal();
  }

  /**
   * {@code GET /user/{userId}/account_data/{type}} (and per room).
   *
   * @param requester the authenticated caller
   * @param userId the user whose account data is read; must be the caller
   * @param roomId the room for room account data, or null for global account data
   * @param type the account data type
   * @return the stored content
   * @throws MatrixError 403 for another user, 404 M_NOT_FOUND when not set
   */
  public Map<String, Object> accountData(Requester requester, String userId, String roomId, String type) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot get account data for other users");
    }
    return locked(
        () -> {
          Account a = account(userId);
          Map<String, Object> content =
              roomId == null
                  ? a.accountData.get(type)
                  : a.roomAccountData.getOrDefault(roomId, Map.of()).get(type);
          if (content == null) {
            throw MatrixError.notFound("Account data not found");
          }
          return content;
        });
  }

  /**
   * {@code GET /user/{userId}/rooms/{roomId}/tags}: {@code {tags}}; 403 for another user.
   *
   * @param requester the authenticated caller
   * @param userId the user whose tags are read; must be the caller
   * @param roomId the room
   * @return {@code {tags}}: tag name to tag content, empty when none
   */
  public Map<String, Object> tags(Requester requester, String userId, String roomId) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot get tags of other users");
    }
    return locked(
        () -> {
          Map<String, Object> content =
              account(userId).roomAccountData.getOrDefault(roomId, Map.of()).get("m.tag");
          Object tags = content == null ? null : content.get("tags");
          return Map.<String, Object>of("tags", tags instanceof Map ? tags : Map.of());
        });
  }

  /**
   * {@code PUT /user/{userId}/rooms/{roomId}/tags/{tag}} (content may hold {@code order}) and,
   * with null content, {@code DELETE}; stored as the room's {@code m.tag} account data.
   *
   * @param requester the authenticated caller
   * @param userId the user whose tags change; must be the caller (else 403)
   * @param roomId the room
   * @param tag the tag name, for example {@code m.favourite}
   * @param content the tag content to set, or null to delete the tag
   */
  public void setTag(Requester requester, String userId, String roomId, String tag, Map<String, Object> content) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot set tags of other users");
    }
    if (!Ids.isRoomId(roomId)) {
      throw MatrixError.invalidParam(roomId + " is not a valid room ID");
    }
    if (content != null && content.containsKey("order") && !(content.get("order") instanceof Number)) {
      throw MatrixError.badJson("'order' must be a number");
    }
    lockedRun(
        () -> {
          Account a = account(userId);
          Map<String, Object> current = a.roomAccountData.getOrDefault(roomId, Map.of()).get("m.tag");
          Map<String, Object> tags = new LinkedHashMap<>();
          if (current != null && current.get("tags") instanceof Map) {
            tags.putAll(Fields.castObject(current.get("tags")));
          }
          if (content == null) {
            tags.remove(tag);
          } else {
            tags.put(tag, content);
          }
          putAccountData(a, roomId, "m.tag", Json.frozenObject(Map.of("tags", tags)));
        });
  }

  // ---------------------------------------------------------------- presence

  /**
   * {@code PUT /presence/{userId}/status}.
   *
   * @param requester the authenticated caller
   * @param userId the user whose presence changes; must be the caller
   * @param presence {@code online}, {@code unavailable} or {@code offline}
   * @param statusMsg the status message, or null for none
   * @throws MatrixError 403 for another user, 400 M_INVALID_PARAM for an unknown presence
   */
  public void setPresence(Requester requester, String userId, String presence, String statusMsg) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot set presence of other users");
    }
    if (!List.of("online", "offline", "unavailable").contains(presence)) {
      throw MatrixError.invalidParam("'presence' must be online, offline or unavailable");
    }
    lockedRun(() -> {
      presenceTimeouts.set(userId);
      updatePresence(account(userId), presence, statusMsg, true);
    });
  }

  void updatePresence(Account a, String presence, String statusMsg, boolean setStatus) {
    if (presence.equals(a.presence) && (!setStatus || java.util.Objects.equals(statusMsg, a.statusMsg))) {
      a.lastActiveTs = clock.nowMillis();
      return;
    }
    a.presence = presence;
    if (setStatus) {
      a.statusMsg = statusMsg;
    }
    a.lastActiveTs = clock.nowMillis();
    long pos = nextPosition();
    a.presencePosition = pos;
    lastPresencePosition = pos;
    a.lastPosition = pos;
    for (Account other : peers(a)) {
      other.lastPosition = pos;
    }
    signal();
  }

  /** Accounts sharing a joined room with {@code a}. */
  Collection<Account> peers(Account a) {
    Map<String, Account> out = new LinkedHashMap<>();
    for (String roomId : a.rooms) {
      Room room = rooms.get(roomId);
      if (room == null || !room.state.membership(a.userId).equals("join")) {
        continue;
      }
      for (Event e : room.state.members()) {
        if (e.type().equals("m.room.member") && "join".equals(e.content().get("membership"))) {
          Account other = accounts.get(e.stateKey());
          if (other != null) {
            out.put(other.userId, other);
          }
        }
      }
    }
    return out.values();
  }

  /**
   * {@code GET /presence/{userId}/status}; 404 for an unknown user.
   *
   * @param requester the authenticated caller
   * @param userId the user whose presence is read
   * @return the presence content: {@code presence}, {@code last_active_ago}, {@code
   *     currently_active}, {@code status_msg}
   */
  public Map<String, Object> presence(Requester requester, String userId) {
    return locked(() -> {
      presenceTimeouts.sweepIfDue();
      return presenceContent(account(userId));
    });
  }

  Map<String, Object> presenceContent(Account a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("presence", a.presence);
    out.put("last_active_ago", Math.max(0, clock.nowMillis() - a.lastActiveTs));
    out.put("currently_active", presenceTimeouts.currentlyActive(a));
    if (a.statusMsg != null) {
      out.put("status_msg", a.statusMsg);
    }
    return out;
  }

  // ---------------------------------------------------------------- filters and push rules

  /**
   * {@code POST /user/{userId}/filter}: stores a filter and returns {@code {filter_id}}. The same
   * filter again gets its existing id, as Synapse answers (clients post their filter at every start:
   * the list would otherwise grow with each start).
   *
   * @param requester the authenticated caller
   * @param userId the filter's owner; must be the caller
   * @param filter the filter definition
   * @return {@code {filter_id}}
   * @throws MatrixError 403 for another user, 400 M_BAD_JSON for a malformed filter
   */
  public Map<String, Object> createFilter(Requester requester, String userId, Map<String, Object> filter) {
    requireBody(filter);
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot create filters for other users");
    }
    Filter parsed = Filter.parse(filter);
    Map<String, Object> frozen = Json.frozenObject(filter);
    return locked(
        () -> {
          Account a = account(userId);
          int existing = a.filters.indexOf(frozen);
          if (existing >= 0) {
            return Map.<String, Object>of("filter_id", Integer.toString(existing));
          }
          a.filters.add(frozen);
          a.parsedFilters.add(parsed);
          return Map.<String, Object>of("filter_id", Integer.toString(a.filters.size() - 1));
        });
  }

  /**
   * {@code GET /user/{userId}/filter/{filterId}}; 404 when unknown, 403 for another user.
   *
   * @param requester the authenticated caller
   * @param userId the filter's owner; must be the caller
   * @param filterId an id {@link #createFilter} returned
   * @return the filter as stored
   */
  public Map<String, Object> filter(Requester requester, String userId, String filterId) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot get filters of other users");
    }
    return locked(
        () -> {
          Map<String, Object> f = storedFilter(account(userId), filterId);
          if (f == null) {
            throw MatrixError.notFound("No such filter");
          }
          return f;
        });
  }

  static Map<String, Object> storedFilter(Account a, String filterId) {
    if (!Ids.isDigits(filterId, 9)) {
      return null;
    }
    int index = Integer.parseInt(filterId);
    return index < a.filters.size() ? a.filters.get(index) : null;
  }

  /**
   * {@code GET /pushrules/}: the user's rules (the spec's default set until changed).
   *
   * @param requester the authenticated caller
   * @return {@code {global: {override, content, room, sender, underride}}}
   */
  public Map<String, Object> pushRules(Requester requester) {
    return locked(() -> currentPushRules(account(requester.userId())));
  }

  private static final List<String> PUSH_RULE_KINDS =
      List.of("override", "content", "room", "sender", "underride");

  Map<String, Object> currentPushRules(Account a) {
    Map<String, Object> stored = a.accountData.get("m.push_rules");
    return stored != null ? stored : DefaultPushRules.forUser(a.userId);
  }

  /** The mutable rule list of one kind in a deep copy of the user's rules. */
  private List<Map<String, Object>> ruleList(Map<String, Object> rules, String scope, String kind) {
    if (!"global".equals(scope)) {
      throw MatrixError.invalidParam("Unknown push rule scope " + scope);
    }
    if (!PUSH_RULE_KINDS.contains(kind)) {
      throw MatrixError.invalidParam("Unknown push rule kind " + kind);
    }
    Map<String, Object> global = Fields.castObject(rules.get("global"));
    List<Map<String, Object>> list = new ArrayList<>();
    Object existing = global.get(kind);
    if (existing instanceof List) {
      for (Object o : (List<?>) existing) {
        list.add(Fields.castObject(o));
      }
    }
    global.put(kind, list);
    return list;
  }

  private static int indexOfRule(List<Map<String, Object>> list, String ruleId) {
    for (int i = 0; i < list.size(); i++) {
      if (ruleId.equals(list.get(i).get("rule_id"))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code GET /pushrules/global/{kind}/{ruleId}}.
   *
   * @param requester the authenticated caller
   * @param scope must be {@code global}
   * @param kind {@code override}, {@code content}, {@code room}, {@code sender} or {@code
   *     underride}
   * @param ruleId the rule's id
   * @return the rule
   * @throws MatrixError 404 when there is no such rule, 400 M_INVALID_PARAM for a bad scope/kind
   */
  public Map<String, Object> pushRule(Requester requester, String scope, String kind, String ruleId) {
    return locked(
        () -> {
          Map<String, Object> rules = Json.copyObject(currentPushRules(account(requester.userId())));
          List<Map<String, Object>> list = ruleList(rules, scope, kind);
          int i = indexOfRule(list, ruleId);
          if (i < 0) {
            throw MatrixError.notFound("Unknown push rule " + ruleId);
          }
          return list.get(i);
        });
  }

  /**
   * {@code PUT /pushrules/global/{kind}/{ruleId}} with {@code before}/{@code after}: adds or
   * replaces a user-defined rule (server-default rules, ids starting with {@code .}, cannot be).
   * The rules show in sync as {@code m.push_rules} account data.
   *
   * @param requester the authenticated caller
   * @param scope must be {@code global} (else 400 {@code M_INVALID_PARAM})
   * @param kind the rule kind, for example {@code room} or {@code override}
   * @param ruleId the rule's id; a server-default id (starting with {@code .}) is 400
   * @param body the rule: {@code actions}, and {@code conditions} or {@code pattern} as the kind
   *     needs
   * @param before the id of a rule to insert before, or null
   * @param after the id of a rule to insert after, or null
   */
  public void putPushRule(
      Requester requester, String scope, String kind, String ruleId, Map<String, Object> body,
      String before, String after) {
    requireBody(body);
    if (ruleId.startsWith(".")) {
      throw new MatrixError(400, "M_UNKNOWN", "Cannot add or replace a server-default rule");
    }
    List<Object> actions = Fields.optList(body, "actions");
    if (actions == null) {
      throw MatrixError.missingParam("'actions' is required");
    }
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("rule_id", ruleId);
    rule.put("default", false);
    rule.put("enabled", true);
    rule.put("actions", actions);
    if (kind.equals("content")) {
      rule.put("pattern", Fields.string(body, "pattern"));
    } else if (kind.equals("override") || kind.equals("underride")) {
      List<Map<String, Object>> conditions = Fields.optObjectList(body, "conditions");
      rule.put("conditions", conditions == null ? List.of() : conditions);
    }
    lockedRun(
        () -> {
          Account a = account(requester.userId());
          Map<String, Object> rules = Json.copyObject(currentPushRules(a));
          List<Map<String, Object>> list = ruleList(rules, scope, kind);
          int existing = indexOfRule(list, ruleId);
          if (existing >= 0) {
            list.remove(existing);
          }
          int at;
          if (before != null || after != null) {
            int anchor = indexOfRule(list, before != null ? before : after);
            if (anchor < 0) {
              throw MatrixError.notFound("Unknown push rule " + (before != null ? before : after));
            }
            at = before != null ? anchor : anchor + 1;
          } else if (existing >= 0) {
            at = Math.min(existing, list.size());
          } else {
            at = !list.isEmpty() && ".m.rule.master".equals(list.get(0).get("rule_id")) ? 1 : 0;
          }
          list.add(at, rule);
          putAccountData(a, null, "m.push_rules", Json.frozenObject(rules));
        });
  }

  /**
   * {@code DELETE /pushrules/global/{kind}/{ruleId}}: 404 when unknown, 400 for a default rule.
   *
   * @param requester the authenticated caller
   * @param scope must be {@code global}
   * @param kind the rule kind
   * @param ruleId the rule's id
   */
  public void deletePushRule(Requester requester, String scope, String kind, String ruleId) {
    lockedRun(
        () -> {
          Account a = account(requester.userId());
          Map<String, Object> rules = Json.copyObject(currentPushRules(a));
          List<Map<String, Object>> list = ruleList(rules, scope, kind);
          int i = indexOfRule(list, ruleId);
          if (i < 0) {
            throw MatrixError.notFound("Unknown push rule " + ruleId);
          }
          if (Boolean.TRUE.equals(list.get(i).get("default"))) {
            throw new MatrixError(400, "M_UNKNOWN", "Cannot delete a server-default rule");
          }
          list.remove(i);
          putAccountData(a, null, "m.push_rules", Json.frozenObject(rules));
        });
  }

  /**
   * {@code PUT /pushrules/global/{kind}/{ruleId}/enabled} (with {@code enabled}) or {@code
   * .../actions} (with {@code actions}); pass null for the one not changed. 404 when unknown.
   *
   * @param requester the authenticated caller
   * @param scope must be {@code global}
   * @param kind the rule kind
   * @param ruleId the rule's id
   * @param enabled the new enabled flag, or null to keep it
   * @param actions the new actions, or null to keep them
   */
  public void updatePushRule(
      Requester requester, String scope, String kind, String ruleId, Boolean enabled, List<Object> actions) {
    lockedRun(
        () -> {
          Account a = account(requester.userId());
          Map<String, Object> rules = Json.copyObject(currentPushRules(a));
          List<Map<String, Object>> list = ruleList(rules, scope, kind);
          int i = indexOfRule(list, ruleId);
          if (i < 0) {
            throw MatrixError.notFound("Unknown push rule " + ruleId);
          }
          if (enabled != null) {
            list.get(i).put("enabled", enabled);
          }
          if (actions != null) {
            list.get(i).put("actions", actions);
          }
          putAccountData(a, null, "m.push_rules", Json.frozenObject(rules));
        });
  }

  /**
   * {@code GET /notifications}: the events the user's push rules notified about, newest first (see
   * {@link Notifications}).
   *
   * @param requester the authenticated caller
   * @param from a {@code next_token} from an earlier page, or null for the newest
   * @param limit the most notifications to return, or null for the default
   * @param only {@code highlight} for highlights only, or null
   * @return {@code {notifications, next_token}}
   * @throws MatrixError 400 M_INVALID_PARAM for a malformed {@code from} or a negative limit
   */
  public Map<String, Object> notifications(Requester requester, String from, Long limit, String only) {
    return locked(() -> notifications.list(requester, from, limit, only));
  }

  // ---------------------------------------------------------------- user directory

  /**
   * {@code POST /user_directory/search}: users who share a room with the searcher or are in a
   * public room, matching the term in the user id or display name (case-insensitive).
   *
   * @param requester the authenticated caller
   * @param term the search term; null is 400 {@code M_MISSING_PARAM}
   * @param limit the most results to return
   * @return {@code {results, limited}}, each result with {@code user_id}, {@code display_name},
   *     {@code avatar_url}
   */
  public Map<String, Object> searchUsers(Requester requester, String term, long limit) {
    if (term == null) {
      throw MatrixError.missingParam("'search_term' is required");
    }
    String needle = term.toLowerCase(Locale.ROOT);
    return locked(
        () -> {
          java.util.Set<String> visible = new java.util.LinkedHashSet<>();
          Account me = account(requester.userId());
          for (Account peer : peers(me)) {
            visible.add(peer.userId);
          }
          for (Room room : rooms.values()) {
            if (room.state.joinRule().equals("public")) {
              for (Event e : room.state.members()) {
                if (e.type().equals("m.room.member") && "join".equals(e.content().get("membership"))) {
                  visible.add(e.stateKey());
                }
              }
            }
          }
          List<Object> results = new ArrayList<>();
          boolean limited = false;
          for (String uid : visible) {
            Account a = accounts.get(uid);
            if (a == null) {
              continue;
            }
            boolean match =
                uid.toLowerCase(Locale.ROOT).contains(needle)
                    || (a.displayName != null && a.displayName.toLowerCase(Locale.ROOT).contains(needle));
            if (!match) {
              continue;
            }
            if (results.size() >= limit) {
              limited = true;
              break;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("user_id", uid);
            if (a.displayName != null) {
              r.put("display_name", a.displayName);
            }
            if (a.avatarUrl != null) {
              r.put("avatar_url", a.avatarUrl);
            }
            results.add(r);
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("results", results);
          out.put("limited", limited);
          return out;
        });
  }

  // ---------------------------------------------------------------- media

  /**
   * Stores an upload and returns {@code {content_uri}}.
   *
   * @param requester the authenticated caller (the uploader)
   * @param bytes the file content
   * @param contentType the content type, or null
   * @param filename the file name, or null
   * @return {@code {content_uri}}
   * @throws MatrixError 413 M_TOO_LARGE over the configured size
   */
  public Map<String, Object> upload(Requester requester, byte[] bytes, String contentType, String filename) {
    if (bytes.length > config.maxUploadBytes()) {
      throw new MatrixError(
          413, "M_TOO_LARGE", "Upload is larger than " + config.maxUploadBytes() + " bytes");
    }
    return locked(
        () -> {
          String id;
          do {
            id = Ids.random(24);
          } while (media.containsKey(id));
          Media m =
              new Media(
                  serverName,
                  id,
                  bytes.clone(),
                  contentType == null ? "application/octet-stream" : contentType,
                  filename,
                  requester.userId());
          storeMedia(m);
          return Map.<String, Object>of("content_uri", m.mxcUri());
        });
  }

  /**
   * Stores a media file, then purges the least recently used others while the store holds more than
   * {@link HomeserverConfig#mediaStoreBytes()}, so a long standalone run stays within its budget.
   */
  void storeMedia(Media m) {
    Media old = media.put(m.mediaId(), m);
    mediaBytes += m.bytes().length - (old == null ? 0 : old.bytes().length);
    java.util.Iterator<Media> it = media.values().iterator();
    while (mediaBytes > config.mediaStoreBytes() && it.hasNext()) {
      Media lru = it.next();
      if (lru != m) {
        it.remove();
        mediaBytes -= lru.bytes().length;
      }
    }
  }

  /**
   * {@return a stored media file}
   *
   * @param server the server name in the {@code mxc://} URI
   * @param mediaId the media id in the URI
   * @throws MatrixError 404 M_NOT_FOUND for another server or an unknown or malformed id
   */
  public Media media(String server, String mediaId) {
    if (!serverName.equals(server) || mediaId == null || !mediaId.matches("[A-Za-z0-9_-]{1,255}")) {
      throw MatrixError.notFound("Media not found");
    }
    return locked(
        () -> {
          Media m = media.get(mediaId);
          if (m == null) {
            throw MatrixError.notFound("Media not found");
          }
          return m;
        });
  }

  /**
   * {@code POST /_matrix/media/v1/create}: reserves an {@code mxc://} URI for a later upload.
   *
   * @param requester the authenticated caller, who alone may upload to the URI
   * @return {@code {content_uri, unused_expires_at}}
   * @throws MatrixError 429 M_LIMIT_EXCEEDED with too many pending uploads
   */
  public Map<String, Object> createMedia(Requester requester) {
    return locked(() -> pendingUploads.create(requester.userId()));
  }

  /**
   * {@code PUT /_matrix/media/v3/upload/{serverName}/{mediaId}}: the content of a reserved URI.
   *
   * @param requester the authenticated caller; must be who reserved the URI
   * @param server the server name in the {@code mxc://} URI
   * @param mediaId the media id in the URI
   * @param bytes the file content
   * @param contentType the content type, or null
   * @param filename the file name, or null
   * @throws MatrixError 413 M_TOO_LARGE, 409 M_CANNOT_OVERWRITE_MEDIA, 403 for another user's
   *     reservation, 404 for another server or an id never reserved
   */
  public void uploadToMxc(
      Requester requester, String server, String mediaId, byte[] bytes, String contentType, String filename) {
    if (bytes.length > config.maxUploadBytes()) {
      throw new MatrixError(413, "M_TOO_LARGE", "Upload is larger than " + config.maxUploadBytes() + " bytes");
    }
    if (!serverName.equals(server) || !mediaId.matches("[A-Za-z0-9_-]{1,255}")) {
      throw MatrixError.notFound("No pending upload " + mediaId);
    }
    lockedRun(() -> pendingUploads.upload(requester.userId(), mediaId, bytes, contentType, filename));
  }

  /**
   * {@return a stored media file; for a URI reserved but not yet uploaded, waits up to {@code
   * timeoutMs} on the clock for the upload (as long polls wait)}
   *
   * @param server the server name in the {@code mxc://} URI
   * @param mediaId the media id in the URI
   * @param timeoutMs how long to wait for a pending upload, in clock milliseconds
   * @throws MatrixError 504 M_NOT_YET_UPLOADED when it is still not uploaded, 404 as {@link #media}
   */
  public Media media(String server, String mediaId, long timeoutMs) {
    if (!serverName.equals(server) || mediaId == null || !mediaId.matches("[A-Za-z0-9_-]{1,255}")) {
      throw MatrixError.notFound("Media not found");
    }
    long deadline = saturatedAdd(clock.nowMillis(), Math.max(0, timeoutMs));
    lock.lock();
    try {
      while (true) {
        Media m = media.get(mediaId);
        if (m != null) {
          return m;
        }
        if (!pendingUploads.isPending(mediaId)) {
          throw MatrixError.notFound("Media not found");
        }
        long now = clock.nowMillis();
        if (now >= deadline || closed) {
          throw new MatrixError(504, "M_NOT_YET_UPLOADED", "The content of " + mediaId + " has not been uploaded yet");
        }
        if (clock.isManual()) {
          changed.await();
        } else {
          changed.await(deadline - now, TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MatrixError(504, "M_NOT_YET_UPLOADED", "The content of " + mediaId + " has not been uploaded yet");
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code GET /media/config}.
   *
   * @return {@code {m.upload.size}}: the configured upload limit in bytes
   */
  public Map<String, Object> mediaConfig() {
    return Map.of("m.upload.size", config.maxUploadBytes());
  }

  // ---------------------------------------------------------------- rooms: events

  Room room(String roomId) {
    Room room = rooms.get(roomId);
    if (room == null) {
      throw MatrixError.notFound("Unknown room " + roomId);
    }
    return room;
  }

  /**
   * Authorizes and stores one event (under the lock). The only way events enter a room.
   *
   * @param txnDeviceKey user+device key of the sending device when a txn id applies, else null
   */
  Event appendEvent(
      Room room,
      String sender,
      String type,
      String stateKey,
      Map<String, Object> content,
      String txnDeviceKey,
      String txnId,
      String redacts) {
    return appendEvent(room, sender, type, stateKey, PreparedContent.of(content), txnDeviceKey, txnId, redacts);
  }

  /** As {@link #appendEvent(Room, String, String, String, Map, String, String, String)}, with content prepared before the lock. */
  Event appendEvent(
      Room room,
      String sender,
      String type,
      String stateKey,
      PreparedContent prepared,
      String txnDeviceKey,
      String txnId,
      String redacts) {
    Map<String, Object> frozen = prepared.frozen;
    AuthRules.check(room.version, room.state, sender, type, stateKey, frozen);
    Event last = room.last();
    long depth = last == null ? 1 : last.depth() + 1;
    List<String> prev = last == null ? List.of() : List.of(last.eventId());
    List<String> auth = authEventIds(room.state, sender, type, stateKey, frozen);
    long ts = clock.nowMillis();
    Map<String, Object> pdu = new LinkedHashMap<>();
    pdu.put("auth_events", auth);
    pdu.put("content", frozen);
    pdu.put("depth", depth);
    pdu.put("origin_server_ts", ts);
    pdu.put("prev_events", prev);
    pdu.put("room_id", room.roomId);
    pdu.put("sender", sender);
    pdu.put("type", type);
    if (stateKey != null) {
      pdu.put("state_key", stateKey);
    }
    if (redacts != null && !room.version.redactsInContent()) {
      pdu.put("redacts", redacts);
    }
    if (prepared.error != null) {
      throw prepared.error;
    }
    Map<String, String> encoded = Ids.encodeFields(pdu, prepared.canonical);
    long length = 2;
    for (Map.Entry<String, String> f : encoded.entrySet()) {
      length += f.getKey().length() + f.getValue().length() + 4;
    }
    if (length > MAX_EVENT_BYTES / 4
        && Ids.joinCanonical(encoded).getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
      throw new MatrixError(413, "M_TOO_LARGE", "Event is larger than " + MAX_EVENT_BYTES + " bytes");
    }
    String eventId = Ids.eventId(room.version, pdu, encoded);
    long pos = nextPosition();
    Event e =
        new Event(
            eventId, room.roomId, sender, type, stateKey, frozen, ts, depth, pos, prev, auth,
            redacts, txnId, txnDeviceKey, room.state, room.version);
    room.timeline.add(e);
    if (stateKey != null) {
      room.state = room.state.with(e);
    }
    events.put(eventId, e);
    room.lastPosition = pos;
    room.index(e);
    notifications.onEvent(room, e);
    presenceTimeouts.active(sender);
    if (type.equals("m.room.member")) {
      Account target = accounts.get(stateKey);
      if (target != null) {
        target.rooms.add(room.roomId);
        Object m = frozen.get("membership");
        if ("join".equals(m) || "invite".equals(m) || "knock".equals(m)) {
          target.forgotten.remove(room.roomId);
        }
      }
      if (!"join".equals(frozen.get("membership")) && room.typing.remove(stateKey) != null) {
        room.typingPosition = pos;
      }
    }
    signal();
    return e;
  }

  private static List<String> authEventIds(
      StateMap state, String sender, String type, String stateKey, Map<String, Object> content) {
    List<String> ids = new ArrayList<>();
    if (type.equals("m.room.create")) {
      return ids;
    }
    addId(ids, state.get("m.room.create", ""));
    addId(ids, state.get("m.room.power_levels", ""));
    addId(ids, state.get("m.room.member", sender));
    if (type.equals("m.room.member")) {
      if (!sender.equals(stateKey)) {
        addId(ids, state.get("m.room.member", stateKey));
      }
      Object m = content.get("membership");
      if ("join".equals(m) || "invite".equals(m) || "knock".equals(m)) {
        addId(ids, state.get("m.room.join_rules", ""));
      }
      Object via = content.get("join_authorised_via_users_server");
      if (via instanceof String) {
        addId(ids, state.get("m.room.member", (String) via));
      }
    }
    return ids;
  }

  private static void addId(List<String> ids, Event e) {
    if (e != null && !ids.contains(e.eventId())) {
      ids.add(e.eventId());
    }
  }

  /**
   * The idempotency key of a request with a transaction id: the device and the endpoint path, as
   * Synapse keys its transaction cache (the same txn id on another room or endpoint is a new
   * request).
   */
  static String txnScope(String deviceKey, String endpoint, String roomId, String pathPart, String txnId) {
    return deviceKey + '\u0000' + endpoint + '\u0000' + roomId + '\u0000' + pathPart + '\u0000' + txnId;
  }

  static String deviceKey(Requester requester) {
    return requester.userId()
        + '\u0000'
        + (requester.deviceId() != null ? requester.deviceId() : "as:" + requester.appserviceId());
  }

  /**
   * {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}}: sends a message event. The same device
   * and txn id always give the same event id, without a second event.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param type the event type
   * @param txnId the client's transaction id
   * @param content the event content
   * @return the event id
   * @throws MatrixError 403 per the authorization rules, 404 for an unknown room, 400 M_BAD_JSON
   *     for content that is not canonical JSON (floats, huge integers), 413 M_TOO_LARGE
   */
  public String sendEvent(
      Requester requester, String roomId, String type, String txnId, Map<String, Object> content) {
    requireBody(content);
    if (txnId == null || txnId.isEmpty()) {
      throw MatrixError.missingParam("a transaction id is required");
    }
    if (type.equals("m.room.redaction")) {
      Object target = content.get("redacts");
      if (!(target instanceof String)) {
        throw MatrixError.badJson("'redacts' must be a string");
      }
      Object reason = content.get("reason");
      return redact(requester, roomId, (String) target, txnId, reason instanceof String ? (String) reason : null);
    }
    // Copying and canonicalizing the content needs no state: done before taking the lock.
    PreparedContent prepared = PreparedContent.of(content);
    String key = deviceKey(requester);
    String scope = txnScope(key, "send", roomId, type, txnId);
    return locked(
        () -> {
          String existing = transactions.get(scope);
          if (existing != null) {
            return existing;
          }
          Room room = room(roomId);
          checkNotDuplicateAnnotation(room, requester.userId(), type, prepared.frozen);
          checkThreadParentHasNoRelation(prepared.frozen);
          String id = appendEvent(room, requester.userId(), type, null, prepared, key, txnId, null).eventId();
          transactions.put(scope, id);
          return id;
        });
  }

  /**
   * 400 {@code M_DUPLICATE_ANNOTATION} when the sender already annotated the same event with the
   * same key and event type (and has not redacted it), as the spec asks servers to refuse.
   */
  private void checkNotDuplicateAnnotation(Room room, String sender, String type, Map<String, Object> content) {
    Object rel = content.get("m.relates_to");
    if (!(rel instanceof Map) || !"m.annotation".equals(((Map<?, ?>) rel).get("rel_type"))) {
      return;
    }
    Object parent = ((Map<?, ?>) rel).get("event_id");
    Object key = ((Map<?, ?>) rel).get("key");
    if (!(parent instanceof String) || key == null) {
      return;
    }
    for (Event e : room.relations.getOrDefault((String) parent, List.of())) {
      if (e.isRedacted() || !e.sender().equals(sender) || !e.type().equals(type)) {
        continue;
      }
      Object r = e.content().get("m.relates_to");
      if (r instanceof Map && "m.annotation".equals(((Map<?, ?>) r).get("rel_type"))
          && key.equals(((Map<?, ?>) r).get("key"))) {
        throw new MatrixError(400, "M_DUPLICATE_ANNOTATION", "The same annotation was already sent");
      }
    }
  }

  /**
   * 400 {@code M_UNKNOWN} "Cannot start threads from an event with a relation" when an {@code
   * m.thread} relation points at an event that itself has a relation (a thread reply, an edit, a
   * reaction), as Synapse refuses it: a thread root is an event without a relation, so threads do
   * not nest. A redacted parent has lost its relation and may root a thread.
   */
  private void checkThreadParentHasNoRelation(Map<String, Object> content) {
    Object rel = content.get("m.relates_to");
    if (!(rel instanceof Map) || !"m.thread".equals(((Map<?, ?>) rel).get("rel_type"))) {
      return;
    }
    Object parentId = ((Map<?, ?>) rel).get("event_id");
    Event parent = parentId instanceof String ? events.get(parentId) : null;
    if (parent != null && Room.relType(parent) != null) {
      throw new MatrixError(400, "M_UNKNOWN", "Cannot start threads from an event with a relation");
    }
  }

  /**
   * {@code PUT /rooms/{roomId}/state/{eventType}/{stateKey}}: sends a state event. Sending the
   * same content again from the same sender returns the current event without a new one.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param type the event type
   * @param stateKey the state key ({@code ""} for most room state)
   * @param content the event content
   * @return the event id
   */
  public String sendState(
      Requester requester, String roomId, String type, String stateKey, Map<String, Object> content) {
    requireBody(content);
    if (stateKey == null) {
      throw MatrixError.missingParam("a state key is required");
    }
    return locked(
        () -> {
          Room room = room(roomId);
          Event current = room.state.get(type, stateKey);
          if (current != null
              && current.sender().equals(requester.userId())
              && !current.isRedacted()
              && Json.canonical(current.content()).equals(Json.canonical(content))) {
            return current.eventId();
          }
          if (type.equals("m.room.member")) {
            Object m = content.get("membership");
            if (!(m instanceof String)) {
              throw MatrixError.badJson("'membership' must be a string");
            }
            Account target = accounts.get(stateKey);
            if ("invite".equals(m) && target != null && !stateKey.equals(requester.userId())) {
              checkInviteNotBlocked(target);
            }
          }
          if (type.equals("m.room.canonical_alias")) {
            checkCanonicalAlias(room, content);
          }
          return appendEvent(room, requester.userId(), type, stateKey, content, null, null, null).eventId();
        });
  }

  private void checkCanonicalAlias(Room room, Map<String, Object> content) {
    List<String> all = new ArrayList<>();
    String alias = Fields.optString(content, "alias");
    if (alias != null) {
      all.add(alias);
    }
    List<String> alt = Fields.optStringList(content, "alt_aliases");
    if (alt != null) {
      all.addAll(alt);
    }
    for (String a : all) {
      if (!Ids.isRoomAlias(a)) {
        throw MatrixError.invalidParam(a + " is not a valid room alias");
      }
      Alias known = aliases.get(a);
      if (Ids.domain(a).equals(serverName) && (known == null || !known.roomId().equals(room.roomId))) {
        throw new MatrixError(400, "M_BAD_ALIAS", "Room alias " + a + " does not point to the room");
      }
    }
  }

  /**
   * {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}}: redacts an event. The sender of the
   * event may always redact it; others need the {@code redact} power level.
   *
   * @param requester the authenticated caller
   * @param roomId the room of the event
   * @param eventId the event to redact
   * @param txnId the client's transaction id
   * @param reason the reason, or null
   * @return the redaction's event id
   * @throws MatrixError 404 for an unknown event, 403 without permission
   */
  public String redact(Requester requester, String roomId, String eventId, String txnId, String reason) {
    return locked(
        () -> {
          String key = deviceKey(requester);
          String scope = txnId == null ? null : txnScope(key, "redact", roomId, eventId, txnId);
          if (scope != null) {
            String existing = transactions.get(scope);
            if (existing != null) {
              return existing;
            }
          }
          Room room = room(roomId);
          Event target = events.get(eventId);
          if (target == null || !target.roomId().equals(roomId)) {
            throw MatrixError.notFound("Event not found");
          }
          if (!target.sender().equals(requester.userId())) {
            PowerLevels pl = PowerLevels.of(room.state, room.version);
            long level = pl.user(requester.userId());
            if (level < pl.redact()) {
              throw MatrixError.forbidden(
                  requester.userId() + " has power level " + level + ", redacting others' events needs "
                      + pl.redact());
            }
          }
          Map<String, Object> content = new LinkedHashMap<>();
          if (reason != null) {
            content.put("reason", reason);
          }
          if (room.version.redactsInContent()) {
            content.put("redacts", eventId);
          }
          Event redaction =
              appendEvent(room, requester.userId(), "m.room.redaction", null, content,
                  txnId == null ? null : key, txnId, eventId);
          if (scope != null) {
            transactions.put(scope, redaction.eventId());
          }
          if (!target.isRedacted()) {
            target.markRedactedBy(redaction);
            room.redactions++;
          }
          return redaction.eventId();
        });
  }

  // ---------------------------------------------------------------- rooms: creation

  /**
   * {@code POST /createRoom} with every option of the spec: visibility, room_alias_name, name,
   * topic, invite, room_version (10 or 11), creation_content (including {@code type: m.space}),
   * initial_state, preset, is_direct, power_level_content_override (applied key by key).
   *
   * @param requester the authenticated caller, who becomes the creator
   * @param body the request body
   * @return {@code {room_id}}
   * @throws MatrixError 400 M_ROOM_IN_USE for a taken alias, 400 M_UNSUPPORTED_ROOM_VERSION, 400
   *     M_INVALID_PARAM / M_BAD_JSON for malformed options
   */
  public Map<String, Object> createRoom(Requester requester, Map<String, Object> body) {
    requireBody(body);
    return locked(() -> Map.<String, Object>of("room_id", RoomCreation.create(this, requester, body)));
  }

  /**
   * Creates a room as a user (seeding); returns the room id. See {@link #createRoom}.
   *
   * @param userId the full id of the creator (an existing account)
   * @param body the {@code /createRoom} request body
   * @return the new room's id
   */
  public String createRoom(String userId, Map<String, Object> body) {
    requireBody(body);
    return locked(() -> RoomCreation.create(this, new Requester(userId, null, null), body));
  }

  /**
   * {@code POST /rooms/{roomId}/upgrade}: a new room of {@code newVersion} whose create event
   * names the old room as predecessor; the state that Synapse carries over (join rules, name,
   * topic, avatar, history visibility, guest access, encryption, server ACL, space parents and
   * children, power levels, bans) is copied; local aliases move; the old room gets a tombstone and
   * its power levels are raised so that ordinary members can no longer talk or invite. The
   * upgrading user needs the power to send {@code m.room.tombstone}.
   *
   * @param requester the authenticated caller; must be joined and allowed to send {@code
   *     m.room.tombstone}
   * @param roomId the room to upgrade
   * @param newVersion the new room version, {@code 10} or {@code 11}
   * @return {@code {replacement_room}}
   * @throws MatrixError 400 M_UNSUPPORTED_ROOM_VERSION, 403 without permission, 404 unknown room
   */
  public Map<String, Object> upgradeRoom(Requester requester, String roomId, String newVersion) {
    RoomVersion version = RoomVersion.of(newVersion);
    return locked(
        () -> {
          Room old = room(roomId);
          String user = requester.userId();
          PowerLevels pl = PowerLevels.of(old.state, old.version);
          if (!old.state.membership(user).equals("join")) {
            throw MatrixError.forbidden(user + " is not joined to the room");
          }
          long needed = pl.event("m.room.tombstone", true);
          if (pl.user(user) < needed) {
            throw MatrixError.forbidden(
                user + " has power level " + pl.user(user) + ", upgrading needs " + needed);
          }
          Room room = new Room(newRoomId(), version);
          rooms.put(room.roomId, room);
          Map<String, Object> create = new LinkedHashMap<>(old.state.content("m.room.create", ""));
          create.remove("creator");
          create.remove("predecessor");
          if (version.createNeedsCreatorField()) {
            create.put("creator", user);
          }
          create.put("room_version", version.id());
          create.put("predecessor", Map.of("room_id", roomId, "event_id", old.last().eventId()));
          appendEvent(room, user, "m.room.create", "", create, null, null, null);
          appendEvent(room, user, "m.room.member", user, memberContent(account(user), "join", null), null, null, null);
          Map<String, Object> oldPl = old.state.content("m.room.power_levels", "");
          Map<String, Object> initialPl = new LinkedHashMap<>(oldPl);
          Map<String, Object> users = new LinkedHashMap<>();
          if (oldPl.get("users") instanceof Map) {
            users.putAll(Fields.castObject(oldPl.get("users")));
          }
          users.put(user, Math.max(100L, pl.user(user)));
          initialPl.put("users", users);
          appendEvent(room, user, "m.room.power_levels", "", initialPl, null, null, null);
          for (Event e : old.state.events()) {
            String t = e.type();
            boolean copy = List.of("m.room.join_rules", "m.room.name", "m.room.topic", "m.room.avatar",
                    "m.room.history_visibility", "m.room.guest_access", "m.room.encryption",
                    "m.room.server_acl", "m.space.parent", "m.space.child").contains(t)
                || (t.equals("m.room.member") && "ban".equals(e.content().get("membership")));
            if (copy) {
              appendEvent(room, user, t, e.stateKey(), e.content(), null, null, null);
            }
          }
          if (!oldPl.isEmpty() && !Json.canonical(oldPl).equals(Json.canonical(initialPl))) {
            appendEvent(room, user, "m.room.power_levels", "", oldPl, null, null, null);
          }
          Map<String, Object> canonical = old.state.content("m.room.canonical_alias", "");
          for (Alias a : new ArrayList<>(aliases.values())) {
            if (a.roomId().equals(roomId)) {
              aliases.put(a.alias(), new Alias(a.alias(), room.roomId, a.creator()));
            }
          }
          if (!canonical.isEmpty()) {
            appendEvent(room, user, "m.room.canonical_alias", "", canonical, null, null, null);
          }
          room.directoryVisibility = old.directoryVisibility;
          old.directoryVisibility = "private";
          appendEvent(old, user, "m.room.tombstone", "",
              Map.of("body", "This room has been replaced", "replacement_room", room.roomId), null, null, null);
          Map<String, Object> restricted = new LinkedHashMap<>(oldPl);
          long level = Math.max(50, PowerLevels.asLevel(oldPl.get("users_default")) == null
              ? 1 : PowerLevels.asLevel(oldPl.get("users_default")) + 1);
          restricted.put("events_default", level);
          restricted.put("invite", level);
          try {
            appendEvent(old, user, "m.room.power_levels", "", restricted, null, null, null);
          } catch (MatrixError cannotRestrict) {
            // the upgrader may not be allowed to raise these levels; the tombstone is enough
          }
          return Map.<String, Object>of("replacement_room", room.roomId);
        });
  }

  String newRoomId() {
    String id;
    do {
      id = "!" + Ids.random(18) + ":" + serverName;
    } while (rooms.containsKey(id));
    return id;
  }

  // ---------------------------------------------------------------- rooms: membership

  /**
   * {@code POST /join/{roomIdOrAlias}} and {@code POST /rooms/{roomId}/join}. In a restricted room
   * the join is authorised by a member who can invite when the user is joined to an allowed room.
   *
   * @param requester the authenticated caller
   * @param roomIdOrAlias a room id or a local alias
   * @param reason the reason for the member event, or null
   * @return {@code {room_id}}
   * @throws MatrixError 404 for an unknown room or alias, 403 per the authorization rules
   */
  public Map<String, Object> join(Requester requester, String roomIdOrAlias, String reason) {
    return locked(() -> Map.<String, Object>of("room_id", joinLocked(requester.userId(), roomIdOrAlias, reason)));
  }

  String resolveRoom(String roomIdOrAlias) {
    if (roomIdOrAlias.startsWith("#")) {
      Alias a = aliases.get(roomIdOrAlias);
      if (a == null) {
        throw MatrixError.notFound("Room alias " + roomIdOrAlias + " not found");
      }
      return a.roomId();
    }
    if (!Ids.isRoomId(roomIdOrAlias)) {
      throw MatrixError.invalidParam(roomIdOrAlias + " is not a room id or alias");
    }
    room(roomIdOrAlias);
    return roomIdOrAlias;
  }

  String joinLocked(String userId, String roomIdOrAlias, String reason) {
    String roomId = resolveRoom(roomIdOrAlias);
    Room room = room(roomId);
    Account account = account(userId);
    String current = room.state.membership(userId);
    if (current.equals("join")) {
      return roomId;
    }
    Map<String, Object> content = memberContent(account, "join", reason);
    String rule = room.state.joinRule();
    if ((rule.equals("restricted") || rule.equals("knock_restricted"))
        && !current.equals("invite")
        && !current.equals("ban")) {
      String authoriser = restrictedJoinAuthoriser(room, userId);
      if (authoriser != null) {
        content.put("join_authorised_via_users_server", authoriser);
      } else if (rule.equals("restricted")) {
        throw MatrixError.forbidden(userId + " is not a member of any room that the join rule allows");
      }
    }
    appendEvent(room, userId, "m.room.member", userId, content, null, null, null);
    return roomId;
  }

  /** A member who can invite, when the user satisfies an allow condition; else null. */
  String restrictedJoinAuthoriser(Room room, String userId) {
    List<Map<String, Object>> allow;
    try {
      allow = Fields.optObjectList(room.state.content("m.room.join_rules", ""), "allow");
    } catch (MatrixError malformed) {
      return null;
    }
    if (allow == null) {
      return null;
    }
    boolean allowed = false;
    for (Map<String, Object> condition : allow) {
      if ("m.room_membership".equals(condition.get("type")) && condition.get("room_id") instanceof String) {
        Room other = rooms.get((String) condition.get("room_id"));
        if (other != null && other.state.membership(userId).equals("join")) {
          allowed = true;
          break;
        }
      }
    }
    if (!allowed) {
      return null;
    }
    PowerLevels pl = PowerLevels.of(room.state, room.version);
    String best = null;
    long bestLevel = Long.MIN_VALUE;
    for (Event e : room.state.members()) {
      if (e.type().equals("m.room.member")
          && "join".equals(e.content().get("membership"))
          && Ids.domain(e.stateKey()).equals(serverName)) {
        long level = pl.user(e.stateKey());
        if (level >= pl.invite() && level > bestLevel) {
          best = e.stateKey();
          bestLevel = level;
        }
      }
    }
    if (best == null) {
      throw new MatrixError(
          400, "M_UNABLE_TO_AUTHORISE_JOIN", "No member of the room can authorise the join");
    }
    return best;
  }

  Map<String, Object> memberContent(Account account, String membership, String reason) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("membership", membership);
    if (account != null && account.displayName != null) {
      content.put("displayname", account.displayName);
    }
    if (account != null && account.avatarUrl != null) {
      content.put("avatar_url", account.avatarUrl);
    }
    if (reason != null) {
      content.put("reason", reason);
    }
    return content;
  }

  /**
   * {@code POST /rooms/{roomId}/leave}: leave, reject an invite or rescind a knock.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param reason the reason for the member event, or null
   */
  public void leave(Requester requester, String roomId, String reason) {
    lockedRun(
        () -> {
          Room room = room(roomId);
          Map<String, Object> content = memberContent(null, "leave", reason);
          appendEvent(room, requester.userId(), "m.room.member", requester.userId(), content, null, null, null);
        });
  }

  /**
   * {@code POST /rooms/{roomId}/invite}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param userId the full id of the user to invite
   * @param reason the reason for the member event, or null
   * @throws MatrixError 400 M_INVALID_PARAM for a malformed user id, 404 for an unknown local
   *     user, 403 per the authorization rules
   */
  public void invite(Requester requester, String roomId, String userId, String reason) {
    lockedRun(() -> inviteLocked(requester.userId(), roomId, userId, reason, false));
  }

  void inviteLocked(String sender, String roomId, String userId, String reason, boolean isDirect) {
    if (!Ids.isUserId(userId)) {
      throw MatrixError.invalidParam(userId + " is not a valid user id");
    }
    if (!Ids.domain(userId).equals(serverName)) {
      throw MatrixError.forbidden("This server does not federate; cannot invite " + userId);
    }
    Room room = room(roomId);
    Account target = account(userId);
    checkInviteNotBlocked(target);
    Map<String, Object> content = memberContent(target, "invite", reason);
    if (isDirect) {
      content.put("is_direct", true);
    }
    appendEvent(room, sender, "m.room.member", userId, content, null, null, null);
  }

  /** 403 {@code M_INVITE_BLOCKED} when the invitee's {@code m.invite_permission_config} blocks invites. */
  void checkInviteNotBlocked(Account target) {
    Map<String, Object> config = target.accountData.get("m.invite_permission_config");
    if (config != null && "block".equals(config.get("default_action"))) {
      throw new MatrixError(403, "M_INVITE_BLOCKED", target.userId + " does not accept invites");
    }
  }

  /**
   * {@code POST /rooms/{roomId}/kick}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param userId the full id of the user to kick
   * @param reason the reason for the member event, or null
   * @throws MatrixError 403 when the target is not in the room or the rules refuse
   */
  public void kick(Requester requester, String roomId, String userId, String reason) {
    lockedRun(
        () -> {
          Room room = room(roomId);
          String m = room.state.membership(userId);
          if (!m.equals("join") && !m.equals("invite") && !m.equals("knock")) {
            throw MatrixError.forbidden(userId + " is not in the room");
          }
          appendEvent(room, requester.userId(), "m.room.member", userId,
              memberContent(null, "leave", reason), null, null, null);
        });
  }

  /**
   * {@code POST /rooms/{roomId}/ban}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param userId the full id of the user to ban
   * @param reason the reason for the member event, or null
   */
  public void ban(Requester requester, String roomId, String userId, String reason) {
    if (!Ids.isUserId(userId)) {
      throw MatrixError.invalidParam(userId + " is not a valid user id");
    }
    lockedRun(
        () -> {
          Room room = room(roomId);
          appendEvent(room, requester.userId(), "m.room.member", userId,
              memberContent(null, "ban", reason), null, null, null);
        });
  }

  /**
   * {@code POST /rooms/{roomId}/unban}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param userId the full id of the user to unban
   * @param reason the reason for the member event, or null
   * @throws MatrixError 403 when the user is not banned or the rules refuse
   */
  public void unban(Requester requester, String roomId, String userId, String reason) {
    lockedRun(
        () -> {
          Room room = room(roomId);
          if (!room.state.membership(userId).equals("ban")) {
            throw MatrixError.forbidden(userId + " is not banned");
          }
          appendEvent(room, requester.userId(), "m.room.member", userId,
              memberContent(null, "leave", reason), null, null, null);
        });
  }

  /**
   * {@code POST /rooms/{roomId}/forget}: the room disappears from the user's syncs.
   *
   * @param requester the authenticated caller
   * @param roomId the room to forget
   * @throws MatrixError 400 M_UNKNOWN while the user is joined or invited
   */
  public void forget(Requester requester, String roomId) {
    lockedRun(
        () -> {
          Room room = room(roomId);
          String m = room.state.membership(requester.userId());
          if (m.equals("join") || m.equals("invite") || m.equals("knock")) {
            throw new MatrixError(400, "M_UNKNOWN", "User is still in the room (" + m + ")");
          }
          account(requester.userId()).forgotten.add(roomId);
          signal();
        });
  }

  /**
   * {@code POST /knock/{roomIdOrAlias}}; returns {@code {room_id}}.
   *
   * @param requester the authenticated caller
   * @param roomIdOrAlias a room id or a local alias
   * @param reason the reason for the member event, or null
   * @return {@code {room_id}}
   */
  public Map<String, Object> knock(Requester requester, String roomIdOrAlias, String reason) {
    return locked(
        () -> {
          String roomId = resolveRoom(roomIdOrAlias);
          Room room = room(roomId);
          appendEvent(room, requester.userId(), "m.room.member", requester.userId(),
              memberContent(account(requester.userId()), "knock", reason), null, null, null);
          return Map.<String, Object>of("room_id", roomId);
        });
  }

  /**
   * {@code GET /joined_rooms}.
   *
   * @param requester the authenticated caller
   * @return {@code {joined_rooms}}: the ids of the rooms the caller is joined to
   */
  public Map<String, Object> joinedRooms(Requester requester) {
    return locked(
        () -> {
          List<Object> ids = new ArrayList<>();
          for (String roomId : account(requester.userId()).rooms) {
            if (rooms.get(roomId).state.membership(requester.userId()).equals("join")) {
              ids.add(roomId);
            }
          }
          return Map.<String, Object>of("joined_rooms", ids);
        });
  }

  // ---------------------------------------------------------------- aliases and directory

  /**
   * {@code PUT /directory/room/{alias}}: the user must be joined to the room.
   *
   * @param requester the authenticated caller
   * @param alias the full alias, for example {@code #lobby:localhost}
   * @param roomId the room it points to
   * @throws MatrixError 409 M_UNKNOWN when the alias exists, 400 M_INVALID_PARAM for a malformed
   *     or non-local alias, 404 for an unknown room, 403 when not joined
   */
  public void createAlias(Requester requester, String alias, String roomId) {
    lockedRun(
        () -> {
          checkLocalAlias(alias);
          if (aliases.containsKey(alias)) {
            throw new MatrixError(409, "M_UNKNOWN", "Room alias " + alias + " already exists");
          }
          Room room = room(roomId);
          if (!room.state.membership(requester.userId()).equals("join")) {
            throw MatrixError.forbidden(requester.userId() + " is not joined to the room");
          }
          aliases.put(alias, new Alias(alias, roomId, requester.userId()));
        });
  }

  void checkLocalAlias(String alias) {
    if (!Ids.isRoomAlias(alias) || alias.chars().anyMatch(Character::isWhitespace)) {
      throw MatrixError.invalidParam(alias + " is not a valid room alias");
    }
    if (!Ids.domain(alias).equals(serverName)) {
      throw MatrixError.invalidParam("Room alias must be on this server (" + serverName + ")");
    }
  }

  /**
   * {@code GET /directory/room/{alias}}: {@code {room_id, servers}}; 404 when unknown.
   *
   * @param alias the full alias; a malformed one is 400 {@code M_INVALID_PARAM}
   * @return {@code {room_id, servers}}
   */
  public Map<String, Object> resolveAlias(String alias) {
    if (!Ids.isRoomAlias(alias)) {
      throw MatrixError.invalidParam(alias + " is not a valid room alias");
    }
    return locked(
        () -> {
          Alias a = aliases.get(alias);
          if (a == null) {
            throw MatrixError.notFound("Room alias " + alias + " not found");
          }
          return Map.<String, Object>of("room_id", a.roomId(), "servers", List.of(serverName));
        });
  }

  /**
   * {@code DELETE /directory/room/{alias}}: allowed to the alias's creator and to users who may
   * send {@code m.room.canonical_alias}; a canonical alias pointing to it is cleared.
   *
   * @param requester the authenticated caller
   * @param alias the full alias
   * @throws MatrixError 404 when unknown, 403 without permission
   */
  public void deleteAlias(Requester requester, String alias) {
    lockedRun(
        () -> {
          Alias a = aliases.get(alias);
          if (a == null) {
            throw MatrixError.notFound("Room alias " + alias + " not found");
          }
          Room room = rooms.get(a.roomId());
          String user = requester.userId();
          if (!a.creator().equals(user)) {
            PowerLevels pl = PowerLevels.of(room.state, room.version);
            if (!room.state.membership(user).equals("join")
                || pl.user(user) < pl.event("m.room.canonical_alias", true)) {
              throw MatrixError.forbidden("You don't have permission to delete the alias " + alias);
            }
          }
          aliases.remove(alias);
          Map<String, Object> canonical = room.state.content("m.room.canonical_alias", "");
          boolean isMain = alias.equals(canonical.get("alias"));
          boolean isAlt = canonical.get("alt_aliases") instanceof List
              && ((List<?>) canonical.get("alt_aliases")).contains(alias);
          if (isMain || isAlt) {
            Map<String, Object> updated = new LinkedHashMap<>(canonical);
            if (isMain) {
              updated.remove("alias");
            }
            if (isAlt) {
              List<Object> alt = new ArrayList<>((List<?>) canonical.get("alt_aliases"));
              alt.remove(alias);
              updated.put("alt_aliases", alt);
            }
            try {
              appendEvent(room, user, "m.room.canonical_alias", "", updated, null, null, null);
            } catch (MatrixError refused) {
              // the alias is gone; the canonical alias event keeps pointing to it
            }
          }
        });
  }

  /**
   * {@code GET /rooms/{roomId}/aliases}: members (or anyone in a world-readable room) only.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @return {@code {aliases}}: the local aliases that point to the room
   */
  public Map<String, Object> roomAliases(Requester requester, String roomId) {
    return locked(
        () -> {
          Room room = room(roomId);
          if (!room.state.membership(requester.userId()).equals("join")
              && !room.state.historyVisibility().equals("world_readable")) {
            throw MatrixError.forbidden("You are not joined to the room");
          }
          List<Object> list = new ArrayList<>();
          for (Alias a : aliases.values()) {
            if (a.roomId().equals(roomId)) {
              list.add(a.alias());
            }
          }
          return Map.<String, Object>of("aliases", list);
        });
  }

  /**
   * {@code GET /directory/list/room/{roomId}}: {@code {visibility}}; 404 for an unknown room.
   *
   * @param roomId the room
   * @return {@code {visibility}}: {@code public} or {@code private}
   */
  public Map<String, Object> directoryVisibility(String roomId) {
    return locked(() -> Map.<String, Object>of("visibility", room(roomId).directoryVisibility));
  }

  /**
   * {@code PUT /directory/list/room/{roomId}}: needs the power to send {@code
   * m.room.canonical_alias}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param visibility {@code public} or {@code private}
   */
  public void setDirectoryVisibility(Requester requester, String roomId, String visibility) {
    if (!"public".equals(visibility) && !"private".equals(visibility)) {
      throw MatrixError.invalidParam("'visibility' must be public or private");
    }
    lockedRun(
        () -> {
          Room room = room(roomId);
          PowerLevels pl = PowerLevels.of(room.state, room.version);
          String user = requester.userId();
          if (!room.state.membership(user).equals("join")
              || pl.user(user) < pl.event("m.room.canonical_alias", true)) {
            throw MatrixError.forbidden("You don't have permission to change the room's visibility");
          }
          room.directoryVisibility = visibility;
        });
  }

  /**
   * {@code GET/POST /publicRooms}: published rooms, most members first.
   *
   * @param since a {@code next_batch} from an earlier page, or null
   * @param searchTerm {@code filter.generic_search_term}, or null
   * @param limit the most rooms per page, or null for no limit
   * @return {@code {chunk, next_batch, prev_batch, total_room_count_estimate}}
   */
  public Map<String, Object> publicRooms(Long limit, String since, String searchTerm) {
    return locked(() -> reads.publicRooms(limit, since, searchTerm));
  }

  // ---------------------------------------------------------------- typing, receipts, markers

  /**
   * {@code PUT /rooms/{roomId}/typing/{userId}}: the notification expires on the clock after the
   * timeout (30 s by default, at most 120 s).
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param userId the typing user; must be the caller
   * @param typing true to start typing, false to stop
   * @param timeoutMs the timeout in milliseconds, or null for 30 s (capped at 120 s)
   * @throws MatrixError 403 for another user or when not joined
   */
  public void setTyping(Requester requester, String roomId, String userId, boolean typing, Long timeoutMs) {
    if (!requester.userId().equals(userId)) {
      throw MatrixError.forbidden("Cannot set typing for another user");
    }
    lockedRun(
        () -> {
          Room room = room(roomId);
          if (!room.state.membership(userId).equals("join")) {
            throw MatrixError.forbidden(userId + " is not joined to the room");
          }
          boolean was = room.typing.containsKey(userId);
          if (typing) {
            long timeout = timeoutMs == null ? DEFAULT_TYPING_TIMEOUT_MS
                : Math.max(0, Math.min(timeoutMs, MAX_TYPING_TIMEOUT_MS));
            room.typing.put(userId, clock.nowMillis() + timeout);
          } else {
            room.typing.remove(userId);
          }
          if (was != typing) {
            long pos = nextPosition();
            room.typingPosition = pos;
            room.lastPosition = pos;
            signal();
          }
        });
  }

  /** Removes expired typing notifications; returns the earliest remaining expiry or MAX_VALUE. */
  long sweepTyping() {
    long now = clock.nowMillis();
    long next = Long.MAX_VALUE;
    for (Room room : rooms.values()) {
      if (room.typing.isEmpty()) {
        continue;
      }
      boolean removed = room.typing.values().removeIf(expiry -> expiry <= now);
      if (removed) {
        long pos = nextPosition();
        room.typingPosition = pos;
        room.lastPosition = pos;
        signal();
      }
      for (long expiry : room.typing.values()) {
        next = Math.min(next, expiry);
      }
    }
    return next;
  }

  /**
   * {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}} for {@code m.read}, {@code
   * m.read.private} and {@code m.fully_read}. A receipt older than the user's current one is
   * accepted and ignored.
   *
   * @param threadId {@code main}, a thread root's event id, or null for an unthreaded receipt
   * @param requester the authenticated caller
   * @param roomId the room
   * @param receiptType {@code m.read}, {@code m.read.private} or {@code m.fully_read}
   * @param eventId the event read up to
   */
  public void sendReceipt(
      Requester requester, String roomId, String receiptType, String eventId, String threadId) {
    if (!List.of("m.read", "m.read.private", "m.fully_read").contains(receiptType)) {
      throw MatrixError.invalidParam("Unknown receipt type " + receiptType);
    }
    if (threadId != null && receiptType.equals("m.fully_read")) {
      throw MatrixError.invalidParam("m.fully_read does not take a thread_id");
    }
    lockedRun(
        () -> {
          Room room = room(roomId);
          if (!room.state.membership(requester.userId()).equals("join")) {
            throw MatrixError.forbidden(requester.userId() + " is not joined to the room");
          }
          Event e = events.get(eventId);
          if (e == null || !e.roomId().equals(roomId)) {
            throw MatrixError.notFound("Event " + eventId + " not found in the room");
          }
          if (threadId != null) {
            boolean inThread = "m.thread".equals(Room.relType(e));
            if (threadId.isEmpty()) {
              throw MatrixError.invalidParam("'thread_id' must not be empty");
            } else if (threadId.equals("main")) {
              if (inThread) {
                throw MatrixError.invalidParam("The event is in a thread, not in the main timeline");
              }
            } else if (!threadId.equals(eventId)
                && !(inThread && threadId.equals(Room.relParent(e)))) {
              throw MatrixError.invalidParam("The event is not part of the thread " + threadId);
            }
          }
          if (receiptType.equals("m.fully_read")) {
            putAccountData(account(requester.userId()), roomId, "m.fully_read", Map.of("event_id", eventId));
          } else {
            putReceipt(room, receiptType, requester.userId(), e, threadId);
          }
        });
  }

  void putReceipt(Room room, String type, String userId, Event e, String threadId) {
    String key = type + '\u0000' + userId + '\u0000' + (threadId == null ? "" : threadId);
    Room.Receipt old = room.receipts.get(key);
    if (old != null) {
      Event oldEvent = events.get(old.eventId());
      if (oldEvent != null && oldEvent.streamPosition() >= e.streamPosition()) {
        return;
      }
    }
    long pos = nextPosition();
    room.receipts.put(key, new Room.Receipt(type, userId, e.eventId(), threadId, clock.nowMillis(), pos));
    room.lastPosition = pos;
    if (type.equals("m.read") || type.equals("m.read.private")) {
      notifications.onReceipt(room, userId);
    }
    signal();
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event}: the visible event closest
   * to {@code ts} in direction {@code dir} ({@code f}: at or after, {@code b}: at or before).
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param ts the timestamp, in milliseconds since the epoch
   * @param dir {@code f} or {@code b}
   * @return {@code {event_id, origin_server_ts}}
   * @throws MatrixError 404 when there is none, 400 M_INVALID_PARAM for a bad dir
   */
  public Map<String, Object> timestampToEvent(Requester requester, String roomId, long ts, String dir) {
    if (!"f".equals(dir) && !"b".equals(dir)) {
      throw MatrixError.invalidParam("'dir' must be f or b");
    }
    return locked(
        () -> {
          Room room = room(roomId);
          reads.requireReadAccess(requester.userId(), room);
          Event found = null;
          List<Event> t = room.timeline;
          if (dir.equals("f")) {
            for (int i = 0; i < t.size() && found == null; i++) {
              Event e = t.get(i);
              if (e.originServerTs() >= ts && reads.canSee(requester.userId(), room, e)) {
                found = e;
              }
            }
          } else {
            for (int i = t.size() - 1; i >= 0 && found == null; i--) {
              Event e = t.get(i);
              if (e.originServerTs() <= ts && reads.canSee(requester.userId(), room, e)) {
                found = e;
              }
            }
          }
          if (found == null) {
            throw MatrixError.notFound("Unable to find event from " + ts + " in direction " + dir);
          }
          return Map.<String, Object>of("event_id", found.eventId(), "origin_server_ts", found.originServerTs());
        });
  }

  /**
   * {@code POST /rooms/{roomId}/read_markers}: m.fully_read, m.read and m.read.private at once.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param fullyRead the {@code m.fully_read} event id, or null
   * @param read the {@code m.read} event id, or null
   * @param readPrivate the {@code m.read.private} event id, or null
   */
  public void setReadMarkers(
      Requester requester, String roomId, String fullyRead, String read, String readPrivate) {
    if (fullyRead != null) {
      sendReceipt(requester, roomId, "m.fully_read", fullyRead, null);
    }
    if (read != null) {
      sendReceipt(requester, roomId, "m.read", read, null);
    }
    if (readPrivate != null) {
      sendReceipt(requester, roomId, "m.read.private", readPrivate, null);
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * {@code GET /rooms/{roomId}/state/{type}/{stateKey}}: the content; 404 when absent, 403 when not
   * allowed.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param type the state event type
   * @param stateKey the state key
   * @return the state event's content
   */
  public Map<String, Object> stateContent(Requester requester, String roomId, String type, String stateKey) {
    return locked(() -> reads.stateContent(requester.userId(), roomId, type, stateKey));
  }

  /**
   * {@code GET /rooms/{roomId}/state/{type}/{stateKey}?format=event}: the whole event in client
   * format; 404 when absent, 403 when not allowed.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param type the state event type
   * @param stateKey the state key
   * @return the state event in client format
   */
  public Map<String, Object> stateEventJson(Requester requester, String roomId, String type, String stateKey) {
    return locked(() -> reads.stateEventJson(requester, roomId, type, stateKey));
  }

  /**
   * {@code GET /rooms/{roomId}/state}: the state events in client format.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @return the state events in client format
   */
  public List<Object> state(Requester requester, String roomId) {
    return locked(() -> reads.fullState(requester, roomId));
  }

  /**
   * {@code GET /rooms/{roomId}/event/{eventId}}; 404 for unknown or invisible events.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param eventId the event
   * @return the event in client format
   */
  public Map<String, Object> event(Requester requester, String roomId, String eventId) {
    return locked(() -> reads.event(requester, roomId, eventId));
  }

  /**
   * {@code POST /rooms/{roomId}/report/{eventId}} (eventId set), {@code /rooms/{roomId}/report} or
   * {@code /users/{userId}/report} (userId set): stores a {@link Report}.
   *
   * @param requester the authenticated caller, the reporter
   * @param roomId the room of the reported event or room, or null for a user report
   * @param eventId the reported event, or null
   * @param userId the reported user, or null
   * @param reason the reporter's reason, or null
   * @throws MatrixError 404 M_NOT_FOUND for an unknown room, user or event, or an event the reporter
   *     is not joined to see
   */
  public void report(Requester requester, String roomId, String eventId, String userId, String reason) {
    lockedRun(() -> reads.report(requester, roomId, eventId, userId, reason));
  }

  /**
   * {@code GET /_matrix/client/v1/room_summary/{roomIdOrAlias}}; {@code requester} null when the
   * request carried no access token (see {@code Reads#roomSummary}).
   *
   * @param requester the caller, or null for an unauthenticated request
   * @param roomIdOrAlias a room id or alias
   * @return the summary: {@code room_id}, {@code num_joined_members}, {@code join_rule}, name and
   *     more as the spec's room summary
   */
  public Map<String, Object> roomSummary(Requester requester, String roomIdOrAlias) {
    return locked(() -> reads.roomSummary(requester == null ? null : requester.userId(), roomIdOrAlias));
  }

  /** {@return the reports made so far, in order (for tests)} */
  public List<Report> reports() {
    return locked(reads::reports);
  }

  /**
   * {@code GET /rooms/{roomId}/messages}.
   *
   * @param from a token, or null for the end (dir b) or the start (dir f)
   * @param to a token to stop at, or null
   * @param dir {@code b} or {@code f}
   * @param limit the most events to return (default 10)
   * @param filterJson a RoomEventFilter as JSON text, or null
   * @param requester the authenticated caller
   * @param roomId the room
   * @return {@code {chunk, start, end, state}} ({@code end} absent at the end of the history,
   *     {@code state} only with lazy-loaded members)
   */
  public Map<String, Object> messages(
      Requester requester, String roomId, String from, String to, String dir, Long limit, String filterJson) {
    return locked(() -> reads.messages(requester, roomId, from, to, dir, limit, filterJson));
  }

  /**
   * {@code GET /rooms/{roomId}/context/{eventId}}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param eventId the event at the centre
   * @param limit the most events around it, or null for the default
   * @param filterJson a RoomEventFilter as JSON text, or null
   * @return {@code {event, events_before, events_after, start, end, state}}
   */
  public Map<String, Object> context(
      Requester requester, String roomId, String eventId, Long limit, String filterJson) {
    return locked(() -> reads.context(requester, roomId, eventId, limit, filterJson));
  }

  /**
   * {@code GET /rooms/{roomId}/members} with {@code at}, {@code membership}, {@code
   * not_membership}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param at a token: the membership at that point, or null for now
   * @param membership only this membership, or null
   * @param notMembership all but this membership, or null
   * @return {@code {chunk}}: the member events
   */
  public Map<String, Object> members(
      Requester requester, String roomId, String at, String membership, String notMembership) {
    return locked(() -> reads.members(requester, roomId, at, membership, notMembership));
  }

  /**
   * {@code GET /rooms/{roomId}/joined_members}; 403 when not joined.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @return {@code {joined}}: user id to display name and avatar URL
   */
  public Map<String, Object> joinedMembers(Requester requester, String roomId) {
    return locked(() -> reads.joinedMembers(requester, roomId));
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param eventId the parent event
   * @param relType only this relation type, or null
   * @param eventType only this event type (needs {@code relType}), or null
   * @param from a token from an earlier page, or null
   * @param to a token to stop at, or null
   * @param limit the most events, or null for the default
   * @param dir {@code b} (default) or {@code f}, or null
   * @param recurse whether to include relations of relations
   * @return {@code {chunk, next_batch, prev_batch}}
   */
  public Map<String, Object> relations(
      Requester requester, String roomId, String eventId, String relType, String eventType,
      String from, String to, Long limit, String dir, boolean recurse) {
    return locked(
        () -> reads.relations(requester, roomId, eventId, relType, eventType, from, to, limit, dir, recurse));
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/threads} with include {@code all}/{@code
   * participated}.
   *
   * @param requester the authenticated caller
   * @param roomId the room
   * @param include {@code all} or {@code participated}, or null for all
   * @param from a token from an earlier page, or null
   * @param limit the most threads, or null for the default
   * @return {@code {chunk, next_batch}}: thread roots, newest first
   */
  public Map<String, Object> threads(
      Requester requester, String roomId, String include, String from, Long limit) {
    return locked(() -> reads.threads(requester, roomId, include, from, limit));
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/hierarchy}.
   *
   * @param requester the authenticated caller
   * @param roomId the root space or room
   * @param from a token from an earlier page, or null
   * @param limit the most rooms per page, or null for the default
   * @param maxDepth how deep to walk, or null for no limit
   * @param suggestedOnly whether to follow only suggested children
   * @return {@code {rooms, next_batch}}
   */
  public Map<String, Object> hierarchy(
      Requester requester, String roomId, String from, Long limit, Long maxDepth, boolean suggestedOnly) {
    return locked(() -> reads.hierarchy(requester, roomId, from, limit, maxDepth, suggestedOnly));
  }

  /**
   * {@code POST /search} (room events only): see the spec's request body.
   *
   * @param nextBatch the {@code next_batch} query parameter, or null
   * @param requester the authenticated caller
   * @param body the search request body
   * @return {@code {search_categories: {room_events}}}
   */
  public Map<String, Object> search(Requester requester, Map<String, Object> body, String nextBatch) {
    requireBody(body);
    return locked(() -> reads.search(requester, body, nextBatch));
  }

  // ---------------------------------------------------------------- sync

  /**
   * {@code GET /sync}: initial or incremental; waits up to the timeout (on the {@link Clock})
   * when nothing new is there for the user, and wakes at once when something happens.
   *
   * @param requester the authenticated caller
   * @param request the sync parameters
   * @return the sync response body
   * @throws MatrixError 400 M_INVALID_PARAM for a malformed or unknown since token or filter
   */
  public Map<String, Object> sync(Requester requester, SyncRequest request) {
    // Presence accounting (PresenceTimeouts.syncStarted/syncEnded) happens in the same lock
    // acquisition as the answer: see SyncEngine.syncLocked.
    return syncEngine.sync(requester, request);
  }

  /**
   * Counts a request as the user's activity for presence (typing, receipts, read markers; sending
   * events counts by itself). See {@link PresenceTimeouts}.
   *
   * @param requester the caller whose presence the activity refreshes
   */
  public void markActive(Requester requester) {
    lockedRun(() -> presenceTimeouts.active(requester.userId()));
  }

  /**
   * Waits until something visible to the user may have changed after stream position {@code
   * since}, the timeout passes on the clock, or the server closes. In manual clock mode the
   * timeout passes only through {@link Clock#advance}; the wait uses no polling.
   *
   * @param userId the user the change must be visible to
   * @param since the stream position to compare with (see {@link #currentPosition()})
   * @param timeoutMs the longest wait, in clock milliseconds
   * @return true when there is a change after {@code since}
   */
  public boolean awaitChange(String userId, long since, long timeoutMs) {
    long deadline = saturatedAdd(clock.nowMillis(), timeoutMs);
    lock.lock();
    try {
      return awaitLocked(userId, since, deadline);
    } finally {
      lock.unlock();
    }
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  boolean awaitLocked(String userId, long since, long deadline) {
    Account account = account(userId);
    while (true) {
      long nextTypingExpiry = sweepTyping();
      if (closed) {
        return false;
      }
      if (hasChanges(account, since)) {
        return true;
      }
      long now = clock.nowMillis();
      if (now >= deadline) {
        return false;
      }
      parkedByUser.merge(userId, 1, Integer::sum);
      parkedChanged.signalAll();
      try {
        if (clock.isManual()) {
          changed.await();
        } else {
          long wait = Math.min(deadline, nextTypingExpiry) - now;
          changed.await(Math.max(1, wait), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        parkedByUser.merge(userId, -1, (a, b) -> a + b == 0 ? null : a + b);
      }
    }
  }

  /**
   * {@return how many long polls ({@link #sync} or {@link #awaitChange}) are parked waiting for a
   * change, for one user or, with null, for all users} A parked poll has fixed its deadline, so a
   * test may then advance a manual clock past it without a race.
   *
   * @param userIdOrNull the user, or null for all users
   */
  public int waitingPolls(String userIdOrNull) {
    return locked(() -> parked(userIdOrNull));
  }

  private int parked(String userIdOrNull) {
    if (userIdOrNull != null) {
      return parkedByUser.getOrDefault(userIdOrNull, 0);
    }
    int n = 0;
    for (int c : parkedByUser.values()) {
      n += c;
    }
    return n;
  }

  /**
   * Waits in real time (for tests) until at least {@code atLeast} long polls of the user (or of
   * all users, with null) are parked; returns false if that did not happen within the timeout.
   *
   * @param userIdOrNull the user, or null for all users
   * @param atLeast how many parked polls to wait for
   * @param realTimeout the longest real-time wait
   * @return true once that many polls are parked, false on timeout or interruption
   */
  public boolean awaitWaitingPolls(String userIdOrNull, int atLeast, java.time.Duration realTimeout) {
    lock.lock();
    try {
      long remaining = realTimeout.toNanos();
      while (parked(userIdOrNull) < atLeast) {
        if (remaining <= 0) {
          return false;
        }
        remaining = parkedChanged.awaitNanos(remaining);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  boolean hasChanges(Account account, long since) {
    if (account.lastPosition > since) {
      return true;
    }
    for (String roomId : account.rooms) {
      Room room = rooms.get(roomId);
      if (room == null || room.lastPosition <= since) {
        continue;
      }
      Event me = room.state.get("m.room.member", account.userId);
      String m = room.state.membership(account.userId);
      boolean gone = m.equals("leave") || m.equals("ban");
      if (gone && me != null && me.streamPosition() <= since) {
        continue; // a room the user left before `since`: nothing there concerns them any more
      }
      if (account.forgotten.contains(roomId)) {
        continue;
      }
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- inspection for tests

  /** {@return the room ids of every room, in creation order (inspection)} */
  public List<String> roomIds() {
    return locked(() -> new ArrayList<>(rooms.keySet()));
  }

  /**
   * {@return every event of a room in order (inspection, no visibility rules); 404 when unknown}
   *
   * @param roomId the room
   */
  public List<Event> timeline(String roomId) {
    return locked(() -> new ArrayList<>(room(roomId).timeline));
  }

  /**
   * {@return the current state events of a room (inspection); 404 when unknown}
   *
   * @param roomId the room
   */
  public List<Event> currentState(String roomId) {
    return locked(() -> new ArrayList<>(room(roomId).state.events()));
  }

  /**
   * {@return one current state event of a room, or null (inspection)}
   *
   * @param roomId the room
   * @param type the state event type
   * @param stateKey the state key
   */
  public Event stateEvent(String roomId, String type, String stateKey) {
    return locked(() -> room(roomId).state.get(type, stateKey));
  }

  /**
   * {@return the room version of a room (inspection)}
   *
   * @param roomId the room; unknown is 404
   */
  public RoomVersion roomVersion(String roomId) {
    return locked(() -> room(roomId).version);
  }

  /**
   * {@return an event by id, or null (inspection)}
   *
   * @param eventId the event id
   */
  public Event findEvent(String eventId) {
    return locked(() -> events.get(eventId));
  }

  /**
   * {@return the membership of a user in a room: join, invite, leave, ban or knock (inspection)}
   *
   * @param roomId the room
   * @param userId the full user id
   */
  public String membership(String roomId, String userId) {
    return locked(() -> room(roomId).state.membership(userId));
  }
}
