package io.melo.testkit;

import io.melo.testkit.model.Homeserver;
import io.melo.testkit.model.Requester;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A registered account with one logged-in device. On a {@link FakeHomeserver} it acts directly on
 * the server's state (no HTTP) under the same rules a client meets; on a real homeserver (a user of
 * {@link HomeserverExtension} in real mode) it acts over the client API. Either way a refused action
 * throws the server's {@link io.melo.testkit.model.MatrixError}. {@link #toString()} hides the token
 * and password. Thread-safe.
 */
public final class TestUser {
  private static final AtomicLong TXN = new AtomicLong();

  private final FakeHomeserver server;
  private final RemoteHomeserver remote;
  private final String userId;
  private final String deviceId;
  private final String accessToken;
  private final String password;

  TestUser(FakeHomeserver server, String userId, String deviceId, String accessToken, String password) {
    this(server, null, userId, deviceId, accessToken, password);
  }

  TestUser(RemoteHomeserver remote, String userId, String deviceId, String accessToken, String password) {
    this(null, remote, userId, deviceId, accessToken, password);
  }

  private TestUser(FakeHomeserver server, RemoteHomeserver remote, String userId, String deviceId,
      String accessToken, String password) {
    this.server = server;
    this.remote = remote;
    this.userId = userId;
    this.deviceId = deviceId;
    this.accessToken = accessToken;
    this.password = password;
  }

  /** {@return the full user id, for example {@code @alice:localhost}} */
  public String userId() {
    return userId;
  }

  /** {@return the device the access token belongs to} */
  public String deviceId() {
    return deviceId;
  }

  /** {@return the access token of that device: a secret, never log it} */
  public String accessToken() {
    return accessToken;
  }

  /** {@return the account password: a secret, never log it} */
  public String password() {
    return password;
  }

  /** {@return the localpart of the user id ({@code alice})} */
  public String localpart() {
    return userId.substring(1, userId.indexOf(':'));
  }

  private Homeserver hs() {
    return server.model();
  }

  /** One client-API request as this user, on a real homeserver. */
  private Map<String, Object> http(String method, Object body, String... segments) {
    return remote.call(method, accessToken, java.util.List.of(segments), body);
  }

  private Requester requester() {
    return new Requester(userId, deviceId, null);
  }

  /**
   * Creates a room with default options (preset {@code private_chat}); returns its id.
   *
   * @return the new room's id
   */
  public String createRoom() {
    return createRoom(room -> { });
  }

  /**
   * Creates a room described by the spec, for example {@code room ->
   * room.name("lobby").published()}.
   *
   * @param spec fills in the room's options
   * @return the new room's id
   */
  public String createRoom(Consumer<RoomSpec> spec) {
    RoomSpec s = new RoomSpec();
    spec.accept(s);
    Object roomId = remote != null ? http("POST", s.toBody(), "createRoom").get("room_id")
        : hs().createRoom(requester(), s.toBody()).get("room_id");
    return (String) roomId;
  }

  /**
   * Creates a space (a room with {@code creation_content.type = m.space}); returns its id.
   *
   * @param spec fills in the space's other options
   * @return the new space's id
   */
  public String createSpace(Consumer<RoomSpec> spec) {
    return createRoom(room -> {
      room.space();
      spec.accept(room);
    });
  }

  /**
   * Joins a room by id or alias; returns the room id.
   *
   * @param roomIdOrAlias a room id ({@code !...}) or alias ({@code #...})
   * @return the joined room's id
   */
  public String join(String roomIdOrAlias) {
    if (remote != null) {
      return (String) http("POST", Map.of(), "join", roomIdOrAlias).get("room_id");
    }
    return (String) hs().join(requester(), roomIdOrAlias, null).get("room_id");
  }

  /**
   * Leaves a room.
   *
   * @param roomId the room to leave
   */
  public void leave(String roomId) {
    if (remote != null) {
      http("POST", Map.of(), "rooms", roomId, "leave");
      return;
    }
    hs().leave(requester(), roomId, null);
  }

  /**
   * Invites a user into a room.
   *
   * @param roomId the room
   * @param userId the full id of the user to invite
   */
  public void invite(String roomId, String userId) {
    if (remote != null) {
      http("POST", Map.of("user_id", userId), "rooms", roomId, "invite");
      return;
    }
    hs().invite(requester(), roomId, userId, null);
  }

  /**
   * Invites another test user into a room.
   *
   * @param roomId the room
   * @param user the user to invite
   */
  public void invite(String roomId, TestUser user) {
    invite(roomId, user.userId());
  }

