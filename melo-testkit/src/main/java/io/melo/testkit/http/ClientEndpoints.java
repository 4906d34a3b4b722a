package io.melo.testkit.http;

import io.melo.testkit.Endpoint;
import io.melo.testkit.TurnServer;
import io.melo.testkit.json.Fields;
import io.melo.testkit.model.Homeserver;
import io.melo.testkit.model.MatrixError;
import io.melo.testkit.model.Media;
import io.melo.testkit.model.Requester;
import io.melo.testkit.model.SyncRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wires every model-backed endpoint: authenticates the request, takes its parameters from the path,
 * query and body, calls the {@link Homeserver} and shapes the answer (exactly {@code {}} where
 * matrix-nio insists). Internal: not API.
 */
public final class ClientEndpoints {
  private final Supplier<Homeserver> model;
  private final TurnServer turn;

  private ClientEndpoints(Supplier<Homeserver> model, TurnServer turn) {
    this.model = model;
    this.turn = turn;
  }

  /**
   * Installs the handlers; {@code model} is read per request, so a reset can swap it. {@code turn} is
   * the TURN server {@code /voip/turnServer} offers (null: none configured, answered 404 {@code
   * M_NOT_FOUND}).
   *
   * @param d the dispatcher to register the handlers on
   * @param model supplies the current model for each request
   * @param turn the TURN server to offer, or null for none
   */
  public static void install(MatrixDispatcher d, Supplier<Homeserver> model, TurnServer turn) {
    new ClientEndpoints(model, turn).installAll(d);
  }

  private Homeserver hs() {
    return model.get();
  }

  private Requester auth(Exchange ex) {
    Requester requester = hs().authenticate(ex.accessToken(), ex.query("user_id"), ex.peerAddress());
    String restriction = hs().restriction(requester.userId());
    if (restriction != null) {
      Endpoint endpoint = ex.endpoint();
      if (restriction.equals("M_USER_LOCKED") && !LOCKED_ALLOWED.contains(endpoint)) {
        throw MatrixError.userLocked();
      }
      if (restriction.equals("M_USER_SUSPENDED") && SUSPENDED_REFUSED.contains(endpoint)) {
        throw new MatrixError(403, "M_USER_SUSPENDED", "This account has been suspended: it may not " + endpoint);
      }
    }
    return requester;
  }

  /** What a locked account may still do (spec: whoami, logout, logout all). */
  private static final java.util.Set<Endpoint> LOCKED_ALLOWED =
      java.util.EnumSet.of(Endpoint.WHOAMI, Endpoint.LOGOUT, Endpoint.LOGOUT_ALL);

  /** What a suspended account may not do: writes that reach other users; leaving and redacting stay allowed. */
  private static final java.util.Set<Endpoint> SUSPENDED_REFUSED = java.util.EnumSet.of(
      Endpoint.CREATE_ROOM, Endpoint.JOIN, Endpoint.JOIN_ROOM, Endpoint.KNOCK, Endpoint.UPGRADE_ROOM,
      Endpoint.INVITE, Endpoint.KICK, Endpoint.BAN, Endpoint.UNBAN, Endpoint.SEND_EVENT, Endpoint.SET_STATE,
      Endpoint.SET_PROFILE_FIELD, Endpoint.DELETE_PROFILE_FIELD, Endpoint.SET_ALIAS, Endpoint.MEDIA_UPLOAD,
      Endpoint.MEDIA_UPLOAD_TO);

