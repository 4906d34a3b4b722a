package io.melo.testkit;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The Client-Server API endpoints that {@link FakeHomeserver} serves, by name: used to aim a fault at
 * a request ({@link Faults#next(Endpoint)}) and to read {@link RecordedCall#endpoint()}.
 *
 * <p>Each endpoint has one HTTP method and one or more path templates. A template starting with
 * {@code /_} or {@code /.} is absolute; otherwise it is relative to its {@link Area}. A segment
 * {@code {name}} captures one percent-decoded path segment (never empty); {@code {name?}} may be empty,
 * which is how a state path with an empty state key keeps its trailing slash.
 */
public enum Endpoint {
  /** {@code GET /_matrix/client/versions}. */
  VERSIONS("GET", Area.ROOT, "/_matrix/client/versions"),
  /** {@code GET /.well-known/matrix/client}. */
  WELL_KNOWN("GET", Area.ROOT, "/.well-known/matrix/client"),
  /** {@code GET /capabilities}. */
  CAPABILITIES("GET", Area.CLIENT, "/capabilities"),
  /** {@code GET /pushrules/} (with or without the trailing slash). */
  PUSH_RULES("GET", Area.CLIENT, "/pushrules/", "/pushrules"),
  /** {@code GET /pushrules/global/}: the global ruleset alone. */
  PUSH_RULES_GLOBAL("GET", Area.CLIENT, "/pushrules/global/", "/pushrules/global"),
  /** {@code GET /pushrules/{scope}/{kind}/{ruleId}}. */
  GET_PUSH_RULE("GET", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}"),
  /** {@code PUT /pushrules/{scope}/{kind}/{ruleId}} (with {@code before}/{@code after}). */
  SET_PUSH_RULE("PUT", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}"),
  /** {@code DELETE /pushrules/{scope}/{kind}/{ruleId}}. */
  DELETE_PUSH_RULE("DELETE", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}"),
  /** {@code GET /pushrules/{scope}/{kind}/{ruleId}/enabled}. */
  GET_PUSH_RULE_ENABLED("GET", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}/enabled"),
  /** {@code PUT /pushrules/{scope}/{kind}/{ruleId}/enabled}. */
  SET_PUSH_RULE_ENABLED("PUT", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}/enabled"),
  /** {@code GET /pushrules/{scope}/{kind}/{ruleId}/actions}. */
  GET_PUSH_RULE_ACTIONS("GET", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}/actions"),
  /** {@code PUT /pushrules/{scope}/{kind}/{ruleId}/actions}. */
  SET_PUSH_RULE_ACTIONS("PUT", Area.CLIENT, "/pushrules/{scope}/{kind}/{ruleId}/actions"),
  /** {@code POST /user/{userId}/filter}. */
  CREATE_FILTER("POST", Area.CLIENT, "/user/{userId}/filter"),
  /** {@code GET /user/{userId}/filter/{filterId}}. */
  GET_FILTER("GET", Area.CLIENT, "/user/{userId}/filter/{filterId}"),
  /** {@code POST /register}: user-interactive, dummy, or application service registration. */
  REGISTER("POST", Area.CLIENT, "/register"),
  /** {@code GET /register/available}. */
  REGISTER_AVAILABLE("GET", Area.CLIENT, "/register/available"),
  /** {@code GET /login}: the supported login flows. */
  LOGIN_FLOWS("GET", Area.CLIENT, "/login"),
  /** {@code POST /login}. */
  LOGIN("POST", Area.CLIENT, "/login"),
  /** {@code POST /refresh}. */
  REFRESH("POST", Area.CLIENT, "/refresh"),
  /** {@code POST /logout}. */
  LOGOUT("POST", Area.CLIENT, "/logout"),
  /** {@code POST /logout/all}. */
  LOGOUT_ALL("POST", Area.CLIENT, "/logout/all"),
  /** {@code GET /account/whoami}. */
  WHOAMI("GET", Area.CLIENT, "/account/whoami"),
  /** {@code GET /devices}: the user's devices. */
  DEVICES("GET", Area.CLIENT, "/devices"),
  /** {@code GET /devices/{deviceId}}. */
  GET_DEVICE("GET", Area.CLIENT, "/devices/{deviceId}"),
  /** {@code PUT /devices/{deviceId}}: sets the display name. */
  UPDATE_DEVICE("PUT", Area.CLIENT, "/devices/{deviceId}"),
  /** {@code DELETE /devices/{deviceId}}: behind password user-interactive auth. */
  DELETE_DEVICE("DELETE", Area.CLIENT, "/devices/{deviceId}"),
  /** {@code POST /delete_devices}: behind password user-interactive auth. */
  DELETE_DEVICES("POST", Area.CLIENT, "/delete_devices"),
  /** {@code POST /createRoom}. */
  CREATE_ROOM("POST", Area.CLIENT, "/createRoom"),
  /** {@code POST /join/{roomIdOrAlias}}. */
  JOIN("POST", Area.CLIENT, "/join/{roomIdOrAlias}"),
  /** {@code POST /rooms/{roomId}/join}. */
  JOIN_ROOM("POST", Area.CLIENT, "/rooms/{roomId}/join"),
  /** {@code POST /knock/{roomIdOrAlias}}. */
  KNOCK("POST", Area.CLIENT, "/knock/{roomIdOrAlias}"),
  /** {@code POST /rooms/{roomId}/upgrade}. */
  UPGRADE_ROOM("POST", Area.CLIENT, "/rooms/{roomId}/upgrade"),
  /** {@code POST /rooms/{roomId}/leave}. */
  LEAVE("POST", Area.CLIENT, "/rooms/{roomId}/leave"),
  /** {@code POST /rooms/{roomId}/forget}. */
  FORGET("POST", Area.CLIENT, "/rooms/{roomId}/forget"),
  /** {@code POST /rooms/{roomId}/invite}. */
  INVITE("POST", Area.CLIENT, "/rooms/{roomId}/invite"),
  /** {@code POST /rooms/{roomId}/kick}. */
  KICK("POST", Area.CLIENT, "/rooms/{roomId}/kick"),
  /** {@code POST /rooms/{roomId}/ban}. */
  BAN("POST", Area.CLIENT, "/rooms/{roomId}/ban"),
  /** {@code POST /rooms/{roomId}/unban}. */
  UNBAN("POST", Area.CLIENT, "/rooms/{roomId}/unban"),
  /** {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}}. */
  SEND_EVENT("PUT", Area.CLIENT, "/rooms/{roomId}/send/{eventType}/{txnId}"),
  /** {@code PUT /rooms/{roomId}/state/{eventType}/{stateKey}} (the state key may be empty or absent). */
  SET_STATE("PUT", Area.CLIENT, "/rooms/{roomId}/state/{eventType}/{stateKey?}",
      "/rooms/{roomId}/state/{eventType}"),
  /** {@code GET /rooms/{roomId}/state/{eventType}/{stateKey}} (the state key may be empty or absent). */
  GET_STATE_EVENT("GET", Area.CLIENT, "/rooms/{roomId}/state/{eventType}/{stateKey?}",
      "/rooms/{roomId}/state/{eventType}"),
  /** {@code GET /rooms/{roomId}/state}: the whole current state. */
  GET_STATE("GET", Area.CLIENT, "/rooms/{roomId}/state"),
  /** {@code PUT /rooms/{roomId}/redact/{eventId}/{txnId}}. */
  REDACT("PUT", Area.CLIENT, "/rooms/{roomId}/redact/{eventId}/{txnId}"),
  /** {@code GET /rooms/{roomId}/event/{eventId}}. */
  GET_EVENT("GET", Area.CLIENT, "/rooms/{roomId}/event/{eventId}"),
  /** {@code GET /rooms/{roomId}/context/{eventId}}. */
  CONTEXT("GET", Area.CLIENT, "/rooms/{roomId}/context/{eventId}"),
  /** {@code GET /rooms/{roomId}/messages}. */
  MESSAGES("GET", Area.CLIENT, "/rooms/{roomId}/messages"),
  /** {@code GET /rooms/{roomId}/members}. */
  MEMBERS("GET", Area.CLIENT, "/rooms/{roomId}/members"),
  /** {@code GET /rooms/{roomId}/joined_members}. */
  JOINED_MEMBERS("GET", Area.CLIENT, "/rooms/{roomId}/joined_members"),
  /** {@code GET /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]} (v1). */
  RELATIONS("GET", Area.CLIENT, "/rooms/{roomId}/relations/{eventId}",
      "/rooms/{roomId}/relations/{eventId}/{relType}",
      "/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}"),
  /** {@code GET /rooms/{roomId}/timestamp_to_event} (v1). */
  TIMESTAMP_TO_EVENT("GET", Area.CLIENT, "/rooms/{roomId}/timestamp_to_event"),
  /** {@code GET /rooms/{roomId}/threads} (v1). */
  THREADS("GET", Area.CLIENT, "/rooms/{roomId}/threads"),
  /** {@code GET /rooms/{roomId}/hierarchy} (v1). */
  HIERARCHY("GET", Area.CLIENT, "/rooms/{roomId}/hierarchy"),
  /** {@code PUT /rooms/{roomId}/typing/{userId}}. */
  TYPING("PUT", Area.CLIENT, "/rooms/{roomId}/typing/{userId}"),
  /** {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}}. */
  RECEIPT("POST", Area.CLIENT, "/rooms/{roomId}/receipt/{receiptType}/{eventId}"),
  /** {@code POST /rooms/{roomId}/read_markers}. */
  READ_MARKERS("POST", Area.CLIENT, "/rooms/{roomId}/read_markers"),
  /** {@code GET /rooms/{roomId}/aliases}. */
  ROOM_ALIASES("GET", Area.CLIENT, "/rooms/{roomId}/aliases"),
  /** {@code PUT /directory/room/{roomAlias}}. */
  SET_ALIAS("PUT", Area.CLIENT, "/directory/room/{roomAlias}"),
  /** {@code GET /directory/room/{roomAlias}}: needs no access token. */
  GET_ALIAS("GET", Area.CLIENT, "/directory/room/{roomAlias}"),
  /** {@code DELETE /directory/room/{roomAlias}}. */
  DELETE_ALIAS("DELETE", Area.CLIENT, "/directory/room/{roomAlias}"),
  /** {@code GET /directory/list/room/{roomId}}. */
  GET_VISIBILITY("GET", Area.CLIENT, "/directory/list/room/{roomId}"),
  /** {@code PUT /directory/list/room/{roomId}}. */
  SET_VISIBILITY("PUT", Area.CLIENT, "/directory/list/room/{roomId}"),
  /** {@code GET /publicRooms}. */
  PUBLIC_ROOMS("GET", Area.CLIENT, "/publicRooms"),
  /** {@code POST /publicRooms} (with a filter). */
  SEARCH_PUBLIC_ROOMS("POST", Area.CLIENT, "/publicRooms"),
  /** {@code GET /joined_rooms}. */
  JOINED_ROOMS("GET", Area.CLIENT, "/joined_rooms"),
  /** {@code GET /sync}: long poll. */
  SYNC("GET", Area.CLIENT, "/sync"),
  /** {@code GET /profile/{userId}}. */
  GET_PROFILE("GET", Area.CLIENT, "/profile/{userId}"),
  /** {@code GET /profile/{userId}/{keyName}} ({@code displayname}, {@code avatar_url}, ...). */
  GET_PROFILE_FIELD("GET", Area.CLIENT, "/profile/{userId}/{keyName}"),
  /** {@code PUT /profile/{userId}/{keyName}}. */
  SET_PROFILE_FIELD("PUT", Area.CLIENT, "/profile/{userId}/{keyName}"),
  /** {@code DELETE /profile/{userId}/{keyName}} (Matrix 1.16 profile fields). */
  DELETE_PROFILE_FIELD("DELETE", Area.CLIENT, "/profile/{userId}/{keyName}"),
  /** {@code GET /user/{userId}/account_data/{type}}. */
  GET_ACCOUNT_DATA("GET", Area.CLIENT, "/user/{userId}/account_data/{type}"),
  /** {@code PUT /user/{userId}/account_data/{type}}. */
  SET_ACCOUNT_DATA("PUT", Area.CLIENT, "/user/{userId}/account_data/{type}"),
  /** {@code GET /user/{userId}/rooms/{roomId}/account_data/{type}}. */
  GET_ROOM_ACCOUNT_DATA("GET", Area.CLIENT, "/user/{userId}/rooms/{roomId}/account_data/{type}"),
  /** {@code PUT /user/{userId}/rooms/{roomId}/account_data/{type}}. */
  SET_ROOM_ACCOUNT_DATA("PUT", Area.CLIENT, "/user/{userId}/rooms/{roomId}/account_data/{type}"),
  /** {@code GET /user/{userId}/rooms/{roomId}/tags}. */
  GET_TAGS("GET", Area.CLIENT, "/user/{userId}/rooms/{roomId}/tags"),
  /** {@code PUT /user/{userId}/rooms/{roomId}/tags/{tag}}. */
  SET_TAG("PUT", Area.CLIENT, "/user/{userId}/rooms/{roomId}/tags/{tag}"),
  /** {@code DELETE /user/{userId}/rooms/{roomId}/tags/{tag}}. */
  DELETE_TAG("DELETE", Area.CLIENT, "/user/{userId}/rooms/{roomId}/tags/{tag}"),
  /** {@code GET /presence/{userId}/status}. */
  GET_PRESENCE("GET", Area.CLIENT, "/presence/{userId}/status"),
  /** {@code PUT /presence/{userId}/status}. */
  SET_PRESENCE("PUT", Area.CLIENT, "/presence/{userId}/status"),
  /** {@code POST /search}: server-side search over room events. */
  SEARCH("POST", Area.CLIENT, "/search"),
  /** {@code POST /user_directory/search}. */
  USER_DIRECTORY_SEARCH("POST", Area.CLIENT, "/user_directory/search"),
  /**
   * {@code GET /voip/turnServer}: the configured {@link TurnServer}'s credentials, or 404 {@code
   * M_NOT_FOUND} when none is configured (the answer MSC4166 proposes and conduwuit gives; Synapse
   * answers {@code {}}, which the spec's schema does not allow).
   */
  TURN_SERVER("GET", Area.CLIENT, "/voip/turnServer"),
  /** {@code GET /thirdparty/protocols}: no bridged protocols, {@code {}}. */
  THIRDPARTY_PROTOCOLS("GET", Area.CLIENT, "/thirdparty/protocols"),
  /** {@code GET /account/3pid}: the fake binds no third-party identifiers, an empty list. */
  THREEPIDS("GET", Area.CLIENT, "/account/3pid"),
  /**
   * {@code POST /_matrix/client/v1/appservice/{appserviceId}/ping}: the configured application services
   * have no URL, so the answer is the spec's 400 {@code M_URL_NOT_SET} (403 for another service's token).
   */
  APPSERVICE_PING("POST", Area.CLIENT, "/appservice/{appserviceId}/ping"),
  /** {@code POST /rooms/{roomId}/report/{eventId}}: reports an event (kept for {@code FakeHomeserver#reports()}). */
  REPORT_EVENT("POST", Area.CLIENT, "/rooms/{roomId}/report/{eventId}"),
  /** {@code POST /rooms/{roomId}/report}: reports a room. */
  REPORT_ROOM("POST", Area.CLIENT, "/rooms/{roomId}/report"),
  /** {@code POST /users/{userId}/report}: reports a user. */
  REPORT_USER("POST", Area.CLIENT, "/users/{userId}/report"),
  /**
   * {@code GET /room_summary/{roomIdOrAlias}} (v1): a room's summary, also without an access token for a
   * public, knockable or world-readable room.
   */
  ROOM_SUMMARY("GET", Area.CLIENT, "/room_summary/{roomIdOrAlias}"),
  /** {@code GET /notifications}: the events the user's push rules notified about, newest first. */
  NOTIFICATIONS("GET", Area.CLIENT, "/notifications"),
  /** {@code GET /pushers}: the pushers the user set (the fake stores them; it never pushes). */
  GET_PUSHERS("GET", Area.CLIENT, "/pushers"),
  /** {@code POST /pushers/set}: adds, replaces or (kind null) removes a pusher. */
  SET_PUSHER("POST", Area.CLIENT, "/pushers/set"),
  /** {@code POST /upload} on the media paths. */
  MEDIA_UPLOAD("POST", Area.MEDIA, "/upload"),
  /** {@code POST /_matrix/media/v1/create}: reserves an {@code mxc://} URI for an asynchronous upload. */
  MEDIA_CREATE("POST", Area.ROOT, "/_matrix/media/v1/create"),
  /** {@code PUT /upload/{serverName}/{mediaId}} on the legacy media paths: the content of a reserved URI. */
  MEDIA_UPLOAD_TO("PUT", Area.MEDIA, "/upload/{serverName}/{mediaId}"),
  /** {@code GET /download/{serverName}/{mediaId}[/{fileName}]} on the media paths. */
  MEDIA_DOWNLOAD("GET", Area.MEDIA, "/download/{serverName}/{mediaId}",
      "/download/{serverName}/{mediaId}/{fileName}"),
  /** {@code GET /thumbnail/{serverName}/{mediaId}} on the media paths: answers the original. */
  MEDIA_THUMBNAIL("GET", Area.MEDIA, "/thumbnail/{serverName}/{mediaId}"),
  /** {@code GET /config} on the media paths. */
  MEDIA_CONFIG("GET", Area.MEDIA, "/config");

  /** Where an endpoint's relative templates live. */
  public enum Area {
    /** Absolute paths. */
    ROOT,
    /** Under {@code /_matrix/client/{r0,v3,v1,unstable}}. */
    CLIENT,
    /**
     * Under the legacy {@code /_matrix/media/{v3,r0}} and the authenticated
     * {@code /_matrix/client/v1/media} (upload only on the legacy path).
     */
    MEDIA
  }

  private final String method;
  private final Area area;
  private final List<String> templates;

  Endpoint(String method, Area area, String... templates) {
    this.method = method;
    this.area = area;
    this.templates = Collections.unmodifiableList(Arrays.asList(templates));
  }

  /** {@return the HTTP method, upper case} */
  public String method() {
    return method;
  }

  /** {@return which path prefix the templates are relative to} */
  public Area area() {
    return area;
  }

  /** {@return the path templates, relative to {@link #area()} unless it is {@link Area#ROOT}} */
  public List<String> templates() {
    return templates;
  }
}
