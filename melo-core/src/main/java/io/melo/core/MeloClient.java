package io.melo.core;

import io.melo.core.event.ConnectionState;
import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListener;
import io.melo.core.event.Subscription;
import io.melo.core.internal.DefaultMeloClient;
import java.util.List;
import java.util.function.Consumer;

/**
 * One logged-in Melo user: the entry point to servers, channels, members, messages and
 * conversations, and the source of live events. Close it to stop its sync loop.
 *
 * <p>Every operation returns a {@link MeloCall}: nothing is sent until it is executed, enqueued
 * or turned into a future. The rules of DESIGN.md are checked before any request is sent and
 * break with a {@link RuleViolationException}; the homeserver's own refusal comes back as the same
 * exception type. Ids are Matrix ids: a server's id is its space's room id, a channel's id is its
 * room id, a message's id is its event id.
 *
 * <p>Listeners run on the configured event executor, one event at a time, in sync order; a
 * listener that throws is logged and isolated.
 */
public interface MeloClient extends AutoCloseable {

  /**
   * Logs in with a password and returns a started client. The login asks for a refresh token,
   * which the client then uses by itself when the access token expires (see {@link #resume} for
   * how a rejected session is renewed). The config's {@link SessionListener} is told about the new
   * session before this returns.
   *
   * <p>With a config that names a server name ({@link MeloConfig#forServerName},
   * {@link MeloConfig#forUser}) the homeserver is discovered first, from the server name of
   * {@code user} when it is a full user id, else from the config's: the call then fails with
   * {@link DiscoveryException} when no homeserver is found, and the client's
   * {@link #config()} names the base URL found. A config with a base URL is used as it is. A
   * wrong password fails the call with {@link HomeserverException} ({@code M_FORBIDDEN}).
   *
   * @param config the settings
   * @param user the user id ({@code @alice:example.org}) or the localpart ({@code alice})
   * @param password the password; sent once, never kept or printed
   * @return the call; its result is the started client
   */
  @CheckReturnValue
  static MeloCall<MeloClient> login(MeloConfig config, String user, String password) {
    return DefaultMeloClient.login(config, user, password);
  }

  /**
   * A started client for an existing session (user id and access token from an earlier login,
   * without a refresh token): the same as {@link #resume} with such a {@link Session}.
   *
   * @throws IllegalArgumentException if the config names a server name not discovered yet (see
   *     {@link #discover})
   */
  static MeloClient connect(MeloConfig config, String userId, String accessToken) {
    return DefaultMeloClient.resume(config, new Session(userId, null, accessToken, null));
  }

  /**
   * A started client for a stored session. When the homeserver rejects the access token
   * ({@code M_UNKNOWN_TOKEN}), the client renews the session once for all the requests that
   * failed together, then repeats them, following the specification's soft-logout rules:
   *
   * <ol>
   *   <li>on a soft logout ({@code soft_logout: true}, such as an expired token) with a refresh
   *       token: {@code POST /refresh}, keeping the rotated refresh token;
   *   <li>when there is no refresh token, the server refused it, or the logout was hard (the server
   *       destroyed the session, so it must not be refreshed): the config's
   *       {@link MeloConfig.Builder#credentialsProvider credentials provider}, such as
   *       {@link MeloConfig.Builder#reLoginWithPassword}; after a hard logout it logs in as a new
   *       device.
   * </ol>
   *
   * <p>Each new session is in {@link #session()} and goes to the config's {@link SessionListener}
   * before it is used. A network failure while renewing fails the waiting calls with
   * {@link MeloNetworkException} and the next rejected request tries again. When renewing is not
   * possible or fails, the waiting calls and every later one fail with {@link LoggedOutException},
   * and the sync loop stops: a {@code ConnectionStateChanged} event with state {@code FAILED} and
   * that exception as its failure. The app then gives this same client a new session with
   * {@link #resume(Session)} or {@link #resumeWithPassword(String)}: its cache, listeners and sync
   * position stay, and the sync loop goes on where it stopped.
   *
   * @throws IllegalArgumentException if the config names a server name not discovered yet (see
   *     {@link #discover}: no blocking request is made here)
   */
  static MeloClient resume(MeloConfig config, Session session) {
    return DefaultMeloClient.resume(config, session);
  }