  /**
   * Kicks a user from a room.
   *
   * @param roomId the room
   * @param userId the full id of the user to kick
   */
  public void kick(String roomId, String userId) {
    if (remote != null) {
      http("POST", Map.of("user_id", userId), "rooms", roomId, "kick");
      return;
    }
    hs().kick(requester(), roomId, userId, null);
  }

  /**
   * Bans a user from a room.
   *
   * @param roomId the room
   * @param userId the full id of the user to ban
   */
  public void ban(String roomId, String userId) {
    if (remote != null) {
      http("POST", Map.of("user_id", userId), "rooms", roomId, "ban");
      return;
    }
    hs().ban(requester(), roomId, userId, null);
  }

  /**
   * Sends an {@code m.text} message; returns its event id.
   *
   * @param roomId the room to send to
   * @param text the message body; not null
   * @return the new event's id
   */
  public String sendText(String roomId, String text) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("msgtype", "m.text");
    content.put("body", Objects.requireNonNull(text, "text"));
    return send(roomId, "m.room.message", content);
  }

  /**
   * Sends a message event of any type; returns its event id.
   *
   * @param roomId the room to send to
   * @param type the event type, for example {@code m.reaction}
   * @param content the event content (copied)
   * @return the new event's id
   */
  public String send(String roomId, String type, Map<String, Object> content) {
    if (remote != null) {
      return (String) http("PUT", new LinkedHashMap<>(content), "rooms", roomId, "send", type, RemoteHomeserver.txnId())
          .get("event_id");
    }
    return hs().sendEvent(requester(), roomId, type, "testkit." + TXN.incrementAndGet(), new LinkedHashMap<>(content));
  }

  /**
   * Sets a state event; returns its event id.
   *
   * @param roomId the room
   * @param type the state event type
   * @param stateKey the state key ({@code ""} for most room state)
   * @param content the event content (copied)
   * @return the new event's id
   */
  public String setState(String roomId, String type, String stateKey, Map<String, Object> content) {
    if (remote != null) {
      return (String) http("PUT", new LinkedHashMap<>(content), "rooms", roomId, "state", type, stateKey)
          .get("event_id");
    }
    return hs().sendState(requester(), roomId, type, stateKey, new LinkedHashMap<>(content));
  }

  /**
   * Redacts an event; returns the redaction's event id.
   *
   * @param roomId the room of the event
   * @param eventId the event to redact
   * @return the redaction event's id
   */
  public String redact(String roomId, String eventId) {
    if (remote != null) {
      return (String) http("PUT", Map.of(), "rooms", roomId, "redact", eventId, RemoteHomeserver.txnId()).get("event_id");
    }
    return hs().redact(requester(), roomId, eventId, "testkit." + TXN.incrementAndGet(), null);
  }

  /**
   * Sets the display name.
   *
   * @param name the new display name, or null to remove it
   */
  public void setDisplayName(String name) {
    if (remote != null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("displayname", name);
      http("PUT", body, "profile", userId, "displayname");
      return;
    }
    hs().setProfileField(requester(), userId, "displayname", name);
  }

  /**
   * Sets global account data of this user.
   *
   * @param type the account data type
   * @param content the content (copied)
   */
  public void setAccountData(String type, Map<String, Object> content) {
    if (remote != null) {
      http("PUT", new LinkedHashMap<>(content), "user", userId, "account_data", type);
      return;
    }
    hs().setAccountData(requester(), userId, null, type, new LinkedHashMap<>(content));
  }

  /**
   * Reads global account data of this user, as the homeserver holds it now.
   *
   * @param type the account data type, for example {@code m.direct}
   * @return the content
   * @throws io.melo.testkit.model.MatrixError 404 {@code M_NOT_FOUND} if there is none
   */
  public Map<String, Object> accountData(String type) {
    Objects.requireNonNull(type, "type");
    if (remote != null) {
      return http("GET", null, "user", userId, "account_data", type);
    }
    return hs().accountData(requester(), userId, null, type);
  }

  /**
   * Expires every access token of this user: the next request gets 401 {@code M_UNKNOWN_TOKEN}, with
   * {@code soft_logout: true} when {@code softLogout} (the client may refresh or log in again keeping
   * its device), false for a hard logout.
   *
   * @param softLogout true for a soft logout, false for a hard one
   * @throws UnsupportedOperationException on a real homeserver, where no client can do this (mark
   *     the test {@link FakeOnly})
   */
  public void expireToken(boolean softLogout) {
    if (remote != null) {
      throw new UnsupportedOperationException("expiring another device's token needs the fake homeserver: mark the"
          + " test @FakeOnly");
    }
    hs().expireAccessTokens(userId, softLogout);
  }

  @Override
  public String toString() {
    return "TestUser{" + userId + ", device " + deviceId + ", accessToken=<redacted>, password=<redacted>}";
  }
}
