package io.melo.matrix;

import io.melo.matrix.auth.LoginFlow;
import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RefreshResponse;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.RegisterResponse;
import io.melo.matrix.auth.Whoami;
import io.melo.matrix.discovery.Capabilities;
import io.melo.matrix.discovery.Versions;
import io.melo.matrix.discovery.WellKnown;
import io.melo.matrix.internal.ApiRequest;
import io.melo.matrix.internal.ChainedCall;
import io.melo.matrix.internal.Codecs;
import io.melo.matrix.internal.EventCodecs;
import io.melo.matrix.internal.HttpTransport;
import io.melo.matrix.internal.Json;
import io.melo.matrix.internal.MediaReader;
import io.melo.matrix.internal.ResponseReader;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.media.Media;
import io.melo.matrix.media.MxcUri;
import io.melo.matrix.media.ThumbnailMethod;
import io.melo.matrix.room.AliasResolution;
import io.melo.matrix.room.CreateRoomRequest;
import io.melo.matrix.room.Direction;
import io.melo.matrix.room.EventContext;
import io.melo.matrix.room.EventPage;
import io.melo.matrix.room.Hierarchy;
import io.melo.matrix.room.Messages;
import io.melo.matrix.sync.AsyncSyncSource;
import io.melo.matrix.sync.Filter;
import io.melo.matrix.sync.SyncRequest;
import io.melo.matrix.sync.SyncResponse;
import io.melo.matrix.sync.SyncResponseParser;
import io.melo.matrix.sync.SyncSource;
import io.melo.matrix.room.JoinedMember;
import io.melo.matrix.room.Visibility;
import io.melo.matrix.user.Presence;
import io.melo.matrix.user.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * A typed client of the Matrix Client-Server API for one user (or none, before login). Every method
 * returns a {@link MatrixCall}, prepared but not sent: run it with {@code execute()},
 * {@code enqueue(..)} or {@code future()}.
 *
 * <p>Thread-safe. Many clients may share one {@link okhttp3.OkHttpClient} through
 * {@link MatrixConfig}; {@link #close()} cancels this client's calls but leaves the shared HTTP
 * client alone. Path parameters are percent-encoded as single segments; an invalid one (null,
 * empty, {@code .} or {@code ..}) is refused with an exception before anything is sent.
 *
 * <p>Requests that may be repeated safely (GET, sends and redactions with their transaction id,
 * state and account-data PUTs, joins, receipts) are retried by the {@link RetryPolicy} after server
 * errors and lost responses; the others (createRoom, invite, upload, login, ...) only after rate
 * limits or failures that prove nothing was sent. {@code M_UNKNOWN_TOKEN} goes to the
 * {@link CredentialsProvider} when there is one.
 */
@CheckReturnValue
public final class MatrixClient implements AutoCloseable {

  private static final String V3 = "/_matrix/client/v3";
  private static final String V1 = "/_matrix/client/v1";

  private final MatrixConfig config;
  private final HttpTransport transport;
  private volatile Versions versions;

  private MatrixClient(MatrixConfig config, MatrixCredentials credentials, CredentialsProvider provider) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = new HttpTransport(config, credentials, provider);
    this.transport.owner(this);
  }

  /**
   * {@return a client without credentials, for discovery, login and registration}
   *
   * @param config the configuration; not null
   */
  public static MatrixClient create(MatrixConfig config) {
    return new MatrixClient(config, null, null);
  }

  /**
   * {@return a client acting with {@code credentials}; a rejected token is reported as {@link
   * UnknownTokenException}}
   *
   * @param config the configuration; not null
   * @param credentials the credentials to send; not null
   */
  public static MatrixClient create(MatrixConfig config, MatrixCredentials credentials) {
    return new MatrixClient(config, Objects.requireNonNull(credentials, "credentials"), null);
  }

  /**
   * {@return a client acting with {@code credentials} that asks {@code provider} for new ones when
   * the server rejects the token, then repeats the failed requests once}
   *
   * @param config the configuration; not null
   * @param credentials the credentials to start with; not null
   * @param provider asked for new credentials after a rejected token; not null
   */
  public static MatrixClient create(
      MatrixConfig config, MatrixCredentials credentials, CredentialsProvider provider) {
    return new MatrixClient(
        config,
        Objects.requireNonNull(credentials, "credentials"),
        Objects.requireNonNull(provider, "provider"));
  }

  /** {@return the configuration} */
  public MatrixConfig config() {
    return config;
  }

  /** {@return the credentials in use now (renewals replace them), or empty before login} */
  public Optional<MatrixCredentials> credentials() {
    return transport.credentials();
  }

  /**
   * Replaces the credentials, for example after the app logged in again itself.
   *
   * @param credentials the new credentials; not null
   */
  public void credentials(MatrixCredentials credentials) {
    transport.credentials(Objects.requireNonNull(credentials, "credentials"));
  }

  /** {@return the user this client acts as, when known} */
  public Optional<String> userId() {
    return credentials().flatMap(MatrixCredentials::userId);
  }

  /**
   * {@return a fresh transaction id, unique for this device even across restarts} Keep it with a
   * pending message to re-send it after a restart without duplicating it.
   */
  public String newTransactionId() {
    return transport.nextTransactionId();
  }

  /** Cancels this client's calls in flight and refuses new ones. The shared HTTP client stays open. */
  @Override
  public void close() {
    transport.close();
  }

  private ApiRequest.Builder request(String method, String template, String... params) {
    return ApiRequest.builder(config.homeserver(), method, template, params);
  }

  private <T> MatrixCall<T> call(ApiRequest<T> request) {
    return transport.call(request);
  }

  private String me() {
    return userId()
        .orElseThrow(
            () -> new IllegalStateException("the credentials do not say which user this client is"));
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  // ---------------------------------------------------------------- discovery

  /**
   * {@code GET /.well-known/matrix/client} at the root of the configured URL's host (a path prefix
   * of the homeserver URL is not used): configure the client with {@code https://<server name>} to
   * discover where that server's homeserver lives.
   *
   * @return the call; its result is the discovered homeserver (and identity server, if any)
   */
  public MatrixCall<WellKnown> wellKnown() {
    return call(
        ApiRequest.builder(config.homeserver().newBuilder().encodedPath("/").build(), "GET", "/.well-known/matrix/client")
            .unauthenticated()
            .decode(Codecs::wellKnown));
  }

  /**
   * {@code GET /_matrix/client/versions}. The answer is remembered: media calls use it to choose
   * authenticated media.
   *
   * @return the call; its result is the spec versions and unstable features the server supports
   */
  public MatrixCall<Versions> versions() {
    return call(
        request("GET", "/_matrix/client/versions")
            .optionalAuth()
            .build(ResponseReader.json(Codecs::versions).andThen(read -> this.versions = read)));
  }

  /** {@return the last {@link #versions()} answer, if one arrived} */
  public Optional<Versions> knownVersions() {
    return Optional.ofNullable(versions);
  }


  /**
   * {@code GET /capabilities}.
   *
   * @return the call; its result is the server's capabilities
   */
  public MatrixCall<Capabilities> capabilities() {
    return call(request("GET", V3 + "/capabilities").decode(EventCodecs::capabilities));
  }

  // ---------------------------------------------------------------- rooms and state

  /**
   * {@code POST /createRoom}. Never retried once it may have reached the server: a repeat would
   * create a second room.
   *
   * @param create the room's options; not null
   * @return the new room's id
   */
  public MatrixCall<String> createRoom(CreateRoomRequest create) {
    Objects.requireNonNull(create, "create");
    return call(
        request("POST", V3 + "/createRoom")
            .jsonBody(w -> EventCodecs.createRoom(w, create))
            .decode(Codecs.stringField("room_id", "createRoom response")));
  }

  /**
   * {@code GET /rooms/{roomId}/members}: membership events.
   *
   * @param at a pagination token to read the members at, or null for now
   * @param membership only this membership (such as {@code join}), or null
   * @param notMembership exclude this membership, or null
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is the member events
   */
  public MatrixCall<List<RoomEvent>> members(String roomId, String at, String membership, String notMembership) {
    return call(
        request("GET", V3 + "/rooms/{roomId}/members", roomId)
            .query("at", at)
            .query("membership", membership)
            .query("not_membership", notMembership)
            .decode(
                reader -> {
                  Object[] chunk = new Object[1];
                  Json.readObject(
                      reader,
                      (name, r) -> {
                        if (name.equals("chunk")) {
                          chunk[0] = EventCodecs.events(r);
                        } else {
                          r.skipValue();
                        }
                      });
                  @SuppressWarnings("unchecked")
                  List<RoomEvent> events = chunk[0] == null ? List.of() : (List<RoomEvent>) chunk[0];
                  return events;
                }));
  }

  /**
   * {@code GET /rooms/{roomId}/state}: every current state event.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is the state events
   */
  public MatrixCall<List<RoomEvent>> state(String roomId) {
    return call(request("GET", V3 + "/rooms/{roomId}/state", roomId).decode(EventCodecs::events));
  }

  /**
   * {@code GET /rooms/{roomId}/state/{eventType}/{stateKey}}: the content of one state event.
   * A missing event fails with {@link NotFoundException}.
   *
   * @param stateKey the state key; empty for most room state
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventType the state event type, such as {@code m.room.name}; not empty
   * @return the call; its result is the event's content
   */
  public MatrixCall<JsonObject> stateEvent(String roomId, String eventType, String stateKey) {
    return call(
        request("GET", V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", roomId, eventType, stateKey)
            .decode(EventCodecs::object));
  }

  /**
   * {@code PUT /rooms/{roomId}/state/{eventType}/{stateKey}}: replaces one state event's content.
   * Repeating it leaves the same state, so it is retried like a GET.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventType the state event type; not empty
   * @param stateKey the state key; empty for most room state
   * @param content the new content; not null
   * @return the new event's id
   */
  public MatrixCall<String> setState(String roomId, String eventType, String stateKey, JsonObject content) {
    Objects.requireNonNull(content, "content");
    return call(
        request("PUT", V3 + "/rooms/{roomId}/state/{eventType}/{stateKey}", roomId, eventType, stateKey)
            .idempotent()
            .jsonBody(content)
            .decode(Codecs.stringField("event_id", "state response")));
  }

  // ---------------------------------------------------------------- events

  /**
   * {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}} with a new transaction id. Retries and
   * {@link MatrixCall#copy() copies} of the returned call reuse that id, so the server stores the
   * event at most once.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventType the event type, such as {@code m.room.message}; not empty
   * @param content the event content; not null
   * @return the event's id
   */
  public MatrixCall<String> send(String roomId, String eventType, JsonObject content) {
    return send(roomId, eventType, content, transport.nextTransactionId());
  }

  /**
   * {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}} with the app's transaction id (from
   * {@link #newTransactionId()}, kept to re-send after a restart without duplicating).
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventType the event type; not empty
   * @param content the event content; not null
   * @param txnId the transaction id; not empty
   * @return the event's id
   */
  public MatrixCall<String> send(String roomId, String eventType, JsonObject content, String txnId) {
    Objects.requireNonNull(content, "content");
    return call(
        request("PUT", V3 + "/rooms/{roomId}/send/{eventType}/{txnId}", roomId, eventType, txnId)
            .idempotent()
            .jsonBody(content)
            .decode(Codecs.stringField("event_id", "send response")));
  }

  /**
   * {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}} with a new transaction id (reused by retries
   * and copies).
   *
   * @param reason the reason, or null
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventId the event to redact; not empty
   * @return the redaction event's id
   */
  public MatrixCall<String> redact(String roomId, String eventId, String reason) {
    return redact(roomId, eventId, reason, transport.nextTransactionId());
  }

  /**
   * {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}} with the app's transaction id.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventId the event to redact; not empty
   * @param reason the reason, or null
   * @param txnId the transaction id; not empty
   * @return the call; its result is the redaction event's id
   */
  public MatrixCall<String> redact(String roomId, String eventId, String reason, String txnId) {
    return call(
        request("PUT", V3 + "/rooms/{roomId}/redact/{eventId}/{txnId}", roomId, eventId, txnId)
            .idempotent()
            .jsonBody(w -> Json.field(w, "reason", reason))
            .decode(Codecs.stringField("event_id", "redact response")));
  }

  /**
   * {@code GET /rooms/{roomId}/event/{eventId}}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventId the event's id; not empty
   * @return the call; its result is the event ({@link NotFoundException} when the server has none
   *     the user may see)
   */
  public MatrixCall<RoomEvent> event(String roomId, String eventId) {
    return call(
        request("GET", V3 + "/rooms/{roomId}/event/{eventId}", roomId, eventId)
            .decode(reader -> RoomEvent.from(EventCodecs.object(reader), roomId)));
  }

  /**
   * {@code GET /rooms/{roomId}/messages}.
   *
   * @param dir the direction
   * @param from the token to start at, or null for the start (forward) or end (backward) of the timeline
   * @param to the token to stop at, or null
   * @param limit the most events to return, or null for the server's default
   * @param filter a room event filter, or null
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is the page: events, tokens and lazy-loaded members
   */
  public MatrixCall<Messages> messages(
      String roomId, Direction dir, String from, String to, Integer limit, JsonObject filter) {
    Objects.requireNonNull(dir, "dir");
    return call(
        request("GET", V3 + "/rooms/{roomId}/messages", roomId)
            .query("dir", dir.wireName())
            .query("from", from)
            .query("to", to)
            .query("limit", limit)
            .query("filter", filter == null ? null : filter.toJson())
            .decode(EventCodecs::messages));
  }

  /**
   * {@code GET /rooms/{roomId}/context/{eventId}}.
   *
   * @param limit the most events to return around it, or null
   * @param filter a room event filter, or null
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventId the event at the centre; not empty
   * @return the call; its result is the event with the events and state around it
   */
  public MatrixCall<EventContext> context(String roomId, String eventId, Integer limit, JsonObject filter) {
    return call(
        request("GET", V3 + "/rooms/{roomId}/context/{eventId}", roomId, eventId)
            .query("limit", limit)
            .query("filter", filter == null ? null : filter.toJson())
            .decode(EventCodecs::context));
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]}.
   *
   * @param relType a relation type such as {@code m.annotation}, or null for all
   * @param eventType an event type (needs {@code relType}), or null
   * @param from a pagination token, or null
   * @param limit the most events, or null
   * @param dir the direction, or null for the server's default (backward)
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventId the parent event; not empty
   * @return the call; its result is a page of related events
   */
  public MatrixCall<EventPage> relations(
      String roomId, String eventId, String relType, String eventType, String from, Integer limit, Direction dir) {
    ApiRequest.Builder builder;
    if (relType == null) {
      if (eventType != null) {
        throw new IllegalArgumentException("eventType needs a relType");
      }
      builder = request("GET", V1 + "/rooms/{roomId}/relations/{eventId}", roomId, eventId);
    } else if (eventType == null) {
      builder = request("GET", V1 + "/rooms/{roomId}/relations/{eventId}/{relType}", roomId, eventId, relType);
    } else {
      builder =
          request(
              "GET",
              V1 + "/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}",
              roomId,
              eventId,
              relType,
              eventType);
    }
    return call(
        builder
            .query("from", from)
            .query("limit", limit)
            .query("dir", dir == null ? null : dir.wireName())
            .decode(EventCodecs::eventPage));
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/threads}: thread roots, newest first.
   *
   * @param include {@code all} or {@code participated}, or null for all
   * @param from a pagination token, or null
   * @param limit the most threads, or null
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is a page of thread roots
   */
  public MatrixCall<EventPage> threads(String roomId, String include, String from, Integer limit) {
    return call(
        request("GET", V1 + "/rooms/{roomId}/threads", roomId)
            .query("include", include)
            .query("from", from)
            .query("limit", limit)
            .decode(EventCodecs::eventPage));
  }

  /**
   * {@code GET /_matrix/client/v1/rooms/{roomId}/hierarchy}: a space's rooms.
   *
   * @param from a pagination token, or null
   * @param limit the most rooms per page, or null
   * @param maxDepth how deep to descend, or null
   * @param suggestedOnly only suggested rooms
   * @param roomId the space's room id; empty is an {@link IllegalArgumentException}
   * @return the call; its result is a page of the hierarchy
   */
  public MatrixCall<Hierarchy> hierarchy(
      String roomId, String from, Integer limit, Integer maxDepth, boolean suggestedOnly) {
    return call(
        request("GET", V1 + "/rooms/{roomId}/hierarchy", roomId)
            .query("from", from)
            .query("limit", limit)
            .query("max_depth", maxDepth)
            .query("suggested_only", suggestedOnly ? "true" : null)
            .decode(EventCodecs::hierarchy));
  }

  // ---------------------------------------------------------------- account data

  /**
   * {@code GET /user/{userId}/account_data/{type}} for this client's user; {@link
   * NotFoundException} when unset.
   *
   * @param type the account data type; not empty
   * @return the call; its result is the content
   */
  public MatrixCall<JsonObject> accountData(String type) {
    return call(
        request("GET", V3 + "/user/{userId}/account_data/{type}", me(), type).decode(EventCodecs::object));
  }

  /**
   * {@code PUT /user/{userId}/account_data/{type}} for this client's user.
   *
   * @param type the account data type; not empty
   * @param content the new content; not null
   * @return the call
   */
  public MatrixCall<Void> setAccountData(String type, JsonObject content) {
    Objects.requireNonNull(content, "content");
    return call(
        request("PUT", V3 + "/user/{userId}/account_data/{type}", me(), type)
            .idempotent()
            .jsonBody(content)
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code GET /user/{userId}/rooms/{roomId}/account_data/{type}}; {@link NotFoundException} when
   * unset.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param type the account data type; not empty
   * @return the call; its result is the content
   */
  public MatrixCall<JsonObject> roomAccountData(String roomId, String type) {
    return call(
        request("GET", V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", me(), roomId, type)
            .decode(EventCodecs::object));
  }

  /**
   * {@code PUT /user/{userId}/rooms/{roomId}/account_data/{type}}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param type the account data type; not empty
   * @param content the new content; not null
   * @return the call
   */
  public MatrixCall<Void> setRoomAccountData(String roomId, String type, JsonObject content) {
    Objects.requireNonNull(content, "content");
    return call(
        request("PUT", V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", me(), roomId, type)
            .idempotent()
            .jsonBody(content)
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code POST /user/{userId}/filter}: stores a filter for {@code /sync}.
   *
   * @param filter the filter definition; not null
   * @return the filter id to pass to sync
   */
  public MatrixCall<String> uploadFilter(JsonObject filter) {
    Objects.requireNonNull(filter, "filter");
    return call(
        request("POST", V3 + "/user/{userId}/filter", me())
            .idempotent()
            .jsonBody(filter)
            .decode(Codecs.stringField("filter_id", "filter response")));
  }


  /**
   * {@code POST /user/{userId}/filter} with a typed filter.
   *
   * @param filter the filter; not null
   * @return the filter id to pass to sync
   */
  public MatrixCall<String> uploadFilter(Filter filter) {
    Objects.requireNonNull(filter, "filter");
    return uploadFilter(filter.toJson());
  }

  // ---------------------------------------------------------------- sync

  /**
   * {@code GET /sync}: a long poll. Its HTTP read timeout is the request's timeout plus
   * {@link MatrixConfig#longPollMargin()}, and it runs on a dispatcher of its own, so waiting polls
   * never hold back other requests. Retried like any GET.
   *
   * @param sync the request; not null
   * @return the call; its result is the parsed answer
   */
  public MatrixCall<SyncResponse> sync(SyncRequest sync) {
    return sync(sync, true);
  }

  private MatrixCall<SyncResponse> sync(SyncRequest sync, boolean retried) {
    return call(syncRequest(sync, retried));
  }

  private ApiRequest<SyncResponse> syncRequest(SyncRequest sync, boolean retried) {
    Objects.requireNonNull(sync, "sync");
    ApiRequest.Builder builder = request("GET", V3 + "/sync").longPoll(sync.timeout());
    for (Map.Entry<String, String> param : sync.queryParameters().entrySet()) {
      builder.query(param.getKey(), param.getValue());
    }
    if (!retried) {
      builder.noRetry();
    }
    return builder.build(syncReader(null));
  }

  /**
   * Reads a {@code /sync} body straight from its bytes with the parser's own JSON reader. The parser
   * wraps what went wrong with the bytes or the connection; this unwraps it again so that the call
   * maps it as for every other endpoint (not JSON, truncated, too large, network failure).
   */
  private static ResponseReader<SyncResponse> syncReader(io.melo.matrix.sync.JoinedRoomSink sink) {
    return (body, response) -> {
      try {
        return SyncResponseParser.parse(body, sink);
      } catch (MatrixProtocolException | MatrixNetworkException e) {
        Throwable cause = e.getCause();
        if (cause instanceof java.io.IOException io) {
          throw io;
        }
        if (cause instanceof com.squareup.moshi.JsonDataException data) {
          throw data;
        }
        throw e;
      }
    };
  }

  /**
   * {@return a {@link SyncSource} for a {@link io.melo.matrix.sync.SyncLoop} that syncs through
   * this client} Its requests are not retried by the {@link RetryPolicy}: the loop backs off itself
   * and shows {@code RECONNECTING} while it does (a rejected token is still renewed).
   */
  public SyncSource syncSource() {
    return SyncSource.fromCalls(request -> sync(request, false));
  }

  /**
   * As {@link #syncSource()}, but the answer to an initial sync (a request without a since token)
   * is streamed: each joined room goes to {@code initialRooms} as soon as it is read, and the
   * response the source returns has no joined rooms ({@code rooms().join()} is empty; its invites,
   * left rooms, presence, account data and token are there as usual). So the tree of a large
   * initial sync is never in memory as a whole. Answers to requests with a since token are parsed
   * whole, with their joined rooms in the response, as by {@link #syncSource()}.
   *
   * <p>The rooms arrive on the thread that fetches, before the fetch returns and so before a
   * {@link io.melo.matrix.sync.SyncLoop} delivers the batch or saves its token. An answer that
   * breaks off after some rooms fails the fetch like any broken answer; the loop asks again and
   * the sink sees the rooms again. A {@link RuntimeException} thrown by the sink fails the fetch too
   * (as a {@link MatrixProtocolException} saying the answer could not be read).
   *
   * @param initialRooms takes the joined rooms of initial syncs, in the order the server sent them
   * @return the source
   */
  public SyncSource syncSource(io.melo.matrix.sync.JoinedRoomSink initialRooms) {
    Objects.requireNonNull(initialRooms, "initialRooms");
    return SyncSource.fromCalls(request -> request.since() == null
        ? streamedSync(request, initialRooms) : sync(request, false));
  }

  /** {@code GET /sync} whose joined rooms go to {@code sink} while the answer is read; not retried. */
  private MatrixCall<SyncResponse> streamedSync(SyncRequest sync, io.melo.matrix.sync.JoinedRoomSink sink) {
    ApiRequest.Builder builder = request("GET", V3 + "/sync").longPoll(sync.timeout());
    for (Map.Entry<String, String> param : sync.queryParameters().entrySet()) {
      builder.query(param.getKey(), param.getValue());
    }
    return call(builder.noRetry().build(syncReader(sink)));
  }

  /**
   * {@return an {@link AsyncSyncSource} for an event-driven {@link io.melo.matrix.sync.SyncLoop}
   * whose waiting long polls hold no thread: same as {@link #asyncSyncSource(LongPollTransport,
   * SyncSource)} with {@link #syncSource()} for the initial and catch-up syncs}
   *
   * @param longPolls the transport the long polls go through
   */
  public AsyncSyncSource asyncSyncSource(LongPollTransport longPolls) {
    return asyncSyncSource(longPolls, syncSource());
  }

  /**
   * {@return an {@link AsyncSyncSource} for an event-driven {@link io.melo.matrix.sync.SyncLoop}:
   * long polls (timeout above zero) are sent without a waiting thread through {@code longPolls};
   * syncs with timeout zero (initial and catch-up syncs, whose answers can be many megabytes and
   * are read as a stream) run {@code blockingSyncs} on the transport's small blocking pool} Share
   * one transport between many clients to keep the number of threads fixed however many clients
   * poll.
   *
   * <p>A long poll is sent exactly as {@link #syncSource()} sends it: the same URL and query, the
   * same {@code Authorization} header, renewal of a rejected token through the
   * {@link CredentialsProvider} and one repeat, the same exceptions for error answers, the same
   * {@link MatrixConfig#maxResponseBytes()} cap and read timeout (the poll's timeout plus
   * {@link MatrixConfig#longPollMargin()}), and no retries (the loop backs off itself). It does not
   * go through the interceptors (nor call timeout, cache, cookie jar, event listener or client
   * certificates) of
   * the configured {@link okhttp3.OkHttpClient}; it uses its DNS, connect timeout, trust manager,
   * hostname verifier, certificate pinner and TLS connection spec. When that client uses a proxy
   * or a custom socket factory, or speaks only HTTP/2, long polls go through OkHttp instead (a
   * thread each while waiting).
   * Outcomes arrive on the {@link MatrixConfig#callbackExecutor()}, by default on a transport
   * thread: do not block there. Cancelling a sync with timeout zero drops its outcome; only
   * {@link AsyncSyncSource#cancel()} aborts the blocking request itself.
   *
   * @param longPolls carries the long polls (see {@link LongPollTransport#shared()})
   * @param blockingSyncs runs syncs with timeout zero; {@link #syncSource()} or a streaming variant
   */
  public AsyncSyncSource asyncSyncSource(LongPollTransport longPolls, SyncSource blockingSyncs) {
    Objects.requireNonNull(longPolls, "longPolls");
    Objects.requireNonNull(blockingSyncs, "blockingSyncs");
    return transport.asyncSyncSource(
        longPolls.engine(), request -> syncRequest(request, false), blockingSyncs);
  }

  // ---------------------------------------------------------------- auth

  /**
   * {@code GET /login}: the login types the server offers.
   *
   * @return the call; its result is the offered login flows
   */
  public MatrixCall<List<LoginFlow>> loginFlows() {
    return call(request("GET", V3 + "/login").unauthenticated().decode(Codecs::loginFlows));
  }

  /**
   * {@code POST /login}. On success this client switches to the new credentials. An
   * application-service login ({@link LoginRequest#appService}) is sent with this client's
   * {@code as_token}.
   *
   * @param login the login; not null
   * @return the call; its result is the new session
   */
  public MatrixCall<LoginResponse> login(LoginRequest login) {
    Objects.requireNonNull(login, "login");
    ApiRequest.Builder builder =
        request("POST", V3 + "/login").jsonBody(w -> Codecs.login(w, login)).secret(login.secret());
    if (LoginRequest.APPLICATION_SERVICE.equals(login.type())) {
      builder.noMasquerade();
    } else {
      builder.unauthenticated();
    }
    return call(
        builder.build(
            ResponseReader.json(Codecs::loginResponse)
                .andThen(response -> transport.credentials(response.credentials()))));
  }

  /**
   * {@code POST /register}. A server that wants user-interactive authentication answers with
   * {@link UserInteractiveAuthException}: repeat with
   * {@link RegisterRequest#withAuth(io.melo.matrix.auth.UserInteractiveAuth)} naming its session.
   * On success (without {@code inhibit_login}) this client switches to the new credentials. An
   * application-service registration is sent with this client's {@code as_token}.
   *
   * @param register the registration; not null
   * @return the call; its result is the new account (and session, unless login was inhibited)
   */
  public MatrixCall<RegisterResponse> register(RegisterRequest register) {
    Objects.requireNonNull(register, "register");
    ApiRequest.Builder builder =
        request("POST", V3 + "/register")
            .query("kind", "user")
            .jsonBody(w -> Codecs.register(w, register))
            .secret(register.password())
            .secret(register.auth() == null ? null : register.auth().secret());
    if (register.isAppService()) {
      builder.noMasquerade();
    } else {
      builder.unauthenticated();
    }
    return call(
        builder.build(
            ResponseReader.json(Codecs::registerResponse)
                .andThen(response -> response.credentials().ifPresent(transport::credentials))));
  }

  /**
   * {@code POST /refresh}: exchanges a refresh token for a new access token. Sent without the
   * (expired) access token. Does not change this client's credentials: a
   * {@link CredentialsProvider} returns them. Retried after a lost answer: the specification keeps
   * the old refresh token valid until the new tokens are first used.
   *
   * @param refreshToken the refresh token; empty is an {@link IllegalArgumentException}
   * @return the call; its result is the new tokens
   */
  public MatrixCall<RefreshResponse> refresh(String refreshToken) {
    requireText(refreshToken, "refreshToken");
    return call(
        request("POST", V3 + "/refresh")
            .unauthenticated()
            .idempotent()
            .jsonBody(w -> w.name("refresh_token").value(refreshToken))
            .secret(refreshToken)
            .decode(Codecs::refreshResponse));
  }

  /**
   * {@code POST /logout}: invalidates this client's access token.
   *
   * @return the call
   */
  public MatrixCall<Void> logout() {
    return call(request("POST", V3 + "/logout").build(ResponseReader.ignoring()));
  }

  /**
   * {@code POST /logout/all}: invalidates every access token of the user.
   *
   * @return the call
   */
  public MatrixCall<Void> logoutAll() {
    return call(request("POST", V3 + "/logout/all").build(ResponseReader.ignoring()));
  }

  /**
   * {@code GET /account/whoami}.
   *
   * @return the call; its result is the user (and device) the token belongs to
   */
  public MatrixCall<Whoami> whoami() {
    return call(request("GET", V3 + "/account/whoami").decode(Codecs::whoami));
  }

  // ---------------------------------------------------------------- membership

  /**
   * {@code GET /joined_rooms}.
   *
   * @return the call; its result is the ids of the rooms the user is joined to
   */
  public MatrixCall<List<String>> joinedRooms() {
    return call(
        request("GET", V3 + "/joined_rooms").decode(Codecs.stringListField("joined_rooms", "joined rooms")));
  }

  /**
   * {@code POST /join/{roomIdOrAlias}}, with {@code via} sent as both {@code via} and the older
   * {@code server_name} query parameters. Repeating a join is harmless, so it is retried like a GET.
   *
   * @param via servers to join through (needed for a room this server does not know); may be empty
   * @param reason the reason, or null
   * @param roomIdOrAlias a room id ({@code !...}) or alias ({@code #...}); not empty
   * @return the joined room's id
   */
  public MatrixCall<String> join(String roomIdOrAlias, List<String> via, String reason) {
    ApiRequest.Builder builder = request("POST", V3 + "/join/{roomIdOrAlias}", roomIdOrAlias).idempotent();
    for (String server : via) {
      builder.query("via", requireText(server, "via server"));
    }
    for (String server : via) {
      builder.query("server_name", server);
    }
    return call(
        builder
            .jsonBody(w -> Json.field(w, "reason", reason))
            .decode(Codecs.stringField("room_id", "join response")));
  }

  /**
   * {@code POST /join/{roomIdOrAlias}} without {@code via} or reason.
   *
   * @param roomIdOrAlias a room id ({@code !...}) or alias ({@code #...}); not empty
   * @return the call; its result is the joined room's id
   */
  public MatrixCall<String> join(String roomIdOrAlias) {
    return join(roomIdOrAlias, List.of(), null);
  }

  /**
   * {@code POST /rooms/{roomId}/leave}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param reason the reason, or null
   * @return the call
   */
  public MatrixCall<Void> leave(String roomId, String reason) {
    return call(
        request("POST", V3 + "/rooms/{roomId}/leave", roomId)
            .jsonBody(w -> Json.field(w, "reason", reason))
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code POST /rooms/{roomId}/forget}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call
   */
  public MatrixCall<Void> forget(String roomId) {
    return call(request("POST", V3 + "/rooms/{roomId}/forget", roomId).build(ResponseReader.ignoring()));
  }

  /**
   * {@code POST /rooms/{roomId}/invite}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param userId the user to invite; not empty
   * @param reason the reason, or null
   * @return the call
   */
  public MatrixCall<Void> invite(String roomId, String userId, String reason) {
    return membership("invite", roomId, userId, reason);
  }

  /**
   * {@code POST /rooms/{roomId}/kick}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param userId the user to kick; not empty
   * @param reason the reason, or null
   * @return the call
   */
  public MatrixCall<Void> kick(String roomId, String userId, String reason) {
    return membership("kick", roomId, userId, reason);
  }

  /**
   * {@code POST /rooms/{roomId}/ban}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param userId the user to ban; not empty
   * @param reason the reason, or null
   * @return the call
   */
  public MatrixCall<Void> ban(String roomId, String userId, String reason) {
    return membership("ban", roomId, userId, reason);
  }

  /**
   * {@code POST /rooms/{roomId}/unban}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param userId the user to unban; not empty
   * @param reason the reason, or null
   * @return the call
   */
  public MatrixCall<Void> unban(String roomId, String userId, String reason) {
    return membership("unban", roomId, userId, reason);
  }

  private MatrixCall<Void> membership(String action, String roomId, String userId, String reason) {
    requireText(userId, "userId");
    return call(
        request("POST", V3 + "/rooms/{roomId}/" + action, roomId)
            .jsonBody(
                w -> {
                  w.name("user_id").value(userId);
                  Json.field(w, "reason", reason);
                })
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code GET /rooms/{roomId}/joined_members}: members by user id.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is the joined members' display names and avatars by user id
   */
  public MatrixCall<Map<String, JoinedMember>> joinedMembers(String roomId) {
    return call(request("GET", V3 + "/rooms/{roomId}/joined_members", roomId).decode(Codecs::joinedMembers));
  }

  // ---------------------------------------------------------------- aliases and directory

  /**
   * {@code GET /directory/room/{roomAlias}}: works without credentials too.
   *
   * @param roomAlias the alias, such as {@code #lobby:example.org}; not empty
   * @return the call; its result is the room id and servers that know it
   */
  public MatrixCall<AliasResolution> resolveAlias(String roomAlias) {
    return call(
        request("GET", V3 + "/directory/room/{roomAlias}", roomAlias)
            .optionalAuth()
            .decode(Codecs::aliasResolution));
  }

  /**
   * {@code PUT /directory/room/{roomAlias}}: points a new alias at {@code roomId}.
   *
   * @param roomAlias the new alias; not empty
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call
   */
  public MatrixCall<Void> createAlias(String roomAlias, String roomId) {
    requireText(roomId, "roomId");
    return call(
        request("PUT", V3 + "/directory/room/{roomAlias}", roomAlias)
            .jsonBody(w -> w.name("room_id").value(roomId))
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code DELETE /directory/room/{roomAlias}}.
   *
   * @param roomAlias the alias to delete; not empty
   * @return the call
   */
  public MatrixCall<Void> deleteAlias(String roomAlias) {
    return call(request("DELETE", V3 + "/directory/room/{roomAlias}", roomAlias).build(ResponseReader.ignoring()));
  }

  /**
   * {@code GET /rooms/{roomId}/aliases}: the room's local aliases.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is the aliases
   */
  public MatrixCall<List<String>> roomAliases(String roomId) {
    return call(
        request("GET", V3 + "/rooms/{roomId}/aliases", roomId)
            .decode(Codecs.stringListField("aliases", "room aliases")));
  }

  /**
   * {@code GET /directory/list/room/{roomId}}: whether the room is in the public directory.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @return the call; its result is the visibility
   */
  public MatrixCall<Visibility> directoryVisibility(String roomId) {
    return call(
        request("GET", V3 + "/directory/list/room/{roomId}", roomId).optionalAuth().decode(Codecs::visibility));
  }

  /**
   * {@code PUT /directory/list/room/{roomId}}.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param visibility the new visibility; not null
   * @return the call
   */
  public MatrixCall<Void> setDirectoryVisibility(String roomId, Visibility visibility) {
    Objects.requireNonNull(visibility, "visibility");
    return call(
        request("PUT", V3 + "/directory/list/room/{roomId}", roomId)
            .idempotent()
            .jsonBody(w -> w.name("visibility").value(visibility.wireName()))
            .build(ResponseReader.ignoring()));
  }

  // ---------------------------------------------------------------- profile and presence

  /**
   * {@code GET /profile/{userId}}.
   *
   * @param userId the user's id; not empty
   * @return the call; its result is the display name and avatar URL
   */
  public MatrixCall<Profile> profile(String userId) {
    return call(request("GET", V3 + "/profile/{userId}", userId).optionalAuth().decode(Codecs::profile));
  }

  /**
   * {@code GET /profile/{userId}/displayname}; empty when not set.
   *
   * @param userId the user's id; not empty
   * @return the call; its result is the display name
   */
  public MatrixCall<Optional<String>> displayName(String userId) {
    return call(
        request("GET", V3 + "/profile/{userId}/displayname", userId)
            .optionalAuth()
            .decode(reader -> Optional.ofNullable(Codecs.profile(reader).displayName())));
  }

  /**
   * {@code PUT /profile/{userId}/displayname} for this client's user.
   *
   * @param displayName the new display name; not null
   * @return the call
   */
  public MatrixCall<Void> setDisplayName(String displayName) {
    Objects.requireNonNull(displayName, "displayName");
    return call(
        request("PUT", V3 + "/profile/{userId}/displayname", me())
            .idempotent()
            .jsonBody(w -> w.name("displayname").value(displayName))
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code GET /profile/{userId}/avatar_url}; empty when not set.
   *
   * @param userId the user's id; not empty
   * @return the call; its result is the avatar's {@code mxc://} URL
   */
  public MatrixCall<Optional<String>> avatarUrl(String userId) {
    return call(
        request("GET", V3 + "/profile/{userId}/avatar_url", userId)
            .optionalAuth()
            .decode(reader -> Optional.ofNullable(Codecs.profile(reader).avatarUrl())));
  }

  /**
   * {@code PUT /profile/{userId}/avatar_url} for this client's user.
   *
   * @param avatarUrl the avatar's URI; not null
   * @return the call
   */
  public MatrixCall<Void> setAvatarUrl(MxcUri avatarUrl) {
    Objects.requireNonNull(avatarUrl, "avatarUrl");
    return call(
        request("PUT", V3 + "/profile/{userId}/avatar_url", me())
            .idempotent()
            .jsonBody(w -> w.name("avatar_url").value(avatarUrl.toString()))
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code GET /presence/{userId}/status}.
   *
   * @param userId the user's id; not empty
   * @return the call; its result is the user's presence
   */
  public MatrixCall<Presence> presence(String userId) {
    return call(request("GET", V3 + "/presence/{userId}/status", userId).decode(Codecs::presence));
  }

  /**
   * {@code PUT /presence/{userId}/status} for this client's user.
   *
   * @param presence {@link Presence#ONLINE}, {@link Presence#OFFLINE} or {@link Presence#UNAVAILABLE}
   * @param statusMsg the status message, or null
   * @return the call
   */
  public MatrixCall<Void> setPresence(String presence, String statusMsg) {
    requireText(presence, "presence");
    return call(
        request("PUT", V3 + "/presence/{userId}/status", me())
            .idempotent()
            .jsonBody(
                w -> {
                  w.name("presence").value(presence);
                  Json.field(w, "status_msg", statusMsg);
                })
            .build(ResponseReader.ignoring()));
  }

  // ---------------------------------------------------------------- typing, receipts, markers

  /**
   * {@code PUT /rooms/{roomId}/typing/{userId}} for this client's user.
   *
   * @param timeout how long the typing notice lasts (when {@code typing}); null for the server's default
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param typing true while typing, false to stop
   * @return the call
   */
  public MatrixCall<Void> typing(String roomId, boolean typing, Duration timeout) {
    return call(
        request("PUT", V3 + "/rooms/{roomId}/typing/{userId}", roomId, me())
            .idempotent()
            .jsonBody(
                w -> {
                  w.name("typing").value(typing);
                  if (typing && timeout != null) {
                    w.name("timeout").value(timeout.toMillis());
                  }
                })
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}}.
   *
   * @param receiptType {@code m.read}, {@code m.read.private} or {@code m.fully_read}
   * @param threadId the thread ({@code main} or a thread root event id), or null for an unthreaded receipt
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param eventId the event read up to; not empty
   * @return the call
   */
  public MatrixCall<Void> receipt(String roomId, String receiptType, String eventId, String threadId) {
    return call(
        request("POST", V3 + "/rooms/{roomId}/receipt/{receiptType}/{eventId}", roomId, receiptType, eventId)
            .idempotent()
            .jsonBody(w -> Json.field(w, "thread_id", threadId))
            .build(ResponseReader.ignoring()));
  }

  /**
   * {@code POST /rooms/{roomId}/read_markers}. Null arguments are left out; at least one must be set.
   *
   * @param roomId the room id ({@code !...}); empty is an {@link IllegalArgumentException}
   * @param fullyRead the {@code m.fully_read} event id, or null
   * @param read the {@code m.read} event id, or null
   * @param readPrivate the {@code m.read.private} event id, or null
   * @return the call
   */
  public MatrixCall<Void> readMarkers(String roomId, String fullyRead, String read, String readPrivate) {
    if (fullyRead == null && read == null && readPrivate == null) {
      throw new IllegalArgumentException("set at least one of fullyRead, read, readPrivate");
    }
    return call(
        request("POST", V3 + "/rooms/{roomId}/read_markers", roomId)
            .idempotent()
            .jsonBody(
                w -> {
                  Json.field(w, "m.fully_read", fullyRead);
                  Json.field(w, "m.read", read);
                  Json.field(w, "m.read.private", readPrivate);
                })
            .build(ResponseReader.ignoring()));
  }

  // ---------------------------------------------------------------- media

  /**
   * {@code POST /_matrix/media/v3/upload}. Not retried once sent (a repeat would store a second copy).
   *
   * @param contentType the MIME type, such as {@code image/png}
   * @param fileName the file name, or null
   * @param content the bytes to upload; not null
   * @return the new content's URI
   */
  public MatrixCall<MxcUri> upload(byte[] content, String contentType, String fileName) {
    Objects.requireNonNull(content, "content");
    MediaType type = MediaType.parse(requireText(contentType, "contentType"));
    if (type == null) {
      throw new IllegalArgumentException("contentType is not a MIME type: " + contentType);
    }
    return upload(RequestBody.create(content, type), fileName);
  }

  /**
   * {@code POST /_matrix/media/v3/upload} streaming a file instead of holding it in memory. Not
   * retried once sent.
   *
   * @param contentType the MIME type
   * @param fileName the file name to announce, or null
   * @param file a readable file; another is an {@link IllegalArgumentException}
   * @return the new content's URI
   */
  public MatrixCall<MxcUri> upload(java.io.File file, String contentType, String fileName) {
    Objects.requireNonNull(file, "file");
    if (!file.isFile()) {
      throw new IllegalArgumentException("not a readable file: " + file);
    }
    MediaType type = MediaType.parse(requireText(contentType, "contentType"));
    if (type == null) {
      throw new IllegalArgumentException("contentType is not a MIME type: " + contentType);
    }
    return upload(RequestBody.create(file, type), fileName);
  }

  private MatrixCall<MxcUri> upload(RequestBody body, String fileName) {
    return call(
        request("POST", "/_matrix/media/v3/upload")
            .query("filename", fileName)
            .body(body)
            .decode(
                reader -> {
                  String uri = Codecs.stringField("content_uri", "upload response").read(reader);
                  try {
                    return MxcUri.parse(uri);
                  } catch (IllegalArgumentException e) {
                    throw new com.squareup.moshi.JsonDataException(
                        "upload response has an invalid content_uri: " + e.getMessage());
                  }
                }));
  }

  /**
   * Downloads media: {@code GET /_matrix/client/v1/media/download/..} (authenticated) when the
   * server advertises it in {@code /versions}, else the legacy {@code /_matrix/media/v3/download/..}.
   * Asks {@code /versions} first if this client does not know the answer yet.
   *
   * @param uri the media's URI; not null
   * @return the call; its result is the content, its type and file name
   */
  public MatrixCall<Media> download(MxcUri uri) {
    Objects.requireNonNull(uri, "uri");
    return withVersions(
        v -> {
          ApiRequest.Builder builder =
              v.supportsAuthenticatedMedia()
                  ? request("GET", V1 + "/media/download/{serverName}/{mediaId}", uri.serverName(), uri.mediaId())
                  : request("GET", "/_matrix/media/v3/download/{serverName}/{mediaId}", uri.serverName(), uri.mediaId())
                      .query("allow_redirect", "true")
                      .optionalAuth();
          return call(builder.build(MediaReader.INSTANCE));
        });
  }

  /**
   * Downloads a thumbnail, choosing authenticated media like {@link #download(MxcUri)}.
   *
   * @param width the desired width in pixels, positive
   * @param height the desired height in pixels, positive
   * @param uri the media's URI; not null
   * @param method {@code scale} or {@code crop}; not null
   * @return the call; its result is the thumbnail's content and type
   */
  public MatrixCall<Media> thumbnail(MxcUri uri, int width, int height, ThumbnailMethod method) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(method, "method");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("width and height must be positive, were " + width + "x" + height);
    }
    return withVersions(
        v -> {
          ApiRequest.Builder builder =
              v.supportsAuthenticatedMedia()
                  ? request("GET", V1 + "/media/thumbnail/{serverName}/{mediaId}", uri.serverName(), uri.mediaId())
                  : request("GET", "/_matrix/media/v3/thumbnail/{serverName}/{mediaId}", uri.serverName(), uri.mediaId())
                      .query("allow_redirect", "true")
                      .optionalAuth();
          builder.query("width", width).query("height", height).query("method", method.wireName());
          return call(builder.build(MediaReader.INSTANCE));
        });
  }

  private <T> MatrixCall<T> withVersions(java.util.function.Function<Versions, MatrixCall<T>> then) {
    Versions known = versions;
    if (known != null) {
      return then.apply(known);
    }
    return new ChainedCall<>(versions(), then);
  }
}