  /**
   * A started client acting as {@code userId} through an application service ({@code as_token}
   * with the {@code user_id} parameter): how a backend acts for many users of its own namespace.
   * The {@code as_token} is never renewed: when the homeserver rejects it, calls fail with a
   * {@link LoggedOutException} saying so, and {@link #resume(Session)} with a session holding the
   * right token brings the client back.
   *
   * @throws IllegalArgumentException if the config names a server name not discovered yet (see
   *     {@link #discover})
   */
  static MeloClient asAppService(MeloConfig config, String asToken, String userId) {
    return DefaultMeloClient.appService(config, asToken, userId);
  }

  /**
   * Provisions an account in an application service's namespace (appservice registration with the
   * {@code as_token}), for a backend that acts for its users with {@link #asAppService}. An
   * account that exists already is fine. The same as {@link AccountProvisioner#appServiceUser},
   * which also offers Synapse's shared-secret registration. A refusal fails the call with
   * {@link ProvisioningException} (a wrong {@code as_token}, a name outside the namespace or not
   * allowed).
   *
   * @return the call; its result is the user id
   */
  @CheckReturnValue
  static MeloCall<String> provisionAppServiceUser(MeloConfig config, String asToken, String localpart) {
    return DefaultMeloClient.provision(config, asToken, localpart);
  }

  /**
   * The settings with the homeserver found by the specification's discovery: {@code
   * /.well-known/matrix/client} names a base URL, which must answer
   * {@code /_matrix/client/versions}. For a config naming a server name
   * ({@link MeloConfig#forServerName}) that is the server name's document (or, without one, the
   * server name itself if it is a homeserver); discover once and give the result to many clients
   * ({@code resume}, {@code connect} and {@code asAppService} need it). For a config with a base
   * URL, the document on that URL's host (so an app configured with {@code https://example.org}
   * reaches {@code https://matrix.example.org}); the settings come back unchanged when that host has
   * no document (404). Fails with {@link DiscoveryException} (its {@code reason()}: no document,
   * an invalid document, a base URL that is no homeserver), {@link HomeserverException} when the
   * host answers the document's request with another error, {@link MeloNetworkException} when it
   * cannot be reached.
   *
   * @param config the settings
   * @return the call; its result is the settings with the base URL (and no server name left to
   *     discover)
   */
  @CheckReturnValue
  static MeloCall<MeloConfig> discover(MeloConfig config) {
    return DefaultMeloClient.discover(config);
  }

  /** The Matrix user id this client acts for. */
  String userId();

  /** The settings this client was built with. */
  MeloConfig config();

  /**
   * The session now (after any token refresh): keep it to {@link #resume} later. For an
   * application-service client its access token is the {@code as_token} (with no device or refresh
   * token): such a client comes back with {@link #asAppService}, not {@code resume}.
   */
  Session session();

  /**
   * The state of the sync loop now: {@code CONNECTED} once the first sync has filled the cache.
   * Each change is also delivered as a {@code ConnectionStateChanged} event.
   */
  ConnectionState connectionState();

  /**
   * Gives this client a new session of the same user, such as one the app logged in elsewhere after
   * the client failed with {@link LoggedOutException}. The call checks the session with the
   * homeserver ({@code GET /account/whoami}) before using it, then: the config's
   * {@link SessionListener} is told, every later request uses it (and its refresh token, if any,
   * renews it later), and a sync loop that had stopped ({@code FAILED}) starts again from the
   * stored sync position, so the events sent meanwhile reach listeners exactly once, announced by
   * {@code ConnectionStateChanged} events ({@code CONNECTING}, then {@code CONNECTED}). The
   * client's cache, listeners and subscriptions stay. On a running client it replaces the
   * session without a restart. For an application-service client, the session's access token is
   * the new {@code as_token}.
   *
   * <p>The call fails, leaving the client as it was, with {@link UserMismatchException} when the
   * session belongs to another user (by the session's user id, or by what the homeserver says),
   * and with {@link LoggedOutException} when the homeserver rejects it too.
   *
   * @param session the new session; its user id must be {@link #userId()}
   * @return the call; its result is the session now in use (with the device id the homeserver
   *     named, when the given session had none)
   * @throws IllegalStateException if the client is closed
   */
  @CheckReturnValue
  MeloCall<Session> resume(Session session);

