package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.auth.LoginFlow;
import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.RegisterResponse;
import io.melo.matrix.auth.UserInteractiveAuth;
import io.melo.matrix.auth.Whoami;
import io.melo.matrix.discovery.Capabilities;
import io.melo.matrix.discovery.Versions;
import io.melo.matrix.discovery.WellKnown;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.room.AliasResolution;
import io.melo.matrix.room.CreateRoomRequest;
import io.melo.matrix.room.Direction;
import io.melo.matrix.room.EventContext;
import io.melo.matrix.room.EventPage;
import io.melo.matrix.room.Hierarchy;
import io.melo.matrix.room.JoinedMember;
import io.melo.matrix.room.Messages;
import io.melo.matrix.room.Visibility;
import io.melo.matrix.user.Presence;
import io.melo.matrix.user.Profile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointsTest extends SpecCheckedTest {

  static final String ROOM = "!lobby:example.org";
  static final String ROOM_ENC = "!lobby%3Aexample.org";
  static final String EVENT = "$ev1:example.org";
  static final String EVENT_ENC = "%24ev1%3Aexample.org";
  static final String ALICE_ENC = "%40alice%3Aexample.org";
  static final String V3 = "/_matrix/client/v3";

  static String q(String json) {
    return json.replace('\'', '"');
  }

  static String event(String id, String type, String content) {
    return q("{'event_id':'" + id + "','type':'" + type + "','sender':'@bob:example.org','origin_server_ts':1700000000000,"
        + "'room_id':'" + ROOM + "','content':" + content + "}");
  }

  static String message(String id, String body) {
    return event(id, "m.room.message", "{'msgtype':'m.text','body':'" + body + "'}");
  }

  // ---------------------------------------------------------------- discovery

  @Test
  void wellKnown() throws Exception {
    WellKnown known = exchange("GET", "/.well-known/matrix/client", null,
        q("{'m.homeserver':{'base_url':'https://matrix.example.org'},'m.identity_server':{'base_url':'https://id.example.org'}}"),
        client::wellKnown);
    assertThat(known.homeserverBaseUrl()).isEqualTo("https://matrix.example.org");
    assertThat(known.identityServer()).contains("https://id.example.org");
    assertThat(last.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void versions() throws Exception {
    Versions versions = exchange("GET", "/_matrix/client/versions", null,
        q("{'versions':['r0.6.1','v1.1','v1.10'],'unstable_features':{'org.matrix.msc3916.stable':true,'x':false}}"),
        client::versions);
    assertThat(versions.atLeast(1, 10)).isTrue();
    assertThat(versions.atLeast(1, 11)).isFalse();
    assertThat(versions.supportsAuthenticatedMedia()).isTrue();
    assertThat(client.knownVersions()).contains(versions);
  }

  @Test
  void capabilities() throws Exception {
    Capabilities caps = exchange("GET", V3 + "/capabilities", null,
        q("{'capabilities':{'m.change_password':{'enabled':false},'m.room_versions':{'default':'10',"
            + "'available':{'10':'stable','11':'stable'}},'com.example.custom':{'max':100}}}"),
        client::capabilities);
    assertThat(caps.defaultRoomVersion()).contains("10");
    assertThat(caps.enabled("m.change_password", true)).isFalse();
    assertThat(caps.get("com.example.custom").get().toJson()).isEqualTo("{\"max\":100}");
  }

  // ---------------------------------------------------------------- auth

  @Test
  void loginFlows() throws Exception {
    List<LoginFlow> flows = exchange("GET", V3 + "/login", null,
        q("{'flows':[{'type':'m.login.password'},{'type':'m.login.token','get_login_token':true},{'type':'x.future'}]}"),
        client::loginFlows);
    assertThat(flows).extracting(LoginFlow::type).containsExactly("m.login.password", "m.login.token", "x.future");
    assertThat(flows.get(1).getLoginToken()).isTrue();
  }

  @Test
  void loginWithPasswordSwitchesCredentials() throws Exception {
    try (MatrixClient anonymous = MatrixClient.create(config)) {
      LoginResponse login = exchange("POST", V3 + "/login",
          "{'type':'m.login.password','identifier':{'type':'m.id.user','user':'alice'},'password':'pw_secret',"
              + "'initial_device_display_name':'Melo','refresh_token':true}",
          q("{'user_id':'@alice:example.org','access_token':'tok_new','device_id':'DEV2','refresh_token':'rt',"
              + "'expires_in_ms':300000,'well_known':{'m.homeserver':{'base_url':'https://m.example.org'}}}"),
          () -> anonymous.login(LoginRequest.password("alice", "pw_secret")
              .withInitialDeviceDisplayName("Melo").withRefreshToken(true)));
      assertThat(login.expiresIn()).contains(Duration.ofMinutes(5));
      assertThat(login.homeserverBaseUrl()).contains("https://m.example.org");
      assertThat(anonymous.credentials().get().accessToken()).isEqualTo("tok_new");
      assertThat(anonymous.userId()).contains("@alice:example.org");
      assertThat(last.getHeaders().get("Authorization")).isNull();
    }
  }

  @Test
  void loginWithToken() throws Exception {
    exchange("POST", V3 + "/login", "{'type':'m.login.token','token':'login_tok','device_id':'DEV1'}",
        q("{'user_id':'@alice:example.org','access_token':'t','device_id':'DEV1'}"),
        () -> client.login(LoginRequest.token("login_tok").withDeviceId("DEV1")));
  }

  @Test
  void appServiceLoginUsesTheAsTokenWithoutUserId() throws Exception {
    ok(q("{'user_id':'@bot:example.org','access_token':'t','device_id':'D'}"));
    try (MatrixClient as = MatrixClient.create(config, MatrixCredentials.appService("as_tok", "@bot:example.org"))) {
      as.login(LoginRequest.appService("@bot:example.org")).execute();
    }
    var request = expect("POST", V3 + "/login");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer as_tok");
    assertThat(body(request)).isEqualTo(json(
        "{'type':'m.login.application_service','identifier':{'type':'m.id.user','user':'@bot:example.org'}}"));
    SPEC.operation("POST", V3 + "/login").assertValidRequest(request.getBody().utf8());
  }

  @Test
  void registerWithRegistrationToken() throws Exception {
    try (MatrixClient anonymous = MatrixClient.create(config)) {
      RegisterResponse response = exchange("POST", V3 + "/register?kind=user",
          "{'username':'carol','password':'pw','inhibit_login':true,"
              + "'auth':{'type':'m.login.registration_token','session':'s1','token':'reg_tok'}}",
          q("{'user_id':'@carol:example.org'}"),
          () -> anonymous.register(RegisterRequest.user("carol", "pw").withInhibitLogin(true)
              .withAuth(UserInteractiveAuth.registrationToken("reg_tok", "s1"))));
      assertThat(response.accessToken()).isEmpty();
      assertThat(anonymous.credentials()).isEmpty();
    }
  }

  @Test
  void registerForApplicationService() throws Exception {
    ok(q("{'user_id':'@bot_x:example.org','access_token':'t','device_id':'D'}"));
    try (MatrixClient as = MatrixClient.create(config, MatrixCredentials.appService("as_tok", "@bot:example.org"))) {
      as.register(RegisterRequest.appService("bot_x")).execute();
    }
    var request = expect("POST", V3 + "/register?kind=user");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer as_tok");
    assertThat(body(request)).isEqualTo(json("{'type':'m.login.application_service','username':'bot_x'}"));
    SPEC.operation("POST", V3 + "/register").assertValidRequest(request.getBody().utf8());
  }

  @Test
  void refresh() throws Exception {
    exchange("POST", V3 + "/refresh", "{'refresh_token':'rt'}", q("{'access_token':'a','expires_in_ms':1000}"),
        () -> client.refresh("rt"));
    assertThat(last.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void logoutAndLogoutAll() throws Exception {
    exchange("POST", V3 + "/logout", "{}", "{}", client::logout);
    exchange("POST", V3 + "/logout/all", "{}", "{}", client::logoutAll);
  }

  @Test
  void whoami() throws Exception {
    Whoami who = exchange("GET", V3 + "/account/whoami", null,
        q("{'user_id':'@alice:example.org','device_id':'DEVICE1','is_guest':false}"), client::whoami);
    assertThat(who).isEqualTo(new Whoami("@alice:example.org", "DEVICE1", false));
  }

  // ---------------------------------------------------------------- rooms

  @Test
  void createRoomWithEveryOption() throws Exception {
    JsonObject power = JsonObject.parseObject(q("{'users':{'@alice:example.org':101},'state_default':100}"));
    String id = exchange("POST", V3 + "/createRoom",
        "{'visibility':'private','room_alias_name':'hq','name':'HQ','topic':'t','invite':['@bob:example.org'],"
            + "'room_version':'10','creation_content':{'type':'m.space'},"
            + "'initial_state':[{'type':'m.room.guest_access','state_key':'','content':{'guest_access':'forbidden'}}],"
            + "'preset':'private_chat','is_direct':false,'power_level_content_override':"
            + "{'users':{'@alice:example.org':101},'state_default':100}}",
        q("{'room_id':'!new:example.org'}"),
        () -> client.createRoom(CreateRoomRequest.builder()
            .visibility(Visibility.PRIVATE).roomAliasName("hq").name("HQ").topic("t").invite("@bob:example.org")
            .roomVersion("10").creationContent(JsonObject.builder().put("type", "m.space").build())
            .initialState("m.room.guest_access", "", JsonObject.builder().put("guest_access", "forbidden").build())
            .preset(CreateRoomRequest.PRIVATE_CHAT).isDirect(false).powerLevelContentOverride(power).build()));
    assertThat(id).isEqualTo("!new:example.org");
    assertThat(last.getBody().utf8()).contains("\"@alice:example.org\":101}").doesNotContain("101.0");
  }

  @Test
  void joinByAliasWithVia() throws Exception {
    String id = exchange("POST", V3 + "/join/%23hq%3Aexample.org?via=example.org&via=other.org"
            + "&server_name=example.org&server_name=other.org", "{'reason':'hi'}",
        q("{'room_id':'!hq:example.org'}"),
        () -> client.join("#hq:example.org", List.of("example.org", "other.org"), "hi"));
    assertThat(id).isEqualTo("!hq:example.org");
    exchange("POST", V3 + "/join/" + ROOM_ENC, "{}", q("{'room_id':'" + ROOM + "'}"), () -> client.join(ROOM));
  }

  @Test
  void leaveForgetInviteKickBanUnban() throws Exception {
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/leave", "{}", "{}", () -> client.leave(ROOM, null));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/forget", "{}", "{}", () -> client.forget(ROOM));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/invite", "{'user_id':'@bob:example.org'}", "{}",
        () -> client.invite(ROOM, "@bob:example.org", null));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/kick", "{'user_id':'@bob:example.org','reason':'spam'}", "{}",
        () -> client.kick(ROOM, "@bob:example.org", "spam"));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/ban", "{'user_id':'@bob:example.org','reason':'spam'}", "{}",
        () -> client.ban(ROOM, "@bob:example.org", "spam"));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/unban", "{'user_id':'@bob:example.org'}", "{}",
        () -> client.unban(ROOM, "@bob:example.org", null));
  }

  @Test
  void joinedRoomsMembersAndJoinedMembers() throws Exception {
    assertThat(exchange("GET", V3 + "/joined_rooms", null, q("{'joined_rooms':['" + ROOM + "']}"), client::joinedRooms))
        .containsExactly(ROOM);
    String member = q("{'event_id':'$m1','type':'m.room.member','sender':'@bob:example.org','state_key':'@bob:example.org',"
        + "'origin_server_ts':1,'room_id':'" + ROOM + "','content':{'membership':'join'}}");
    List<RoomEvent> members = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/members?at=s1&membership=join", null,
        "{\"chunk\":[" + member + "]}", () -> client.members(ROOM, "s1", "join", null));
    assertThat(members).extracting(RoomEvent::stateKey).containsExactly("@bob:example.org");
    Map<String, JoinedMember> joined = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/joined_members", null,
        q("{'joined':{'@bob:example.org':{'display_name':'Bob','avatar_url':'mxc://example.org/abc'}}}"),
        () -> client.joinedMembers(ROOM));
    assertThat(joined).containsEntry("@bob:example.org", new JoinedMember("Bob", "mxc://example.org/abc"));
  }

  @Test
  void stateReadAndWrite() throws Exception {
    String name = q("{'event_id':'$n','type':'m.room.name','sender':'@alice:example.org','state_key':'',"
        + "'origin_server_ts':1,'room_id':'" + ROOM + "','content':{'name':'Lobby'}}");
    List<RoomEvent> state = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/state", null, "[" + name + "]",
        () -> client.state(ROOM));
    assertThat(state).extracting(RoomEvent::type).containsExactly("m.room.name");
    JsonObject levels = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/state/m.room.power_levels/", null,
        q("{'users':{'@alice:example.org':100},'ban':50,'x.custom':{'keep':true}}"),
        () -> client.stateEvent(ROOM, "m.room.power_levels", ""));
    String eventId = exchange("PUT", V3 + "/rooms/" + ROOM_ENC + "/state/m.room.power_levels/",
        "{'users':{'@alice:example.org':100},'ban':50,'x.custom':{'keep':true}}", q("{'event_id':'$p'}"),
        () -> client.setState(ROOM, "m.room.power_levels", "", levels));
    assertThat(eventId).isEqualTo("$p");
    exchange("PUT", V3 + "/rooms/" + ROOM_ENC + "/state/m.space.child/" + "!chan%3Aexample.org",
        "{'via':['example.org']}", q("{'event_id':'$c'}"),
        () -> client.setState(ROOM, "m.space.child", "!chan:example.org",
            JsonObject.builder().putStrings("via", List.of("example.org")).build()));
  }

  // ---------------------------------------------------------------- events

  @Test
  void sendUsesATransactionIdThatCopiesReuse() throws Exception {
    JsonObject content = JsonObject.parseObject(q("{'msgtype':'m.text','body':'hi'}"));
    MatrixCall<String> send = client.send(ROOM, "m.room.message", content);
    ok(q("{'event_id':'$s1'}"));
    ok(q("{'event_id':'$s1'}"));
    assertThat(send.execute()).isEqualTo("$s1");
    assertThat(send.copy().execute()).isEqualTo("$s1");
    String first = take().getTarget();
    String second = take().getTarget();
    assertThat(first).isEqualTo(second).matches(V3 + "/rooms/" + ROOM_ENC.replace("!", "\\!") + "/send/m\\.room\\.message/melo[A-Za-z0-9_-]{16}\\.\\d+");
    ok(q("{'event_id':'$s2'}"));
    client.send(ROOM, "m.room.message", content).execute();
    assertThat(take().getTarget()).isNotEqualTo(first);
    String explicit = exchange("PUT", V3 + "/rooms/" + ROOM_ENC + "/send/m.reaction/txn%2F1", null,
        q("{'event_id':'$r'}"), () -> client.send(ROOM, "m.reaction", content, "txn/1"));
    assertThat(explicit).isEqualTo("$r");
    SPEC.operation("PUT", last.getUrl().encodedPath()).assertValidResponse(200, q("{'event_id':'$r'}"));
  }

  @Test
  void sendRetriesAfterALostResponseWithTheSameTransactionId() throws Exception {
    server.enqueue(new mockwebserver3.MockResponse.Builder()
        .onResponseStart(mockwebserver3.SocketEffect.ShutdownConnection.INSTANCE).build());
    ok(q("{'event_id':'$once'}"));
    assertThat(client.send(ROOM, "m.room.message", JsonObject.builder().put("body", "x").build()).execute())
        .isEqualTo("$once");
    assertThat(take().getTarget()).isEqualTo(take().getTarget());
  }

  @Test
  void redactWithTransactionId() throws Exception {
    exchange("PUT", V3 + "/rooms/" + ROOM_ENC + "/redact/" + EVENT_ENC + "/t1", "{'reason':'oops'}",
        q("{'event_id':'$red'}"), () -> client.redact(ROOM, EVENT, "oops", "t1"));
    ok(q("{'event_id':'$red2'}"));
    MatrixCall<String> redact = client.redact(ROOM, EVENT, null);
    redact.execute();
    assertThat(take().getTarget()).matches(".*/redact/" + EVENT_ENC.replace("$", "\\$") + "/melo.*");
  }

  @Test
  void singleEvent() throws Exception {
    RoomEvent event = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/event/" + EVENT_ENC, null,
        message(EVENT, "hello"), () -> client.event(ROOM, EVENT));
    assertThat(event.eventId()).isEqualTo(EVENT);
    assertThat(event.content().getStringOrNull("body")).isEqualTo("hello");
  }

  @Test
  void messagesBackwardAndForwardWithFilter() throws Exception {
    JsonObject filter = JsonObject.parseObject(q("{'lazy_load_members':true,'limit':5}"));
    Messages back = exchange("GET", V3 + "/rooms/" + ROOM_ENC
            + "/messages?dir=b&from=t10&limit=2&filter=%7B%22lazy_load_members%22%3Atrue%2C%22limit%22%3A5%7D", null,
        "{\"start\":\"t10\",\"end\":\"t8\",\"chunk\":[" + message("$b", "2") + "," + message("$a", "1") + "]}",
        () -> client.messages(ROOM, Direction.BACKWARD, "t10", null, 2, filter));
    assertThat(back.chunk()).extracting(RoomEvent::eventId).containsExactly("$b", "$a");
    assertThat(back.next()).contains("t8");
    Messages forward = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/messages?dir=f&from=t8&to=t10", null,
        "{\"start\":\"t8\",\"chunk\":[]}", () -> client.messages(ROOM, Direction.FORWARD, "t8", "t10", null, null));
    assertThat(forward.next()).isEmpty();
  }

  @Test
  void context() throws Exception {
    EventContext context = exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/context/" + EVENT_ENC + "?limit=3", null,
        "{\"event\":" + message(EVENT, "x") + ",\"events_before\":[" + message("$p", "p") + "],"
            + "\"events_after\":[],\"start\":\"s\",\"end\":\"e\",\"state\":[]}",
        () -> client.context(ROOM, EVENT, 3, null));
    assertThat(context.event().eventId()).isEqualTo(EVENT);
    assertThat(context.eventsBefore()).hasSize(1);
  }

  @Test
  void relationsInAllThreeForms() throws Exception {
    String reaction = event("$r", "m.reaction",
        "{'m.relates_to':{'rel_type':'m.annotation','event_id':'" + EVENT + "','key':'👍'}}");
    EventPage all = exchange("GET", "/_matrix/client/v1/rooms/" + ROOM_ENC + "/relations/" + EVENT_ENC, null,
        "{\"chunk\":[" + reaction + "],\"next_batch\":\"n1\"}",
        () -> client.relations(ROOM, EVENT, null, null, null, null, null));
    assertThat(all.next()).contains("n1");
    exchange("GET", "/_matrix/client/v1/rooms/" + ROOM_ENC + "/relations/" + EVENT_ENC + "/m.annotation?dir=b", null,
        "{\"chunk\":[]}", () -> client.relations(ROOM, EVENT, "m.annotation", null, null, null, Direction.BACKWARD));
    exchange("GET", "/_matrix/client/v1/rooms/" + ROOM_ENC + "/relations/" + EVENT_ENC
            + "/m.annotation/m.reaction?from=n1&limit=10", null,
        "{\"chunk\":[]}", () -> client.relations(ROOM, EVENT, "m.annotation", "m.reaction", "n1", 10, null));
    assertThatThrownBy(() -> client.relations(ROOM, EVENT, null, "m.reaction", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void threads() throws Exception {
    EventPage threads = exchange("GET", "/_matrix/client/v1/rooms/" + ROOM_ENC + "/threads?include=participated&limit=5",
        null, "{\"chunk\":[" + message("$root", "r") + "]}", () -> client.threads(ROOM, "participated", null, 5));
    assertThat(threads.chunk()).hasSize(1);
  }

  @Test
  void hierarchy() throws Exception {
    Hierarchy hierarchy = exchange("GET", "/_matrix/client/v1/rooms/" + ROOM_ENC
            + "/hierarchy?limit=50&max_depth=1&suggested_only=true", null,
        q("{'rooms':[{'room_id':'" + ROOM + "','num_joined_members':3,'world_readable':false,'guest_can_join':false,"
            + "'room_type':'m.space','join_rule':'public','children_state':[{'type':'m.space.child',"
            + "'state_key':'!c:example.org','sender':'@alice:example.org','origin_server_ts':1,"
            + "'content':{'via':['example.org']}}]}],'next_batch':'nb'}"),
        () -> client.hierarchy(ROOM, null, 50, 1, true));
    assertThat(hierarchy.rooms().get(0).roomType()).isEqualTo("m.space");
    assertThat(hierarchy.rooms().get(0).childrenState()).extracting(c -> c.stateKey()).containsExactly("!c:example.org");
    assertThat(hierarchy.next()).contains("nb");
  }

  // ---------------------------------------------------------------- aliases and directory

  @Test
  void aliases() throws Exception {
    try (MatrixClient anonymous = MatrixClient.create(config)) {
      AliasResolution resolution = exchange("GET", V3 + "/directory/room/%23io.melo.invite.abc_-%3Aexample.org", null,
          q("{'room_id':'" + ROOM + "','servers':['example.org']}"),
          () -> anonymous.resolveAlias("#io.melo.invite.abc_-:example.org"));
      assertThat(resolution.servers()).containsExactly("example.org");
      assertThat(last.getHeaders().get("Authorization")).isNull();
    }
    exchange("PUT", V3 + "/directory/room/%23hq%3Aexample.org", "{'room_id':'" + ROOM + "'}", "{}",
        () -> client.createAlias("#hq:example.org", ROOM));
    exchange("DELETE", V3 + "/directory/room/%23hq%3Aexample.org", null, "{}", () -> client.deleteAlias("#hq:example.org"));
    assertThat(exchange("GET", V3 + "/rooms/" + ROOM_ENC + "/aliases", null, q("{'aliases':['#hq:example.org']}"),
        () -> client.roomAliases(ROOM))).containsExactly("#hq:example.org");
    assertThat(exchange("GET", V3 + "/directory/list/room/" + ROOM_ENC, null, q("{'visibility':'public'}"),
        () -> client.directoryVisibility(ROOM))).isEqualTo(Visibility.PUBLIC);
    exchange("PUT", V3 + "/directory/list/room/" + ROOM_ENC, "{'visibility':'private'}", "{}",
        () -> client.setDirectoryVisibility(ROOM, Visibility.PRIVATE));
  }

  // ---------------------------------------------------------------- account data, profile, presence

  @Test
  void accountData() throws Exception {
    JsonObject direct = JsonObject.parseObject(q("{'@bob:example.org':['!dm:example.org']}"));
    exchange("PUT", V3 + "/user/" + ALICE_ENC + "/account_data/m.direct", "{'@bob:example.org':['!dm:example.org']}",
        "{}", () -> client.setAccountData("m.direct", direct));
    assertThat(exchange("GET", V3 + "/user/" + ALICE_ENC + "/account_data/m.direct", null, direct.toJson(),
        () -> client.accountData("m.direct"))).isEqualTo(direct);
    exchange("PUT", V3 + "/user/" + ALICE_ENC + "/rooms/" + ROOM_ENC + "/account_data/m.tag", "{'tags':{}}", "{}",
        () -> client.setRoomAccountData(ROOM, "m.tag", JsonObject.builder().put("tags", JsonObject.EMPTY).build()));
    exchange("GET", V3 + "/user/" + ALICE_ENC + "/rooms/" + ROOM_ENC + "/account_data/m.tag", null, "{\"tags\":{}}",
        () -> client.roomAccountData(ROOM, "m.tag"));
  }

  @Test
  void profile() throws Exception {
    Profile profile = exchange("GET", V3 + "/profile/" + ALICE_ENC, null,
        q("{'displayname':'Alice','avatar_url':'mxc://example.org/av'}"), () -> client.profile(ALICE));
    assertThat(profile).isEqualTo(new Profile("Alice", "mxc://example.org/av"));
    assertThat(exchange("GET", V3 + "/profile/" + ALICE_ENC + "/displayname", null, q("{'displayname':'Alice'}"),
        () -> client.displayName(ALICE))).contains("Alice");
    assertThat(exchange("GET", V3 + "/profile/" + ALICE_ENC + "/avatar_url", null, "{}",
        () -> client.avatarUrl(ALICE))).isEqualTo(Optional.empty());
    exchange("PUT", V3 + "/profile/" + ALICE_ENC + "/displayname", "{'displayname':'Al'}", "{}",
        () -> client.setDisplayName("Al"));
    exchange("PUT", V3 + "/profile/" + ALICE_ENC + "/avatar_url", "{'avatar_url':'mxc://example.org/new'}", "{}",
        () -> client.setAvatarUrl(io.melo.matrix.media.MxcUri.parse("mxc://example.org/new")));
  }

  @Test
  void presence() throws Exception {
    Presence presence = exchange("GET", V3 + "/presence/" + ALICE_ENC + "/status", null,
        q("{'presence':'online','last_active_ago':420,'status_msg':'busy','currently_active':true}"),
        () -> client.presence(ALICE));
    assertThat(presence).isEqualTo(new Presence("online", 420L, "busy", true));
    exchange("PUT", V3 + "/presence/" + ALICE_ENC + "/status", "{'presence':'unavailable','status_msg':'away'}", "{}",
        () -> client.setPresence(Presence.UNAVAILABLE, "away"));
  }

  @Test
  void typingReceiptsAndReadMarkers() throws Exception {
    exchange("PUT", V3 + "/rooms/" + ROOM_ENC + "/typing/" + ALICE_ENC, "{'typing':true,'timeout':30000}", "{}",
        () -> client.typing(ROOM, true, Duration.ofSeconds(30)));
    exchange("PUT", V3 + "/rooms/" + ROOM_ENC + "/typing/" + ALICE_ENC, "{'typing':false}", "{}",
        () -> client.typing(ROOM, false, null));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/receipt/m.read/" + EVENT_ENC, "{'thread_id':'main'}", "{}",
        () -> client.receipt(ROOM, "m.read", EVENT, "main"));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/receipt/m.read.private/" + EVENT_ENC, "{}", "{}",
        () -> client.receipt(ROOM, "m.read.private", EVENT, null));
    exchange("POST", V3 + "/rooms/" + ROOM_ENC + "/read_markers", "{'m.fully_read':'$f','m.read':'$r'}", "{}",
        () -> client.readMarkers(ROOM, "$f", "$r", null));
    assertThatThrownBy(() -> client.readMarkers(ROOM, null, null, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void filterUpload() throws Exception {
    io.melo.matrix.sync.Filter filter = io.melo.matrix.sync.Filter.builder().timelineLimit(20).lazyLoadMembers(true).build();
    String id = exchange("POST", V3 + "/user/" + ALICE_ENC + "/filter", filter.toJson().toJson(),
        q("{'filter_id':'66696p746572'}"), () -> client.uploadFilter(filter));
    assertThat(id).isEqualTo("66696p746572");
  }
}