  private void installAll(MatrixDispatcher d) {
    // Accounts.
    d.handle(Endpoint.REGISTER, ex -> Reply.json(hs().register(ex.jsonBody(), ex.query("kind"), ex.accessToken())));
    d.handle(Endpoint.REGISTER_AVAILABLE, ex -> Reply.json(hs().usernameAvailable(required(ex, "username"))));
    d.handle(Endpoint.LOGIN_FLOWS, ex -> Reply.json(hs().loginFlows()));
    d.handle(Endpoint.LOGIN, ex -> Reply.json(hs().login(ex.jsonBody(), ex.accessToken())));
    d.handle(Endpoint.REFRESH, ex -> Reply.json(hs().refresh(Fields.string(ex.jsonBody(), "refresh_token"))));
    d.handle(Endpoint.LOGOUT, ex -> {
      hs().logout(auth(ex));
      return Reply.empty();
    });
    d.handle(Endpoint.LOGOUT_ALL, ex -> {
      hs().logoutAll(auth(ex));
      return Reply.empty();
    });
    d.handle(Endpoint.WHOAMI, ex -> Reply.json(hs().whoami(auth(ex))));
    d.handle(Endpoint.DEVICES, ex -> Reply.json(hs().devices(auth(ex))));
    d.handle(Endpoint.GET_DEVICE, ex -> Reply.json(hs().device(auth(ex), ex.param("deviceId"))));
    d.handle(Endpoint.UPDATE_DEVICE, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      if (!body.containsKey("display_name")) {
        hs().device(r, ex.param("deviceId")); // the spec: no display_name leaves it unchanged (404 if unknown)
        return Reply.empty();
      }
      if (!(body.get("display_name") instanceof String)) {
        throw MatrixError.badJson("'display_name' must be a string");
      }
      hs().updateDevice(r, ex.param("deviceId"), (String) body.get("display_name"));
      return Reply.empty();
    });
    d.handle(Endpoint.DELETE_DEVICE, ex -> {
      Requester r = auth(ex);
      hs().deleteDevices(r, java.util.List.of(ex.param("deviceId")), Fields.optObject(ex.jsonBody(), "auth"));
      return Reply.empty();
    });
    d.handle(Endpoint.DELETE_DEVICES, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      java.util.List<String> ids = Fields.optStringList(body, "devices");
      if (ids == null) {
        throw MatrixError.missingParam("'devices' is required");
      }
      hs().deleteDevices(r, ids, Fields.optObject(body, "auth"));
      return Reply.empty();
    });
    d.handle(Endpoint.CAPABILITIES, ex -> {
      auth(ex);
      return Reply.json(Map.of("capabilities", capabilities()));
    });
    d.handle(Endpoint.PUSH_RULES, ex -> Reply.json(hs().pushRules(auth(ex))));
    d.handle(Endpoint.PUSH_RULES_GLOBAL, ex -> Reply.json(hs().pushRules(auth(ex)).get("global")));
    d.handle(Endpoint.GET_PUSH_RULE, ex -> Reply.json(hs().pushRule(auth(ex), ex.param("scope"), ex.param("kind"),
        ex.param("ruleId"))));
    d.handle(Endpoint.SET_PUSH_RULE, ex -> {
      Requester r = auth(ex);
      hs().putPushRule(r, ex.param("scope"), ex.param("kind"), ex.param("ruleId"), ex.jsonBody(),
          ex.query("before"), ex.query("after"));
      return Reply.empty();
    });
    d.handle(Endpoint.DELETE_PUSH_RULE, ex -> {
      hs().deletePushRule(auth(ex), ex.param("scope"), ex.param("kind"), ex.param("ruleId"));
      return Reply.empty();
    });
    d.handle(Endpoint.GET_PUSH_RULE_ENABLED, ex -> Reply.json(Map.of("enabled", hs().pushRule(auth(ex),
        ex.param("scope"), ex.param("kind"), ex.param("ruleId")).get("enabled"))));
    d.handle(Endpoint.SET_PUSH_RULE_ENABLED, ex -> {
      Requester r = auth(ex);
      boolean enabled = requiredBoolean(ex.jsonBody(), "enabled");
      hs().updatePushRule(r, ex.param("scope"), ex.param("kind"), ex.param("ruleId"), enabled, null);
      return Reply.empty();
    });
    d.handle(Endpoint.GET_PUSH_RULE_ACTIONS, ex -> Reply.json(Map.of("actions", hs().pushRule(auth(ex),
        ex.param("scope"), ex.param("kind"), ex.param("ruleId")).get("actions"))));
    d.handle(Endpoint.SET_PUSH_RULE_ACTIONS, ex -> {
      Requester r = auth(ex);
      java.util.List<Object> actions = Fields.optList(ex.jsonBody(), "actions");
      if (actions == null) {
        throw MatrixError.missingParam("'actions' is required");
      }
      hs().updatePushRule(r, ex.param("scope"), ex.param("kind"), ex.param("ruleId"), null, actions);
      return Reply.empty();
    });
    d.handle(Endpoint.CREATE_FILTER, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().createFilter(r, ex.param("userId"), ex.jsonBody()));
    });
    d.handle(Endpoint.GET_FILTER, ex -> Reply.json(hs().filter(auth(ex), ex.param("userId"), ex.param("filterId"))));

    // Rooms and membership.
    d.handle(Endpoint.CREATE_ROOM, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().createRoom(r, ex.jsonBody()));
    });
    d.handle(Endpoint.JOIN, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().join(r, ex.param("roomIdOrAlias"), reason(ex)));
    });
    d.handle(Endpoint.JOIN_ROOM, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().join(r, ex.param("roomId"), reason(ex)));
    });
    d.handle(Endpoint.KNOCK, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().knock(r, ex.param("roomIdOrAlias"), reason(ex)));
    });
    d.handle(Endpoint.UPGRADE_ROOM, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().upgradeRoom(r, ex.param("roomId"), Fields.string(ex.jsonBody(), "new_version")));
    });
    d.handle(Endpoint.LEAVE, ex -> {
      Requester r = auth(ex);
      hs().leave(r, ex.param("roomId"), reason(ex));
      return Reply.empty();
    });
    d.handle(Endpoint.FORGET, ex -> {
      hs().forget(auth(ex), ex.param("roomId"));
      return Reply.empty();
    });
    d.handle(Endpoint.INVITE, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().invite(r, ex.param("roomId"), Fields.string(body, "user_id"), Fields.optString(body, "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.KICK, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().kick(r, ex.param("roomId"), Fields.string(body, "user_id"), Fields.optString(body, "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.BAN, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().ban(r, ex.param("roomId"), Fields.string(body, "user_id"), Fields.optString(body, "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.UNBAN, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().unban(r, ex.param("roomId"), Fields.string(body, "user_id"), Fields.optString(body, "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.JOINED_ROOMS, ex -> Reply.json(hs().joinedRooms(auth(ex))));

    // Events and state.
    d.handle(Endpoint.SEND_EVENT, ex -> {
      Requester r = auth(ex);
      String id = hs().sendEvent(r, ex.param("roomId"), ex.param("eventType"), ex.param("txnId"), ex.jsonBody());
      return Reply.json(Map.of("event_id", id));
    });
    d.handle(Endpoint.SET_STATE, ex -> {
      Requester r = auth(ex);
      String id = hs().sendState(r, ex.param("roomId"), ex.param("eventType"), stateKey(ex), ex.jsonBody());
      return Reply.json(Map.of("event_id", id));
    });
    d.handle(Endpoint.GET_STATE_EVENT, ex -> {
      Requester r = auth(ex);
      if ("event".equals(ex.query("format"))) {
        return Reply.json(hs().stateEventJson(r, ex.param("roomId"), ex.param("eventType"), stateKey(ex)));
      }
      return Reply.json(hs().stateContent(r, ex.param("roomId"), ex.param("eventType"), stateKey(ex)));
    });
    d.handle(Endpoint.GET_STATE, ex -> Reply.json(hs().state(auth(ex), ex.param("roomId"))));
    d.handle(Endpoint.REDACT, ex -> {
      Requester r = auth(ex);
      String id = hs().redact(r, ex.param("roomId"), ex.param("eventId"), ex.param("txnId"), reason(ex));
      return Reply.json(Map.of("event_id", id));
    });
    d.handle(Endpoint.GET_EVENT, ex -> Reply.json(hs().event(auth(ex), ex.param("roomId"), ex.param("eventId"))));
    d.handle(Endpoint.CONTEXT, ex -> Reply.json(hs().context(auth(ex), ex.param("roomId"), ex.param("eventId"),
        longQuery(ex, "limit"), token(ex, "filter"))));
    d.handle(Endpoint.MESSAGES, ex -> {
      String dir = ex.query("dir") == null ? "b" : ex.query("dir");
      return Reply.json(hs().messages(auth(ex), ex.param("roomId"), token(ex, "from"), token(ex, "to"), dir,
          longQuery(ex, "limit"), token(ex, "filter")));
    });
    d.handle(Endpoint.MEMBERS, ex -> Reply.json(hs().members(auth(ex), ex.param("roomId"), ex.query("at"),
        ex.query("membership"), ex.query("not_membership"))));
    d.handle(Endpoint.JOINED_MEMBERS, ex -> Reply.json(hs().joinedMembers(auth(ex), ex.param("roomId"))));
    d.handle(Endpoint.RELATIONS, ex -> {
      String dir = ex.query("dir") == null ? "b" : ex.query("dir");
      boolean recurse = "true".equals(ex.query("recurse")) || "true".equals(ex.query("org.matrix.msc3981.recurse"));
      return Reply.json(hs().relations(auth(ex), ex.param("roomId"), ex.param("eventId"), ex.param("relType"),
          ex.param("eventType"), token(ex, "from"), token(ex, "to"), longQuery(ex, "limit"), dir, recurse));
    });
    d.handle(Endpoint.TIMESTAMP_TO_EVENT, ex -> {
      Requester r = auth(ex);
      Long ts = longQuery(ex, "ts");
      if (ts == null) {
        throw MatrixError.missingParam("'ts' query parameter is required");
      }
      return Reply.json(hs().timestampToEvent(r, ex.param("roomId"), ts, required(ex, "dir")));
    });
    d.handle(Endpoint.THREADS, ex -> Reply.json(hs().threads(auth(ex), ex.param("roomId"), ex.query("include"),
        token(ex, "from"), longQuery(ex, "limit"))));
    d.handle(Endpoint.HIERARCHY, ex -> Reply.json(hs().hierarchy(auth(ex), ex.param("roomId"), token(ex, "from"),
        longQuery(ex, "limit"), longQuery(ex, "max_depth"), "true".equals(ex.query("suggested_only")))));

    // Ephemeral: typing, receipts, read markers.
    d.handle(Endpoint.TYPING, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      boolean typing = requiredBoolean(body, "typing");
      Long timeout = Fields.optInteger(body, "timeout");
      hs().setTyping(r, ex.param("roomId"), ex.param("userId"), typing, timeout);
      hs().markActive(r);
      return Reply.empty();
    });
    d.handle(Endpoint.RECEIPT, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().sendReceipt(r, ex.param("roomId"), ex.param("receiptType"), ex.param("eventId"),
          Fields.optString(body, "thread_id"));
      hs().markActive(r);
      return Reply.empty();
    });
    d.handle(Endpoint.READ_MARKERS, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().setReadMarkers(r, ex.param("roomId"), Fields.optString(body, "m.fully_read"),
          Fields.optString(body, "m.read"), Fields.optString(body, "m.read.private"));
      hs().markActive(r);
      return Reply.empty();
    });

    // Aliases and the room directory.
    d.handle(Endpoint.ROOM_ALIASES, ex -> Reply.json(hs().roomAliases(auth(ex), ex.param("roomId"))));
    d.handle(Endpoint.SET_ALIAS, ex -> {
      Requester r = auth(ex);
      hs().createAlias(r, ex.param("roomAlias"), Fields.string(ex.jsonBody(), "room_id"));
      return Reply.empty();
    });
    d.handle(Endpoint.GET_ALIAS, ex -> Reply.json(hs().resolveAlias(ex.param("roomAlias"))));
    d.handle(Endpoint.DELETE_ALIAS, ex -> {
      hs().deleteAlias(auth(ex), ex.param("roomAlias"));
      return Reply.empty();
    });
    d.handle(Endpoint.GET_VISIBILITY, ex -> Reply.json(hs().directoryVisibility(ex.param("roomId"))));
    d.handle(Endpoint.SET_VISIBILITY, ex -> {
      Requester r = auth(ex);
      hs().setDirectoryVisibility(r, ex.param("roomId"), Fields.string(ex.jsonBody(), "visibility"));
      return Reply.empty();
    });
    d.handle(Endpoint.PUBLIC_ROOMS, ex -> Reply.json(hs().publicRooms(longQuery(ex, "limit"), token(ex, "since"),
        null)));
    d.handle(Endpoint.SEARCH_PUBLIC_ROOMS, ex -> {
      auth(ex);
      Map<String, Object> body = ex.jsonBody();
      Map<String, Object> filter = Fields.optObject(body, "filter");
      String term = filter == null ? null : Fields.optString(filter, "generic_search_term");
      return Reply.json(hs().publicRooms(Fields.optInteger(body, "limit"), Fields.optString(body, "since"), term));
    });

    // Sync.
    d.handle(Endpoint.SYNC, ex -> {
      Requester r = auth(ex);
      Long timeout = longQuery(ex, "timeout");
      if (timeout != null && timeout < 0) {
        throw MatrixError.invalidParam("'timeout' must not be negative");
      }
      String fullState = ex.query("full_state");
      // matrix-js-sdk asks with the unstable name of use_state_after (MSC4222) and then reads only the
      // unstable field name: it must get the answer under the name it asked with, or it sees no state.
      boolean stable = "true".equals(ex.query("use_state_after"));
      boolean unstable = !stable && "true".equals(ex.query("org.matrix.msc4222.use_state_after"));
      SyncRequest request = new SyncRequest(token(ex, "since"), token(ex, "filter"),
          "true".equals(fullState), timeout == null ? 0 : timeout, ex.query("set_presence"), stable || unstable);
      Map<String, Object> answer = hs().sync(r, request);
      return Reply.json(unstable ? withUnstableStateAfter(answer) : answer);
    });

    // Profiles, account data, presence, user directory.
    d.handle(Endpoint.GET_PROFILE, ex -> Reply.json(hs().profile(ex.param("userId"))));
    d.handle(Endpoint.GET_PROFILE_FIELD, ex ->
        Reply.json(hs().profileField(ex.param("userId"), ex.param("keyName"))));
    d.handle(Endpoint.SET_PROFILE_FIELD, ex -> {
      Requester r = auth(ex);
      String key = ex.param("keyName");
      Map<String, Object> body = ex.jsonBody();
      if (!body.containsKey(key)) {
        throw MatrixError.missingParam("'" + key + "' is required");
      }
      hs().setProfileValue(r, ex.param("userId"), key, body.get(key));
      return Reply.empty();
    });
    d.handle(Endpoint.DELETE_PROFILE_FIELD, ex -> {
      hs().deleteProfileField(auth(ex), ex.param("userId"), ex.param("keyName"));
      return Reply.empty();
    });
    d.handle(Endpoint.GET_ACCOUNT_DATA, ex ->
        Reply.json(hs().accountData(auth(ex), ex.param("userId"), null, ex.param("type"))));
    d.handle(Endpoint.SET_ACCOUNT_DATA, ex -> {
      Requester r = auth(ex);
      hs().setAccountData(r, ex.param("userId"), null, ex.param("type"), ex.jsonBody());
      return Reply.empty();
    });
    d.handle(Endpoint.GET_ROOM_ACCOUNT_DATA, ex ->
        Reply.json(hs().accountData(auth(ex), ex.param("userId"), ex.param("roomId"), ex.param("type"))));
    d.handle(Endpoint.SET_ROOM_ACCOUNT_DATA, ex -> {
      Requester r = auth(ex);
      hs().setAccountData(r, ex.param("userId"), ex.param("roomId"), ex.param("type"), ex.jsonBody());
      return Reply.empty();
    });
    d.handle(Endpoint.GET_TAGS, ex -> Reply.json(hs().tags(auth(ex), ex.param("userId"), ex.param("roomId"))));
    d.handle(Endpoint.SET_TAG, ex -> {
      Requester r = auth(ex);
      hs().setTag(r, ex.param("userId"), ex.param("roomId"), ex.param("tag"), ex.jsonBody());
      return Reply.empty();
    });
    d.handle(Endpoint.DELETE_TAG, ex -> {
      Requester r = auth(ex);
      hs().setTag(r, ex.param("userId"), ex.param("roomId"), ex.param("tag"), null);
      return Reply.empty();
    });
    d.handle(Endpoint.GET_PRESENCE, ex -> Reply.json(hs().presence(auth(ex), ex.param("userId"))));
    d.handle(Endpoint.SET_PRESENCE, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      hs().setPresence(r, ex.param("userId"), Fields.string(body, "presence"), Fields.optString(body, "status_msg"));
      return Reply.empty();
    });
    d.handle(Endpoint.SEARCH, ex -> {
      Requester r = auth(ex);
      return Reply.json(hs().search(r, ex.jsonBody(), token(ex, "next_batch")));
    });
    d.handle(Endpoint.USER_DIRECTORY_SEARCH, ex -> {
      Requester r = auth(ex);
      Map<String, Object> body = ex.jsonBody();
      return Reply.json(hs().searchUsers(r, Fields.string(body, "search_term"),
          Fields.optInteger(body, "limit", 10)));
    });

    // Settings pages and call set-up: honest answers for what the fake does not offer.
    d.handle(Endpoint.TURN_SERVER, ex -> {
      auth(ex);
      if (turn == null) {
        // The spec's schema requires credentials and URIs; an empty uris list would make WebRTC reject
        // the ICE server (SyntaxError) and break calls that work without TURN. So: the error MSC4166
        // proposes (conduwuit sends it too). matrix-js-sdk treats it as "no TURN" and retries later.
        throw MatrixError.notFound("No TURN server is configured on this homeserver");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("username", turn.username());
      body.put("password", turn.password());
      body.put("uris", turn.uris());
      body.put("ttl", turn.ttl().getSeconds());
      return Reply.json(body);
    });
    d.handle(Endpoint.THIRDPARTY_PROTOCOLS, ex -> {
      auth(ex);
      return Reply.json(new LinkedHashMap<String, Object>());
    });
    d.handle(Endpoint.THREEPIDS, ex -> {
      auth(ex);
      return Reply.json(Map.of("threepids", java.util.List.of()));
    });
    d.handle(Endpoint.NOTIFICATIONS, ex -> Reply.json(hs().notifications(auth(ex), token(ex, "from"),
        longQuery(ex, "limit"), ex.query("only"))));
    d.handle(Endpoint.ROOM_SUMMARY, ex -> {
      Requester r = ex.accessToken() == null ? null : auth(ex);
      return Reply.json(hs().roomSummary(r, ex.param("roomIdOrAlias")));
    });
    d.handle(Endpoint.REPORT_EVENT, ex -> {
      Requester r = auth(ex);
      hs().report(r, ex.param("roomId"), ex.param("eventId"), null, Fields.optString(ex.jsonBody(), "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.REPORT_ROOM, ex -> {
      Requester r = auth(ex);
      hs().report(r, ex.param("roomId"), null, null, Fields.string(ex.jsonBody(), "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.REPORT_USER, ex -> {
      Requester r = auth(ex);
      hs().report(r, null, null, ex.param("userId"), Fields.string(ex.jsonBody(), "reason"));
      return Reply.empty();
    });
    d.handle(Endpoint.APPSERVICE_PING, ex -> {
      Requester r = auth(ex);
      if (!r.isAppservice() || !r.appserviceId().equals(ex.param("appserviceId"))) {
        throw MatrixError.forbidden("Provided access token is not the as_token of application service "
            + ex.param("appserviceId"));
      }
      ex.jsonBody();
      throw new MatrixError(400, "M_URL_NOT_SET", "Application service " + r.appserviceId()
          + " has no URL configured on this homeserver");
    });
    d.handle(Endpoint.GET_PUSHERS, ex -> Reply.json(hs().pushers(auth(ex))));
    d.handle(Endpoint.SET_PUSHER, ex -> {
      Requester r = auth(ex);
      hs().setPusher(r, ex.jsonBody());
      return Reply.empty();
    });

    // Media.
    d.handle(Endpoint.MEDIA_UPLOAD, ex -> {
      Requester r = auth(ex);
      String type = ex.headers().get("Content-Type");
      return Reply.json(hs().upload(r, ex.body(), type, ex.query("filename")));
    });
    d.handle(Endpoint.MEDIA_CREATE, ex -> {
      Requester r = auth(ex);
      ex.jsonBody(); // the spec's body is an empty object; anything but JSON is refused
      return Reply.json(hs().createMedia(r));
    });
    d.handle(Endpoint.MEDIA_UPLOAD_TO, ex -> {
      Requester r = auth(ex);
      hs().uploadToMxc(r, ex.param("serverName"), ex.param("mediaId"), ex.body(), ex.headers().get("Content-Type"),
          ex.query("filename"));
      return Reply.json(new LinkedHashMap<String, Object>());
    });
    d.handle(Endpoint.MEDIA_DOWNLOAD, ex -> media(ex, ex.param("fileName")));
    d.handle(Endpoint.MEDIA_THUMBNAIL, ex -> media(ex, null));
    d.handle(Endpoint.MEDIA_CONFIG, ex -> {
      // Both the authenticated and the legacy /_matrix/media/{v3,r0}/config require a token (spec).
      auth(ex);
      return Reply.json(hs().mediaConfig());
    });
  }

  private Reply media(Exchange ex, String fileName) {
    if (authenticatedMedia(ex)) {
      auth(ex);
    }
    Long timeout = longQuery(ex, "timeout_ms");
    if (timeout != null && timeout < 0) {
      throw MatrixError.invalidParam("'timeout_ms' must not be negative");
    }
    // The spec's default wait for content not uploaded yet is 20 s; the server imposes at most 60 s.
    long wait = timeout == null ? 20_000 : Math.min(timeout, 60_000);
    Media m = hs().media(ex.param("serverName"), ex.param("mediaId"), wait);
    String name = fileName != null ? fileName : m.filename();
    Map<String, String> headers = new LinkedHashMap<>();
    String disposition = inline(m.contentType()) ? "inline" : "attachment";
    if (name != null) {
      disposition += "; filename*=utf-8''" + encodeRfc5987(name);
    }
    headers.put("Content-Disposition", disposition);
    headers.put("Cross-Origin-Resource-Policy", "cross-origin");
    headers.put("Content-Security-Policy",
        "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline';"
        + " media-src 'self'; object-src 'self';");
    return Reply.bytes(m.bytes(), m.contentType(), headers);
  }

  private static boolean authenticatedMedia(Exchange ex) {
    return ex.rawPath().startsWith("/_matrix/client/");
  }

  private static boolean inline(String contentType) {
    String t = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("image/") || t.startsWith("video/") || t.startsWith("audio/") || t.startsWith("text/plain");
  }

  private static String encodeRfc5987(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  private static Map<String, Object> capabilities() {
    Map<String, Object> available = new LinkedHashMap<>();
    for (String v : Homeserver.SUPPORTED_ROOM_VERSIONS) {
      available.put(v, "stable");
    }
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("m.change_password", Map.of("enabled", false));
    caps.put("m.room_versions", Map.of("default", Homeserver.DEFAULT_ROOM_VERSION, "available", available));
    caps.put("m.set_displayname", Map.of("enabled", true));
    caps.put("m.set_avatar_url", Map.of("enabled", true));
    caps.put("m.3pid_changes", Map.of("enabled", false));
    caps.put("m.get_login_token", Map.of("enabled", false));
    return caps;
  }

  /** A pagination or since token: empty counts as absent (as Synapse reads it; matrix-nio sends {@code from=}). */
  private static String token(Exchange ex, String name) {
    String v = ex.query(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static String stateKey(Exchange ex) {
    String key = ex.param("stateKey");
    return key == null ? "" : key;
  }

  private static String reason(Exchange ex) {
    return Fields.optString(ex.jsonBody(), "reason");
  }

  private static String required(Exchange ex, String name) {
    String v = ex.query(name);
    if (v == null) {
      throw MatrixError.missingParam("'" + name + "' query parameter is required");
    }
    return v;
  }

  private static boolean requiredBoolean(Map<String, Object> body, String key) {
    Object v = body.get(key);
    if (v == null) {
      throw MatrixError.missingParam("'" + key + "' is required");
    }
    if (!(v instanceof Boolean)) {
      throw MatrixError.badJson("'" + key + "' must be a boolean");
    }
    return (Boolean) v;
  }

  /** A copy of a sync answer whose rooms carry {@code state_after} under MSC4222's unstable name. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withUnstableStateAfter(Map<String, Object> sync) {
    Object rooms = sync.get("rooms");
    if (!(rooms instanceof Map)) {
      return sync;
    }
    Map<String, Object> newRooms = new LinkedHashMap<>((Map<String, Object>) rooms);
    for (String section : new String[] {"join", "leave"}) {
      Object byRoom = newRooms.get(section);
      if (!(byRoom instanceof Map)) {
        continue;
      }
      Map<String, Object> newByRoom = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) byRoom).entrySet()) {
        Object room = e.getValue();
        if (room instanceof Map && ((Map<String, Object>) room).containsKey("state_after")) {
          Map<String, Object> renamed = new LinkedHashMap<>();
          for (Map.Entry<String, Object> f : ((Map<String, Object>) room).entrySet()) {
            String key = f.getKey().equals("state_after") ? "org.matrix.msc4222.state_after" : f.getKey();
            renamed.put(key, f.getValue());
          }
          room = renamed;
        }
        newByRoom.put(e.getKey(), room);
      }
      newRooms.put(section, newByRoom);
    }
    Map<String, Object> out = new LinkedHashMap<>(sync);
    out.put("rooms", newRooms);
    return out;
  }

  /** A numeric query parameter, or null when absent. */
  static Long longQuery(Exchange ex, String name) {
    String v = ex.query(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw MatrixError.invalidParam("'" + name + "' must be an integer, was: " + abbreviate(v));
    }
  }

  private static String abbreviate(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "..." : v;
  }
}