  /**
   * Logs this client's user in again with a password ({@code POST /login}, asking for a refresh
   * token) and goes on with that session as {@link #resume(Session)} does: the way back for a
   * client that failed with {@link LoggedOutException}. The device stays after a soft logout (or
   * when the session was not rejected); after a hard logout the homeserver destroyed it, so the
   * login makes a new device. The password is sent once and not kept.
   *
   * <p>Fails with a {@link HomeserverException} ({@code M_FORBIDDEN}) for a wrong password, and
   * with {@link UserMismatchException} should the homeserver log in another user.
   *
   * @param password the user's password
   * @return the call; its result is the new session (also in {@link #session()})
   * @throws IllegalArgumentException if the password is empty
   * @throws IllegalStateException if the client is closed, or is an application-service client
   *     (it has no password)
   */
  @CheckReturnValue
  MeloCall<Session> resumeWithPassword(String password);

  /**
   * Ends this session for good: closes the client (as {@link #close()} does, so the batch of
   * events in progress is not cut), then {@code POST /logout}, which invalidates the access token
   * and its refresh token and deletes the device on the homeserver. An expired access token is
   * refreshed first when the session has a refresh token (the device would survive otherwise); a
   * session the homeserver no longer accepts counts as logged out already. The client is closed
   * however the call ends: when the request fails ({@link MeloNetworkException}), the session may
   * still be valid, and {@code MeloClient.resume(config, client.session()).logout()} tries again.
   *
   * @return the call
   * @throws IllegalStateException if the client is closed, or is an application-service client
   *     (an {@code as_token} is not a session: close the client)
   */
  @CheckReturnValue
  MeloCall<Void> logout();

  // ---- servers

  /**
   * Creates a server owned by this user: a space with Melo's power levels and
   * {@code <ns>.server} state, its {@code general} text channel and its invite alias.
   *
   * <p>Once the space exists, a failure of a later step is a {@link PartialFailureException}
   * naming what exists (the space's and the channel's room ids). To complete the job, run the
   * call's {@link MeloCall#copy() copy}: it keeps the invite code that marks this call's space,
   * finds what the earlier run made (even a space whose creation answer was lost) and does only
   * what is missing. A new {@code createServer} call always creates a new server.
   */
  @CheckReturnValue
  MeloCall<Server> createServer(String name);

  /**
   * The server with this id.
   *
   * @throws NotFoundException (from the call) when it is not a Melo server this user has joined,
   *     or it was deleted
   */
  @CheckReturnValue
  MeloCall<Server> server(String serverId);

  /** The servers this user has joined, deleted ones left out. */
  @CheckReturnValue
  MeloCall<List<Server>> servers();

  /** Changes the server's name, topic or image; needs ADMIN. */
  @CheckReturnValue
  MeloCall<Server> updateServer(String serverId, ServerUpdate update);

  /**
   * Deletes the server: the {@code <ns>.server_deleted} marker in the space and each channel,
   * then this user leaves them all. Needs ADMIN. Re-running after a partial failure completes it.
   */
  @CheckReturnValue
  MeloCall<Void> deleteServer(String serverId);

  /** Leaves the server: its channels, then the space. The owner cannot leave (they delete it). */
  @CheckReturnValue
  MeloCall<Void> leaveServer(String serverId);

  /**
   * Joins the server an invite code points to: resolves its alias ({@code GET
   * /directory/room/{alias}}), joins the space by that alias ({@code POST /join/{alias}}), then
   * every channel. With an app's {@code InviteResolver}, the space is joined by the room id it
   * returns.
   */
  @CheckReturnValue
  MeloCall<Server> joinServer(InviteCode invite);

  /**
   * Replaces the server's invite code: deletes every local alias of the space, creates the new
   * one and records it in {@code <ns>.server}. The old code stops resolving. Needs ADMIN, on the
   * owner's homeserver: the alias lives there and a homeserver lists and creates aliases for its
   * own users only, so an ADMIN of another homeserver gets a {@link RuleViolationException}
   * ({@code OWNERS_HOMESERVER_ONLY}) before anything changes.
   */
  @CheckReturnValue
  MeloCall<InviteCode> regenerateInvite(String serverId);

