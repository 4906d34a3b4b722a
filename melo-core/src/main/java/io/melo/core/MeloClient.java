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
 *
 * <p><b>Reads come from the sync cache.</b> {@link #servers()}, {@link #server}, {@link #channels},
 * {@link #members(String)}, {@link #members(String, String, int)}, {@link #conversations()} and the
 * lookup of an existing conversation in {@link #conversationWith} answer from the state this
 * client's sync loop keeps, without a request, while that cache is current: once the first sync
 * is in and while {@link #connectionState()} is {@code CONNECTED}. Before the first sync (and
 * while the loop reconnects, has stopped or failed) they ask the homeserver instead, as they
 * would without a cache: they never wait for the sync, and the answers are the same either way.
 * This client's own writes show at once: when a write's call has completed, a read shows its
 * change even if the sync has not delivered it yet (the rooms it changed are read from the
 * homeserver until the sync has brought the change). Changes made by other users, or by this
 * user on another client, show once this client's sync has delivered them, usually within one
 * long-poll round trip; a listener learns of them at the same moment (such as {@code
 * MemberJoined} or {@code ChannelUpdated}). The rule checks of renaming, re-topicing, deleting or
 * reordering channels, updating a server and deleting a message read the cache too; when it says
 * no, they ask the homeserver before refusing, so a cache that is behind never refuses what the
 * homeserver allows.
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
   * <p>An enqueued callback's {@code onSuccess} runs on the new client's event queue, in order with
   * its listeners (after the client's first events, never at the same time as one of them).
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
   * @param config the settings; not null
   * @param userId the session's user id, such as {@code @alice:example.org}
   * @param accessToken the session's access token (a secret: Melo never logs it)
   * @return the started client
   * @throws IllegalArgumentException if the config names a server name not discovered yet (see
   *     {@link #discover})
   * @throws UserMismatchException if the config's sync store belongs to another user
   */
  static MeloClient connect(MeloConfig config, String userId, String accessToken) {
    return DefaultMeloClient.resume(config, new Session(userId, null, accessToken, null));
  }

  /**
   * A started client for a stored session. When the homeserver rejects the access token
   * ({@code M_UNKNOWN_TOKEN}), the client renews the session once for all the requests that failed
   * together, then repeats them, following the specification's soft-logout rules:
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
   * @param config the settings; not null
   * @param session the stored session, as {@link #session()} or the {@link SessionListener} gave
   *     it; not null
   * @return the started client
   * @throws IllegalArgumentException if the config names a server name not discovered yet (see
   *     {@link #discover}: no blocking request is made here)
   * @throws UserMismatchException if the config's sync store belongs to another user
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
   * @param config the settings; not null
   * @param asToken the application service's {@code as_token}; not null
   * @param userId the user to act as, in the service's namespace
   * @return the started client
   * @throws IllegalArgumentException if the config names a server name not discovered yet (see
   *     {@link #discover})
   * @throws UserMismatchException if the config's sync store belongs to another user
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
   * allowed). It belongs to no client: an enqueued callback is not ordered with any client's events.
   *
   * @param config the settings of the homeserver; not null
   * @param asToken the application service's {@code as_token}; not null
   * @param localpart the user name to register, such as {@code bridge_alice}; not null
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

  /** {@return the Matrix user id this client acts for} */
  String userId();

  /** {@return the settings this client was built with} */
  MeloConfig config();

  /**
   * The session now (after any token refresh): keep it to {@link #resume} later. For an
   * application-service client its access token is the {@code as_token} (with no device or refresh
   * token): such a client comes back with {@link #asAppService}, not {@code resume}.
   *
   * @return the session now
   */
  Session session();

  /**
   * {@return the state of the sync loop now: {@code CONNECTED} once the first sync has filled the
   * cache} Each change is also delivered as a {@code ConnectionStateChanged} event.
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
   *
   * @param name the server's name; blank is an {@link IllegalArgumentException}
   * @return the call; its result is the new server
   */
  @CheckReturnValue
  MeloCall<Server> createServer(String name);

  /**
   * The server with this id: from the sync cache when it is current (see the class
   * documentation), else from the homeserver.
   *
   * @param serverId the server's id (its space's room id, {@code !...}); anything else is an {@link
   *     IllegalArgumentException}
   * @return a call for the server
   * @throws NotFoundException (from the call) when it is not a Melo server this user has joined
   *     (never joined, left, kicked or banned), or it was deleted
   */
  @CheckReturnValue
  MeloCall<Server> server(String serverId);

  /**
   * The servers this user has joined, deleted ones left out, oldest first (by creation time, then
   * id). From the sync cache when it is current (see the class documentation): no request at
   * all; before the first sync, {@code GET /joined_rooms} and the state of each joined room.
   *
   * @return a call for the list of servers
   */
  @CheckReturnValue
  MeloCall<List<Server>> servers();

  /**
   * Changes the server's name, topic or image; needs ADMIN.
   *
   * @param serverId the server's id ({@code !...})
   * @param update the fields to change; not null
   * @return the call; its result is the server as changed
   */
  @CheckReturnValue
  MeloCall<Server> updateServer(String serverId, ServerUpdate update);

  /**
   * Deletes the server: the {@code <ns>.channel_deleted} marker in each channel and the {@code
   * <ns>.server_deleted} marker in the space (DESIGN.md), then this user leaves every channel and,
   * last, the space. Needs ADMIN. A failed step is a {@link PartialFailureException} listing the
   * steps (one per room and marker) done, failed and left; running it again completes it (markers
   * already written stay as they are, rooms already left are skipped), and running it once it
   * completed does nothing. A server this user is not in is a {@link NotFoundException}.
   *
   * @param serverId the server's id ({@code !...})
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> deleteServer(String serverId);

  /**
   * Leaves the server: its channels, then the space. The owner cannot leave a server that is not
   * deleted ({@link RuleViolationException} {@code OWNER_CANNOT_LEAVE}: they delete it). Only the
   * rooms this user is still in are left, so running it again after a {@link
   * PartialFailureException} completes it; a server this user was never in is a {@link
   * NotFoundException}.
   *
   * @param serverId the server's id ({@code !...})
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> leaveServer(String serverId);

  /**
   * Joins the server an invite code points to: resolves its alias ({@code GET
   * /directory/room/{alias}}), joins the space by that alias ({@code POST /join/{alias}}), then
   * every channel. With an app's {@code InviteResolver}, the space is joined by the room id it
   * returns.
   *
   * @param invite the invite code, as {@link InviteCode#parse} read it; not null
   * @return the call; its result is the joined server
   */
  @CheckReturnValue
  MeloCall<Server> joinServer(InviteCode invite);

  /**
   * Joins a server by its id ({@code POST /join/{roomId}}), then every channel: how an invite
   * seen as an {@code InvitedToServer} event is accepted ({@code joinServer(event.serverId())}).
   * As DESIGN.md says, a space's room id works like a permanent invite code, so this also joins
   * a server whose id this user learned another way. A room that is not a Melo server is left
   * again and is a {@link NotFoundException}, as is an unknown room; a user banned from the
   * server gets the homeserver's refusal as a {@link RuleViolationException}.
   *
   * @param serverId the server's id (its space's room id, {@code !...}); anything else is an {@link
   *     IllegalArgumentException}
   * @return the call; its result is the joined server
   */
  @CheckReturnValue
  MeloCall<Server> joinServer(String serverId);

  /**
   * Replaces the server's invite code: creates the new alias, records it in {@code <ns>.server},
   * then deletes every other local alias of the space. The old code stops resolving. In that
   * order, {@code <ns>.server} always names a code that resolves: a failure to create the alias
   * changes nothing (a plain error), a later failure is a {@link PartialFailureException}, after
   * which running the call's {@link MeloCall#copy() copy} (same new code) or a new call completes
   * the job. Needs ADMIN, on the owner's homeserver: the alias lives there and a homeserver lists
   * and creates aliases for its own users only, so an ADMIN of another homeserver gets a {@link
   * RuleViolationException} ({@code OWNERS_HOMESERVER_ONLY}) before anything changes.
   *
   * @param serverId the server's id ({@code !...})
   * @return the call; its result is the new invite code
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
   *
   * @param serverId the server's id ({@code !...})
   * @param name the channel's name; blank is an {@link IllegalArgumentException}
   * @param type the channel's type; not null
   * @return the call; its result is the new channel
   */
  @CheckReturnValue
  MeloCall<Channel> createChannel(String serverId, String name, ChannelType type);

  /**
   * The channels of the server in display order ({@code <ns>.channel_order}), deleted ones left
   * out. From the sync cache when it is current (see the class documentation); a channel of the
   * server that this user has not joined yet (the sync joins new channels by itself) is joined
   * and read from the homeserver, as without a cache.
   *
   * @param serverId the server's id ({@code !...})
   * @return a call for the channels in display order
   * @throws NotFoundException (from the call) when it is not a Melo server this user has joined
   *     (never joined, left, kicked or banned), or it was deleted
   */
  @CheckReturnValue
  MeloCall<List<Channel>> channels(String serverId);

  /**
   * Renames a channel; needs MODERATOR. The {@code general} channel keeps its name.
   *
   * @param channelId the channel's room id ({@code !...})
   * @param newName the new name; blank is an {@link IllegalArgumentException}
   * @return the call; its result is the renamed channel
   */
  @CheckReturnValue
  MeloCall<Channel> renameChannel(String channelId, String newName);

  /**
   * Sets a channel's topic; needs MODERATOR.
   *
   * @param channelId the channel's room id ({@code !...})
   * @param topic the new topic; not null ({@code ""} clears it)
   * @return the call; its result is the changed channel
   */
  @CheckReturnValue
  MeloCall<Channel> setChannelTopic(String channelId, String topic);

  /**
   * Deletes a channel: the {@code <ns>.channel_deleted} marker, then its removal from the space's
   * children. Needs MODERATOR; the {@code general} channel stays.
   *
   * @param channelId the channel's room id ({@code !...})
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> deleteChannel(String channelId);

  /**
   * Puts {@code channelIds} first, in that order; the other channels follow in their current
   * order. Needs MODERATOR.
   *
   * @param serverId the server's id ({@code !...})
   * @param channelIds ids of the server's channels to put first; an id listed twice is an {@link
   *     IllegalArgumentException}
   * @return the channels in their new order
   */
  @CheckReturnValue
  MeloCall<List<Channel>> reorderChannels(String serverId, List<String> channelIds);

  // ---- members

  /**
   * The members of the server (joined to its space) with their roles and profiles, all at once,
   * in the order of {@link MemberPage}. From the sync cache when it is current (see the class
   * documentation).
   *
   * @param serverId the server's id ({@code !...})
   * @return a call for all members
   * @throws NotFoundException (from the call) when it is not a Melo server this user has joined
   *     (never joined, left, kicked or banned), or it was deleted
   */
  @CheckReturnValue
  MeloCall<List<Member>> members(String serverId);

  /**
   * A page of the server's members, for big servers: in the order of {@link MemberPage}. Each page
   * is cut from the member list as it is when the page is read (from the sync cache when it is
   * current), so a member who joins, leaves or changes role between two pages is seen as on the
   * homeserver: the cursor names the last member shown by its sort key, and the next page starts
   * after that key.
   *
   * @param serverId the server's id ({@code !...})
   * @param cursor null for the first page, else a previous page's {@link MemberPage#nextCursor()}
   * @param limit the most members per page, 1 to 1000
   * @return a call for the page
   */
  @CheckReturnValue
  MeloCall<MemberPage> members(String serverId, String cursor, int limit);

  /**
   * Changes a member's role in the space and in every channel. Only the owner, never on themself.
   * Re-running after a {@link PartialFailureException} completes it.
   *
   * @param serverId the server's id ({@code !...})
   * @param userId the member's user id ({@code @...:...})
   * @param role the new role; not null
   * @return the call; its result is the member with the new role
   */
  @CheckReturnValue
  MeloCall<Member> changeRole(String serverId, String userId, Role role);

  /**
   * Removes a member from the space and every channel; they can come back with an invite code. Only
   * the owner, never on themself. Re-running after a {@link PartialFailureException} completes it.
   * A user who is in neither the space nor a channel (joined, invited or knocking) is a {@link
   * NotFoundException}, as for {@link #changeRole}, except when a run of this call (a {@link
   * MeloCall#copy()} of it) already kicked them: a re-run after the last answer was lost completes.
   *
   * @param serverId the server's id ({@code !...})
   * @param userId the member's user id ({@code @...:...})
   * @param reason shown to the member and in the rooms' history, or null for none
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> kick(String serverId, String userId, String reason);

  /**
   * Bans a member from the space and every channel (channels created later ban them too). Only
   * the owner, never on themself. Re-running after a {@link PartialFailureException} completes it.
   *
   * @param serverId the server's id ({@code !...})
   * @param userId the member's user id ({@code @...:...})
   * @param reason shown to the member and in the rooms' history, or null for none
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> ban(String serverId, String userId, String reason);

  // ---- messages (channels and conversations alike)

  /**
   * Sends a text message to a channel or conversation. The sent message's {@link Message#sentAt()}
   * is the homeserver's time ({@code origin_server_ts}), never this device's clock. Into an end-to-end encrypted room ({@link
   * Conversation#encrypted()}) nothing is sent: Melo cannot encrypt, so the call fails with a
   * {@link RuleViolationException} of rule {@link RuleViolationException.Rule#ROOM_ENCRYPTED}
   * before any request that carries content.
   *
   * @param roomId the channel's or conversation's room id ({@code !...})
   * @param text the message text; blank is an {@link IllegalArgumentException}
   * @return the call; its result is the sent message
   */
  @CheckReturnValue
  MeloCall<Message> sendText(String roomId, String text);

  /**
   * Sends a text message that replies to {@code replyToId}. An id this client knows to be an edit
   * or a reaction (such as {@link io.melo.core.event.MessageEdited#editEventId()}) is a {@link
   * NotFoundException} before any request. Into an end-to-end encrypted room ({@link
   * Conversation#encrypted()}) nothing is sent: Melo cannot encrypt, so the call fails with a
   * {@link RuleViolationException} of rule {@link RuleViolationException.Rule#ROOM_ENCRYPTED}
   * before any request that carries content.
   *
   * @param roomId the channel's or conversation's room id ({@code !...})
   * @param replyToId the event id ({@code $...}) of the message replied to
   * @param text the message text; blank is an {@link IllegalArgumentException}
   * @return the call; its result is the sent message
   */
  @CheckReturnValue
  MeloCall<Message> reply(String roomId, String replyToId, String text);

  /**
   * Sends a text message into the thread of {@code threadRootId}: the thread it roots, or, when
   * that message is itself in a thread (threads do not nest), that thread, with the message as the
   * {@code m.in_reply_to} fallback for clients without threads. An id this client knows to be an
   * edit or a reaction is a {@link NotFoundException} before any request, and so is, before the
   * send, a message the homeserver has as an edit, a reaction or another relation. Into an end-to-end encrypted room ({@link
   * Conversation#encrypted()}) nothing is sent: Melo cannot encrypt, so the call fails with a
   * {@link RuleViolationException} of rule {@link RuleViolationException.Rule#ROOM_ENCRYPTED}
   * before any request that carries content.
   *
   * @param roomId the channel's or conversation's room id ({@code !...})
   * @param threadRootId the event id ({@code $...}) of the thread's root message, or of a message
   *     in that thread
   * @param text the message text; blank is an {@link IllegalArgumentException}
   * @return the call; its result is the sent message
   */
  @CheckReturnValue
  MeloCall<Message> sendToThread(String roomId, String threadRootId, String text);

  /**
   * Uploads a file and sends it as an image, video, audio or file message (by its MIME type),
   * with its MIME type and size. Into an end-to-end encrypted room ({@link
   * Conversation#encrypted()}) nothing is sent: Melo cannot encrypt, so the call fails with a
   * {@link RuleViolationException} of rule {@link RuleViolationException.Rule#ROOM_ENCRYPTED}
   * before the upload.
   *
   * @param roomId the channel's or conversation's room id ({@code !...})
   * @param content the file's bytes; not null
   * @param fileName the file name shown to readers; not blank
   * @param mimeType the MIME type, such as {@code image/png}; not blank
   * @return the call; its result is the sent message, with the uploaded file's {@code mxc://} URL
   */
  @CheckReturnValue
  MeloCall<Message> sendAttachment(String roomId, byte[] content, String fileName, String mimeType);

  /**
   * {@return a call for a page of history, newest first, each message with its latest edit and
   * reactions applied and deleted messages shown as deleted} A page holds up to {@code limit}
   * messages, never none while older ones exist: edits, reactions and redactions count against the
   * homeserver's page size, so while a request brings no message the next ones ask for more
   * events; continue with its cursor. Each read asks the homeserver again, so a message deleted,
   * a reaction taken back or an edit taken back since an earlier read shows as it is now. Edits
   * and reactions show when this client has seen them: read pages from the newest one on (they
   * come before the messages they change); once this client has read or written in a room, the
   * edits, reactions and deletions its live sync brings apply to later reads too, also of pages
   * read with an older cursor. Loading history never fires "created" events.
   *
   * @param cursor null for the newest page, else a previous page's {@link MessagePage#nextCursor()}
   * @param limit the most messages per page, 1 to 100
   * @param roomId the channel's or conversation's room id ({@code !...})
   */
  @CheckReturnValue
  MeloCall<MessagePage> messages(String roomId, String cursor, int limit);

  /**
   * Replaces a message's text; only its author may. The message shows its latest edit by the
   * homeserver's time, whatever this device's clock says. An edit's own id (such as {@link
   * io.melo.core.event.MessageEdited#editEventId()}) is not a message: it is a {@link
   * NotFoundException} before any edit is sent (an edit of an edit never shows). Into an end-to-end encrypted room ({@link
   * Conversation#encrypted()}) nothing is sent: Melo cannot encrypt, so the call fails with a
   * {@link RuleViolationException} of rule {@link RuleViolationException.Rule#ROOM_ENCRYPTED}
   * before any request that carries content.
   *
   * @param roomId the room id ({@code !...})
   * @param messageId the message's event id ({@code $...})
   * @param newText the new text; blank is an {@link IllegalArgumentException}
   * @return the call; its result is the message with the new text
   */
  @CheckReturnValue
  MeloCall<Message> editMessage(String roomId, String messageId, String newText);

  /**
   * Deletes (redacts) a message. In a channel its author, or a MODERATOR or higher, may; in a
   * conversation only its author. A message that is already deleted is a {@link
   * NotFoundException}, except for a {@link MeloCall#copy()} of a call that sent its deletion: when
   * the answer was lost, running the copy completes without error.
   *
   * @param roomId the room id ({@code !...})
   * @param messageId the message's event id ({@code $...})
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> deleteMessage(String roomId, String messageId);

  /**
   * Reacts to a message with {@code key} (usually an emoji); reacting twice with one key counts
   * once. An id this client knows to be an edit or a reaction is a {@link NotFoundException}
   * before any request. Into an end-to-end encrypted room ({@link
   * Conversation#encrypted()}) nothing is sent: Melo cannot encrypt, so the call fails with a
   * {@link RuleViolationException} of rule {@link RuleViolationException.Rule#ROOM_ENCRYPTED}
   * before any request that carries content.
   *
   * @param roomId the room id ({@code !...})
   * @param messageId the message's event id ({@code $...})
   * @param key the reaction key; blank is an {@link IllegalArgumentException}
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> react(String roomId, String messageId, String key);

  /**
   * Takes back this user's reaction {@code key} on a message; does nothing when there is none.
   *
   * @param roomId the room id ({@code !...})
   * @param messageId the message's event id ({@code $...})
   * @param key the reaction key; not null
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> unreact(String roomId, String messageId, String key);

  // ---- conversations

  /**
   * {@return a call for the direct conversation with {@code userId}: reused when {@code m.direct}
   * already has one this user is in, else created (and recorded in {@code m.direct}, merged with
   * what is there)} A conversation the other user left is reused with them invited back into it;
   * one they are banned from is not reused. When the other user has invited this one to a
   * conversation already (their sync need not have seen it yet), that invite is accepted, so both
   * users' {@code m.direct} name one room. An end-to-end encrypted conversation (Element creates
   * direct chats encrypted) is never reused nor joined from an invite, since Melo cannot send there:
   * a new conversation that is not encrypted is created instead (the other user's client then lists
   * both). Exactly once: a copy of the call run after a lost answer
   * finds the room the first run made or joined.
   *
   * @param userId the other user's id ({@code @...:...}); this user's own id is an {@link
   *     IllegalArgumentException}
   */
  @CheckReturnValue
  MeloCall<Conversation> conversationWith(String userId);

  /**
   * This user's direct conversations, from {@code m.direct}, in the rooms this user is in, each
   * flagged {@link Conversation#encrypted()} when its room is end-to-end encrypted. From the
   * sync cache when it is current (see the class documentation), else {@code GET /joined_rooms}
   * and the {@code m.direct} account data.
   *
   * @return a call for the conversations
   */
  @CheckReturnValue
  MeloCall<List<Conversation>> conversations();

  // ---- profile, typing, receipts, presence

  /**
   * {@return a call for a user's public profile}
   *
   * @param userId the user's id ({@code @...:...})
   */
  @CheckReturnValue
  MeloCall<Profile> profile(String userId);

  /**
   * Sets this user's display name.
   *
   * @param displayName the new display name; not null
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> setDisplayName(String displayName);

  /**
   * Sets this user's avatar ({@code mxc://} URL).
   *
   * @param mxcUrl the avatar's {@code mxc://} URL; another form is an {@link
   *     IllegalArgumentException}
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> setAvatarUrl(String mxcUrl);

  /**
   * {@return a call for this user's private profile ({@code <ns>.profile}); empty when never set}
   */
  @CheckReturnValue
  MeloCall<PrivateProfile> privateProfile();

  /**
   * Updates the present fields of this user's private profile, keeping every other field.
   *
   * @param update the fields to change (the absent ones stay as they are); not null
   * @return the call; its result is the whole private profile after the update
   */
  @CheckReturnValue
  MeloCall<PrivateProfile> updatePrivateProfile(PrivateProfile update);

  /**
   * Tells the room this user is typing (or stopped).
   *
   * @param roomId the room id ({@code !...})
   * @param typing true while typing, false once stopped
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> setTyping(String roomId, boolean typing);

  /**
   * Marks the room read up to {@code eventId} (a read receipt).
   *
   * @param roomId the room id ({@code !...})
   * @param eventId the event id ({@code $...}) read up to
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> markRead(String roomId, String eventId);

  /**
   * {@return the room's unread counts from the last sync (kept current by the sync loop; no
   * request)} {@link UnreadCount#NONE} for a room the client has not synced.
   *
   * @param roomId the room id
   */
  UnreadCount unreadCount(String roomId);

  /**
   * Sets this user's presence and status message (null for none). The sync loop does not mark
   * the user online by itself (it polls with {@code set_presence=offline}), so the presence is
   * what the app last set: set ONLINE when the user arrives.
   *
   * @param presence {@code ONLINE}, {@code UNAVAILABLE} or {@code OFFLINE}; another value is an
   *     {@link IllegalArgumentException}
   * @param statusMessage the status message, or null for none
   * @return the call
   */
  @CheckReturnValue
  MeloCall<Void> setPresence(Presence presence, String statusMessage);

  /**
   * {@return a call for a user's presence now ({@code GET /presence/{userId}/status}); live changes
   * come as {@code PresenceChanged} events} A homeserver that hides it from this user (403), or
   * has none for the user (404), fails the call with {@link RuleViolationException} or {@link
   * NotFoundException}.
   *
   * @param userId the user's id ({@code @...:...}); this user's own id is allowed
   */
  @CheckReturnValue
  MeloCall<UserPresence> presence(String userId);

  // ---- listeners

  /**
   * Registers a listener for every event of this client.
   *
   * @param listener receives each event on the event executor; not null
   * @return the subscription; close it to unregister the listener
   */
  default Subscription addListener(MeloListener listener) {
    return addListener(EventScope.all(), listener);
  }

  /**
   * Registers a listener for the events within {@code scope} (all, one server or one channel).
   *
   * @param scope which events to deliver
   * @param listener receives each matching event on the event executor
   * @return the subscription; close it to unregister the listener
   */
  Subscription addListener(EventScope scope, MeloListener listener);

  /**
   * Registers a listener for the events of one type (a leaf or a family such as {@code
   * MessageEvent}).
   *
   * @param <E> the event type
   * @param type the event class; events of its subtypes are delivered too
   * @param listener receives each matching event on the event executor
   * @return the subscription; close it to unregister the listener
   */
  default <E extends MeloEvent> Subscription on(Class<E> type, Consumer<? super E> listener) {
    return on(type, EventScope.all(), listener);
  }

  /**
   * Registers a listener for the events of one type within {@code scope}.
   *
   * @param <E> the event type
   * @param type the event class; events of its subtypes are delivered too
   * @param scope which events to deliver
   * @param listener receives each matching event on the event executor
   * @return the subscription; close it to unregister the listener
   */
  <E extends MeloEvent> Subscription on(Class<E> type, EventScope scope, Consumer<? super E> listener);

  /**
   * Stops the sync loop promptly and releases this client's resources; calling it again does
   * nothing. The batch of events in progress is never cut (so a restart neither repeats nor
   * loses any of it): close() waits up to 5 s for it, and when a listener is slower, or close()
   * is called from a listener, the rest of that batch still reaches listeners after close()
   * returns; a {@code ConnectionStateChanged} to {@code STOPPED} follows once it is saved.
   *
   * <p>An operation run after close() makes no request: {@link MeloCall#execute()} throws an
   * {@link IllegalStateException} saying the client is closed, {@link MeloCall#future()} completes
   * with it, and {@link MeloCall#enqueue} reports it as a {@link MeloNetworkException} that did not
   * apply, with the {@code IllegalStateException} as its cause.
   */
  @Override
  void close();
}