  // ---- channels

  /**
   * Creates a channel in the server; needs MODERATOR, and the name {@code general} is taken.
   * Once its room exists, a failure of a later step (banning the server's banned users, listing
   * it in the space, a MODERATOR lowering itself from the creation level 100) is a
   * {@link PartialFailureException} naming the room; the call's {@link MeloCall#copy() copy}
   * completes that channel instead of creating another.
   */
  @CheckReturnValue
  MeloCall<Channel> createChannel(String serverId, String name, ChannelType type);

  /** The channels of the server in display order ({@code <ns>.channel_order}), deleted ones left out. */
  @CheckReturnValue
  MeloCall<List<Channel>> channels(String serverId);

  /** Renames a channel; needs MODERATOR. The {@code general} channel keeps its name. */
  @CheckReturnValue
  MeloCall<Channel> renameChannel(String channelId, String newName);

  /** Sets a channel's topic; needs MODERATOR. */
  @CheckReturnValue
  MeloCall<Channel> setChannelTopic(String channelId, String topic);

  /**
   * Deletes a channel: the {@code <ns>.channel_deleted} marker, then its removal from the space's
   * children. Needs MODERATOR; the {@code general} channel stays.
   */
  @CheckReturnValue
  MeloCall<Void> deleteChannel(String channelId);

  /**
   * Puts {@code channelIds} first, in that order; the other channels follow in their current
   * order. Needs MODERATOR.
   *
   * @return the channels in their new order
   */
  @CheckReturnValue
  MeloCall<List<Channel>> reorderChannels(String serverId, List<String> channelIds);

  // ---- members

  /** The members of the server (joined to its space) with their roles and profiles, all at once. */
  @CheckReturnValue
  MeloCall<List<Member>> members(String serverId);

  /**
   * A page of the server's members, for big servers: in the order of {@link MemberPage}.
   *
   * @param cursor null for the first page, else a previous page's {@link MemberPage#nextCursor()}
   * @param limit the most members per page, 1 to 1000
   */
  @CheckReturnValue
  MeloCall<MemberPage> members(String serverId, String cursor, int limit);

  /**
   * Changes a member's role in the space and in every channel. Only the owner, never on themself.
   * Re-running after a {@link PartialFailureException} completes it.
   */
  @CheckReturnValue
  MeloCall<Member> changeRole(String serverId, String userId, Role role);

  /**
   * Removes a member from the space and every channel; they can come back with an invite code.
   * Only the owner, never on themself. Re-running after a {@link PartialFailureException} completes it.
   */
  @CheckReturnValue
  MeloCall<Void> kick(String serverId, String userId, String reason);

  /**
   * Bans a member from the space and every channel (channels created later ban them too). Only
   * the owner, never on themself. Re-running after a {@link PartialFailureException} completes it.
   */
  @CheckReturnValue
  MeloCall<Void> ban(String serverId, String userId, String reason);

  // ---- messages (channels and conversations alike)

  /** Sends a text message to a channel or conversation. */
  @CheckReturnValue
  MeloCall<Message> sendText(String roomId, String text);

  /** Sends a text message that replies to {@code replyToId}. */
  @CheckReturnValue
  MeloCall<Message> reply(String roomId, String replyToId, String text);

  /** Sends a text message into the thread whose root is {@code threadRootId}. */
  @CheckReturnValue
  MeloCall<Message> sendToThread(String roomId, String threadRootId, String text);

  /**
   * Uploads a file and sends it as an image, video, audio or file message (by its MIME type),
   * with its MIME type and size.
   */
  @CheckReturnValue
  MeloCall<Message> sendAttachment(String roomId, byte[] content, String fileName, String mimeType);

  /**
   * A page of history, newest first, each message with its latest edit and reactions applied.
   * Edits and reactions count against the homeserver's page size, so a page holds up to
   * {@code limit} messages (never none while older ones exist); continue with its cursor. Edits
   * and reactions show when this client has seen them: read pages from the newest one on (they
   * come before the messages they change), and the live sync keeps later ones current. Loading
   * history never fires "created" events.
   *
   * @param cursor null for the newest page, else a previous page's {@link MessagePage#nextCursor()}
   * @param limit the most events to read per request, 1 to 100
   */
  @CheckReturnValue
  MeloCall<MessagePage> messages(String roomId, String cursor, int limit);

  /** Replaces a message's text; only its author may. */
  @CheckReturnValue
  MeloCall<Message> editMessage(String roomId, String messageId, String newText);

  /**
   * Deletes (redacts) a message. In a channel its author, or a MODERATOR or higher, may; in a
   * conversation only its author.
   */
  @CheckReturnValue
  MeloCall<Void> deleteMessage(String roomId, String messageId);

  /** Reacts to a message with {@code key} (usually an emoji); reacting twice with one key counts once. */
  @CheckReturnValue
  MeloCall<Void> react(String roomId, String messageId, String key);

  /** Takes back this user's reaction {@code key} on a message; does nothing when there is none. */
  @CheckReturnValue
  MeloCall<Void> unreact(String roomId, String messageId, String key);

  // ---- conversations

  /**
   * The direct conversation with {@code userId}: reused when {@code m.direct} already has one
   * this user is in, else created (and recorded in {@code m.direct}, merged with what is there).
   */
  @CheckReturnValue
  MeloCall<Conversation> conversationWith(String userId);

  /** This user's direct conversations, from {@code m.direct}. */
  @CheckReturnValue
  MeloCall<List<Conversation>> conversations();

  // ---- profile, typing, receipts, presence

  /** A user's public profile. */
  @CheckReturnValue
  MeloCall<Profile> profile(String userId);

  /** Sets this user's display name. */
  @CheckReturnValue
  MeloCall<Void> setDisplayName(String displayName);

  /** Sets this user's avatar ({@code mxc://} URL). */
  @CheckReturnValue
  MeloCall<Void> setAvatarUrl(String mxcUrl);

  /** This user's private profile ({@code <ns>.profile}); empty when never set. */
  @CheckReturnValue
  MeloCall<PrivateProfile> privateProfile();

  /** Updates the present fields of this user's private profile, keeping every other field. */
  @CheckReturnValue
  MeloCall<PrivateProfile> updatePrivateProfile(PrivateProfile update);

  /** Tells the room this user is typing (or stopped). */
  @CheckReturnValue
  MeloCall<Void> setTyping(String roomId, boolean typing);

  /** Marks the room read up to {@code eventId} (a read receipt). */
  @CheckReturnValue
  MeloCall<Void> markRead(String roomId, String eventId);

  /**
   * The room's unread counts from the last sync (kept current by the sync loop; no request).
   * {@link UnreadCount#NONE} for a room the client has not synced.
   */
  UnreadCount unreadCount(String roomId);

  /**
   * Sets this user's presence and status message (null for none). The sync loop does not mark
   * the user online by itself (it polls with {@code set_presence=offline}), so the presence is
   * what the app last set: set ONLINE when the user arrives.
   */
  @CheckReturnValue
  MeloCall<Void> setPresence(Presence presence, String statusMessage);

  // ---- listeners

  /** Registers a listener for every event of this client. */
  default Subscription addListener(MeloListener listener) {
    return addListener(EventScope.all(), listener);
  }

  /** Registers a listener for the events within {@code scope} (all, one server or one channel). */
  Subscription addListener(EventScope scope, MeloListener listener);

  /** Registers a listener for the events of one type (a leaf or a family such as {@code MessageEvent}). */
  default <E extends MeloEvent> Subscription on(Class<E> type, Consumer<? super E> listener) {
    return on(type, EventScope.all(), listener);
  }

  /** Registers a listener for the events of one type within {@code scope}. */
  <E extends MeloEvent> Subscription on(Class<E> type, EventScope scope, Consumer<? super E> listener);

  /**
   * Stops the sync loop promptly and releases this client's resources; calling it again does
   * nothing. The batch of events in progress is never cut (so a restart neither repeats nor
   * loses any of it): close() waits up to 5 s for it, and when a listener is slower, or close()
   * is called from a listener, the rest of that batch still reaches listeners after close()
   * returns; a {@code ConnectionStateChanged} to {@code STOPPED} follows once it is saved.
   */
  @Override
  void close();
}
