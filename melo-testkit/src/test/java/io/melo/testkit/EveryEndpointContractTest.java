package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.json.Json;
import io.melo.testkit.model.Appservice;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint the fake serves, called over HTTP with a successful request and (for most) a refused
 * one. {@link SpecContract} validates every request and answer against the spec's OpenAPI schemas;
 * the last check proves no endpoint was left out.
 */
class EveryEndpointContractTest {

  private static String json(Object value) {
    return Json.write(value);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyEndpointAnswersPerTheSpec() {
    Appservice bridge = new Appservice("bridge", "as-secret-token", "bridgebot", List.of("@bridge_.*:localhost"));
    try (FakeHomeserver hs = FakeHomeserver.builder().appservice(bridge)
        .turnServer(TurnServer.of(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443"),
            "1443779631:@alice:localhost", "turn-secret", java.time.Duration.ofDays(1))).start()) {
      TestHttp anon = new TestHttp(hs.baseUrl());
      String c = "/_matrix/client/v3";

      // Discovery.
      assertThat(anon.get("/_matrix/client/versions").status()).isEqualTo(200);
      assertThat(anon.get("/.well-known/matrix/client").status()).isEqualTo(200);
      assertThat(anon.get(c + "/login").status()).isEqualTo(200);

      // Registration: UIA 401, then dummy; availability; a taken name.
      TestHttp.Answer uia = anon.post(c + "/register", json(map("username", "alice", "password", "pw-alice-9")));
      assertThat(uia.status()).isEqualTo(401);
      TestHttp.Answer reg = anon.post(c + "/register", json(map("username", "alice", "password", "pw-alice-9",
          "auth", map("type", "m.login.dummy", "session", uia.json().get("session")))));
      assertThat(reg.status()).isEqualTo(200);
      String aliceId = (String) reg.json().get("user_id");
      TestHttp alice = anon.withToken((String) reg.json().get("access_token"));
      assertThat(anon.get(c + "/register/available?username=newbie").json()).containsEntry("available", true);
      assertThat(anon.get(c + "/register/available?username=alice").errcode()).isEqualTo("M_USER_IN_USE");
      TestHttp.Answer inhibit = anon.post(c + "/register", json(map("username", "quiet", "password", "pw-quiet-9",
          "inhibit_login", true, "auth", map("type", "m.login.dummy"))));
      assertThat(inhibit.json()).containsKey("user_id").doesNotContainKey("access_token");

      // Application service registration and masquerading.
      TestHttp as = anon.withToken("as-secret-token");
      assertThat(as.post(c + "/register", json(map("type", "m.login.application_service", "username", "bridge_1")))
          .json()).containsEntry("user_id", "@bridge_1:localhost");
      assertThat(as.get(c + "/account/whoami?user_id=@bridge_1:localhost").json())
          .containsEntry("user_id", "@bridge_1:localhost");
      assertThat(as.get(c + "/account/whoami?user_id=@alice:localhost").status()).isEqualTo(403);

      // Login (legacy user field), refresh, whoami, logout/all.
      TestHttp.Answer login = anon.post(c + "/login", json(map("type", "m.login.password", "user", "alice",
          "password", "pw-alice-9", "refresh_token", true)));
      assertThat(login.json()).containsKeys("access_token", "refresh_token", "expires_in_ms");
      assertThat(anon.post(c + "/login", json(map("type", "m.login.password", "identifier",
          map("type", "m.id.user", "user", "alice"), "password", "wrong"))).errcode()).isEqualTo("M_FORBIDDEN");
      TestHttp.Answer refreshed = anon.post(c + "/refresh", json(map("refresh_token", login.json().get("refresh_token"))));
      assertThat(refreshed.json()).containsKeys("access_token", "refresh_token");
      assertThat(anon.post(c + "/refresh", json(map("refresh_token", "bogus"))).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
      TestHttp second = anon.withToken((String) refreshed.json().get("access_token"));
      assertThat(second.get(c + "/account/whoami").json()).containsEntry("user_id", aliceId);
      assertThat(second.get(c + "/devices").json().get("devices")).asList().hasSize(2);
      assertThat(second.post(c + "/logout", "{}").text()).isEqualTo("{}");

      // Devices: the logged-out login's device is gone, the registration's stays.
      String loginDevice = (String) reg.json().get("device_id");
      assertThat(login.json().get("device_id")).isNotEqualTo(loginDevice);
      assertThat(alice.get(c + "/devices").json().get("devices")).asList().hasSize(1);
      assertThat(alice.put(c + "/devices/" + loginDevice, json(map("display_name", "laptop"))).text()).isEqualTo("{}");
      assertThat(alice.get(c + "/devices/" + loginDevice).json()).containsEntry("display_name", "laptop");
      assertThat(alice.get(c + "/devices/NOPE").errcode()).isEqualTo("M_NOT_FOUND");

      // Capabilities, push rules, filters.
      assertThat(alice.get(c + "/capabilities").status()).isEqualTo(200);
      assertThat(alice.get(c + "/pushrules/").status()).isEqualTo(200);
      assertThat(alice.get(c + "/pushrules/global/").json()).containsKey("override");
      String filterId = (String) alice.post(c + "/user/" + aliceId + "/filter",
          json(map("room", map("timeline", map("limit", 5))))).json().get("filter_id");
      assertThat(alice.get(c + "/user/" + aliceId + "/filter/" + filterId).status()).isEqualTo(200);
      assertThat(alice.get(c + "/user/" + aliceId + "/filter/999999").errcode()).isEqualTo("M_NOT_FOUND");

      // Rooms: a space with a child, a public room with an alias, a knock room.
      TestUser bob = hs.register("bob");
      TestHttp bobHttp = anon.withToken(bob.accessToken());
      String space = (String) alice.post(c + "/createRoom", json(map("name", "HQ", "preset", "public_chat",
          "creation_content", map("type", "m.space")))).json().get("room_id");
      String room = (String) alice.post(c + "/createRoom", json(map("name", "general", "preset", "public_chat",
          "room_alias_name", "general", "room_version", "11", "topic", "hello",
          "initial_state", List.of(map("type", "m.space.parent", "state_key", space,
              "content", map("via", List.of("localhost"), "canonical", true)))))).json().get("room_id");
      assertThat(alice.post(c + "/createRoom", json(map("room_alias_name", "general"))).errcode())
          .isEqualTo("M_ROOM_IN_USE");
      assertThat(alice.put(c + "/rooms/" + space + "/state/m.space.child/" + room,
          json(map("via", List.of("localhost"), "suggested", true))).status()).isEqualTo(200);
      String knockRoom = (String) alice.post(c + "/createRoom", json(map("initial_state", List.of(
          map("type", "m.room.join_rules", "state_key", "", "content", map("join_rule", "knock")))))).json()
          .get("room_id");

      // Membership.
      assertThat(bobHttp.post(c + "/join/%23general:localhost", "{}").json()).containsEntry("room_id", room);
      assertThat(bobHttp.post(c + "/rooms/" + space + "/join", "{}").json()).containsEntry("room_id", space);
      assertThat(bobHttp.post(c + "/knock/" + knockRoom, json(map("reason", "let me in"))).json())
          .containsEntry("room_id", knockRoom);
      assertThat(bobHttp.post(c + "/rooms/" + knockRoom + "/join", "{}").status()).isEqualTo(403);
      TestUser carol = hs.register("carol");
      assertThat(alice.post(c + "/rooms/" + room + "/invite", json(map("user_id", carol.userId()))).status())
          .isEqualTo(200);
      assertThat(bobHttp.post(c + "/rooms/" + room + "/kick", json(map("user_id", aliceId))).status()).isEqualTo(403);
      assertThat(alice.post(c + "/rooms/" + room + "/kick", json(map("user_id", carol.userId()))).text()).isEqualTo("{}");
      assertThat(alice.post(c + "/rooms/" + room + "/ban", json(map("user_id", carol.userId()))).text()).isEqualTo("{}");
      assertThat(alice.post(c + "/rooms/" + room + "/unban", json(map("user_id", carol.userId()))).text()).isEqualTo("{}");
      assertThat(alice.get(c + "/joined_rooms").json().get("joined_rooms")).asList().contains(room, space);

      // Events and state.
      String txnPath = c + "/rooms/" + room + "/send/m.room.message/t1";
      String msg = (String) bobHttp.put(txnPath, json(map("msgtype", "m.text", "body", "first"))).json().get("event_id");
      assertThat(bobHttp.put(txnPath, json(map("msgtype", "m.text", "body", "first"))).json())
          .containsEntry("event_id", msg);
      assertThat(anon.withToken(carol.accessToken()).put(c + "/rooms/" + room + "/send/m.room.message/t2",
          json(map("msgtype", "m.text", "body", "x"))).status()).isEqualTo(403);
      String reaction = (String) alice.put(c + "/rooms/" + room + "/send/m.reaction/r1", json(map("m.relates_to",
          map("rel_type", "m.annotation", "event_id", msg, "key", "👍")))).json().get("event_id");
      alice.put(c + "/rooms/" + room + "/send/m.room.message/th1", json(map("msgtype", "m.text", "body", "in thread",
          "m.relates_to", map("rel_type", "m.thread", "event_id", msg))));
      assertThat(alice.put(c + "/rooms/" + room + "/state/m.room.topic/", json(map("topic", "new topic"))).status())
          .isEqualTo(200);
      assertThat(bobHttp.put(c + "/rooms/" + room + "/state/m.room.topic/", json(map("topic", "mine"))).errcode())
          .isEqualTo("M_FORBIDDEN");
      assertThat(alice.get(c + "/rooms/" + room + "/state/m.room.topic/").json()).containsEntry("topic", "new topic");
      assertThat(alice.get(c + "/rooms/" + room + "/state/m.room.avatar/").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(alice.get(c + "/rooms/" + room + "/state/m.room.topic/?format=event").json())
          .containsEntry("type", "m.room.topic").containsKey("event_id");
      assertThat(alice.get(c + "/rooms/" + room + "/state").status()).isEqualTo(200);
      assertThat(alice.get(c + "/rooms/" + room + "/event/" + msg).json()).containsEntry("event_id", msg);
      assertThat(alice.get(c + "/rooms/" + room + "/event/$nope").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(alice.get(c + "/rooms/" + room + "/context/" + msg + "?limit=2").json()).containsKey("event");
      assertThat(alice.get(c + "/rooms/" + room + "/messages?dir=b&limit=5").json()).containsKeys("start", "chunk");
      assertThat(alice.get(c + "/rooms/" + room + "/members").json()).containsKey("chunk");
      assertThat(alice.get(c + "/rooms/" + room + "/joined_members").json()).containsKey("joined");
      assertThat(anon.withToken(carol.accessToken()).get(c + "/rooms/" + room + "/joined_members").status())
          .isEqualTo(403);
      String v1 = "/_matrix/client/v1";
      assertThat((List<Object>) alice.get(v1 + "/rooms/" + room + "/relations/" + msg + "/m.annotation?dir=b").json()
          .get("chunk")).hasSize(1);
      assertThat(alice.get(v1 + "/rooms/" + room + "/relations/" + msg).status()).isEqualTo(200);
      assertThat(alice.get(v1 + "/rooms/" + room + "/relations/" + msg + "/m.annotation/m.reaction").status())
          .isEqualTo(200);
      assertThat((List<Object>) alice.get(v1 + "/rooms/" + room + "/threads").json().get("chunk")).hasSize(1);
      assertThat((List<Object>) alice.get(v1 + "/rooms/" + space + "/hierarchy?max_depth=1").json().get("rooms"))
          .hasSize(2);
      assertThat(alice.put(c + "/rooms/" + room + "/redact/" + reaction + "/red1", json(map("reason", "no"))).status())
          .isEqualTo(200);

      // Room summary: public room without a token, a member with one.
      assertThat(anon.get(v1 + "/room_summary/%23general:localhost").json()).containsEntry("room_id", room)
          .doesNotContainKey("membership");
      assertThat(bobHttp.get(v1 + "/room_summary/" + room).json()).containsEntry("membership", "join");
      assertThat(anon.get(v1 + "/room_summary/%23nothing:localhost").errcode()).isEqualTo("M_NOT_FOUND");

      // Reports.
      assertThat(bobHttp.post(c + "/rooms/" + room + "/report/" + msg, json(map("reason", "spam"))).text())
          .isEqualTo("{}");
      assertThat(bobHttp.post(c + "/rooms/" + room + "/report/$nope", "{}").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(bobHttp.post(c + "/rooms/" + room + "/report", json(map("reason", ""))).text()).isEqualTo("{}");
      assertThat(bobHttp.post(c + "/users/" + aliceId + "/report", json(map("reason", "rude"))).text())
          .isEqualTo("{}");
      assertThat(bobHttp.post(c + "/users/@ghost:localhost/report", json(map("reason", "x"))).errcode())
          .isEqualTo("M_NOT_FOUND");

      // Ephemeral.
      assertThat(bobHttp.put(c + "/rooms/" + room + "/typing/" + bob.userId(), json(map("typing", true,
          "timeout", 10000))).text()).isEqualTo("{}");
      assertThat(bobHttp.put(c + "/rooms/" + room + "/typing/" + aliceId, json(map("typing", true))).status())
          .isEqualTo(403);
      assertThat(bobHttp.post(c + "/rooms/" + room + "/receipt/m.read/" + msg, "{}").text()).isEqualTo("{}");
      assertThat(bobHttp.post(c + "/rooms/" + room + "/read_markers", json(map("m.fully_read", msg))).text())
          .isEqualTo("{}");

      // Aliases and directory.
      assertThat(anon.get(c + "/directory/room/%23general:localhost").json()).containsKeys("room_id", "servers");
      assertThat(anon.get(c + "/directory/room/%23nothing:localhost").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(bobHttp.put(c + "/directory/room/%23bobs:localhost", json(map("room_id", room))).text())
          .isEqualTo("{}");
      assertThat(alice.get(c + "/rooms/" + room + "/aliases").json().get("aliases")).asList()
          .contains("#bobs:localhost");
      assertThat(bobHttp.send("DELETE", c + "/directory/room/%23bobs:localhost", null).text()).isEqualTo("{}");
      assertThat(alice.put(c + "/directory/list/room/" + room, json(map("visibility", "public"))).text())
          .isEqualTo("{}");
      assertThat(anon.get(c + "/directory/list/room/" + room).json()).containsEntry("visibility", "public");
      assertThat(anon.get(c + "/publicRooms?limit=10").json().get("chunk")).asList().hasSize(1);
      assertThat(alice.post(c + "/publicRooms", json(map("filter", map("generic_search_term", "general")))).json()
          .get("chunk")).asList().hasSize(1);

      // Sync with a stored filter.
      TestHttp.Answer sync = alice.get(c + "/sync?filter=" + filterId + "&timeout=0");
      assertThat(sync.json()).containsKeys("next_batch", "rooms");
      assertThat(alice.get(c + "/sync?since=" + sync.json().get("next_batch") + "&timeout=0&full_state=true")
          .status()).isEqualTo(200);

      // Profile, account data, presence, user directory.
      assertThat(bobHttp.put(c + "/profile/" + bob.userId() + "/displayname", json(map("displayname", "Bob B")))
          .text()).isEqualTo("{}");
      assertThat(bobHttp.put(c + "/profile/" + aliceId + "/displayname", json(map("displayname", "x"))).status())
          .isEqualTo(403);
      assertThat(anon.get(c + "/profile/" + bob.userId()).json()).containsEntry("displayname", "Bob B");
      assertThat(anon.get(c + "/profile/" + bob.userId() + "/displayname").json()).containsEntry("displayname", "Bob B");
      assertThat(anon.get(c + "/profile/@ghost:localhost").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(bobHttp.put(c + "/profile/" + bob.userId() + "/m.tz", json(map("m.tz", "Europe/Paris"))).text())
          .isEqualTo("{}");
      assertThat(anon.get(c + "/profile/" + bob.userId() + "/m.tz").json()).containsEntry("m.tz", "Europe/Paris");
      assertThat(bobHttp.send("DELETE", c + "/profile/" + bob.userId() + "/m.tz", null).text()).isEqualTo("{}");
      assertThat(anon.get(c + "/profile/" + bob.userId() + "/m.tz").errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(alice.put(c + "/user/" + aliceId + "/account_data/m.direct", json(map(bob.userId(), List.of(room))))
          .text()).isEqualTo("{}");
      assertThat(alice.get(c + "/user/" + aliceId + "/account_data/m.direct").json()).containsKey(bob.userId());
      assertThat(bobHttp.get(c + "/user/" + aliceId + "/account_data/m.direct").status()).isEqualTo(403);
      assertThat(alice.put(c + "/user/" + aliceId + "/rooms/" + room + "/account_data/m.tag",
          json(map("tags", map("u.work", map("order", 0.5))))).text()).isEqualTo("{}");
      assertThat(alice.get(c + "/user/" + aliceId + "/rooms/" + room + "/account_data/m.tag").status()).isEqualTo(200);
      assertThat(alice.put(c + "/presence/" + aliceId + "/status", json(map("presence", "online", "status_msg", "hi")))
          .text()).isEqualTo("{}");
      assertThat(bobHttp.get(c + "/presence/" + aliceId + "/status").json()).containsEntry("presence", "online");
      assertThat(alice.post(c + "/user_directory/search", json(map("search_term", "bob"))).json().get("results"))
          .asList().hasSize(1);

      // Media on both paths.
      byte[] png = "not really a png".getBytes(StandardCharsets.UTF_8);
      TestHttp.Answer up = alice.upload("/_matrix/media/v3/upload?filename=cat.png", png, "image/png");
      String mxc = (String) up.json().get("content_uri");
      assertThat(mxc).startsWith("mxc://localhost/");
      String mediaPath = mxc.substring("mxc://".length());
      TestHttp.Answer legacy = anon.get("/_matrix/media/v3/download/" + mediaPath);
      assertThat(legacy.bytes()).isEqualTo(png);
      assertThat(legacy.headers().get("Content-Type")).isEqualTo("image/png");
      assertThat(legacy.headers().get("Content-Disposition")).contains("cat.png");
      assertThat(alice.get("/_matrix/client/v1/media/download/" + mediaPath + "/other.png").bytes()).isEqualTo(png);
      assertThat(anon.get("/_matrix/client/v1/media/download/" + mediaPath).errcode()).isEqualTo("M_MISSING_TOKEN");
      assertThat(alice.get("/_matrix/client/v1/media/thumbnail/" + mediaPath + "?width=32&height=32&method=scale")
          .bytes()).isEqualTo(png);
      assertThat(anon.get("/_matrix/media/v3/thumbnail/" + mediaPath + "?width=32&height=32").bytes()).isEqualTo(png);
      assertThat(anon.get("/_matrix/media/v3/download/localhost/doesnotexist").errcode()).isEqualTo("M_NOT_FOUND");
      String reserved = (String) alice.post("/_matrix/media/v1/create", "{}").json().get("content_uri");
      assertThat(alice.uploadPut("/_matrix/media/v3/upload/" + reserved.substring("mxc://".length()), png, "image/png")
          .text()).isEqualTo("{}");
      assertThat(alice.get("/_matrix/client/v1/media/download/" + reserved.substring("mxc://".length())).bytes())
          .isEqualTo(png);
      assertThat(as.post(v1 + "/appservice/bridge/ping", "{}").errcode()).isEqualTo("M_URL_NOT_SET");
      assertThat(alice.get("/_matrix/client/v1/media/config").json()).containsKey("m.upload.size");
      assertThat(alice.get("/_matrix/media/v3/config").json()).containsKey("m.upload.size");
      assertThat(alice.get("/_matrix/media/r0/config").json()).containsKey("m.upload.size");
      // The legacy config requires a token too (the spec's security), like the authenticated one.
      for (String config : List.of("/_matrix/client/v1/media/config", "/_matrix/media/v3/config",
          "/_matrix/media/r0/config")) {
        TestHttp.Answer refused = anon.get(config);
        assertThat(refused.status()).as(config).isEqualTo(401);
        assertThat(refused.errcode()).as(config).isEqualTo("M_MISSING_TOKEN");
      }

      // Server-side search over room events.
      TestHttp.Answer search = alice.post(c + "/search", json(map("search_categories", map("room_events",
          map("search_term", "first", "filter", map("rooms", List.of(room)))))));
      assertThat(search.text()).contains(msg);

      // Room tags.
      assertThat(alice.put(c + "/user/" + aliceId + "/rooms/" + room + "/tags/u.work", json(map("order", 0.25)))
          .text()).isEqualTo("{}");
      assertThat(alice.get(c + "/user/" + aliceId + "/rooms/" + room + "/tags").json().get("tags").toString())
          .contains("u.work");
      assertThat(alice.send("DELETE", c + "/user/" + aliceId + "/rooms/" + room + "/tags/u.work", null).text())
          .isEqualTo("{}");

      // Timestamp to event (v1).
      assertThat(alice.get(v1 + "/rooms/" + room + "/timestamp_to_event?ts=0&dir=f").json())
          .containsKeys("event_id", "origin_server_ts");

      // Device deletion behind password user-interactive auth.
      for (String path : List.of("single", "bulk")) {
        String device = (String) anon.post(c + "/login", json(map("type", "m.login.password", "user", "alice",
            "password", "pw-alice-9"))).json().get("device_id");
        boolean single = path.equals("single");
        String url = single ? c + "/devices/" + device : c + "/delete_devices";
        Map<String, Object> body = single ? map() : map("devices", List.of(device));
        TestHttp.Answer challenge = alice.send(single ? "DELETE" : "POST", url, json(body));
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json()).containsKeys("flows", "session");
        body.put("auth", map("type", "m.login.password", "identifier", map("type", "m.id.user", "user", "alice"),
            "password", "pw-alice-9", "session", challenge.json().get("session")));
        assertThat(alice.send(single ? "DELETE" : "POST", url, json(body)).text()).isEqualTo("{}");
        assertThat(alice.get(c + "/devices/" + device).errcode()).isEqualTo("M_NOT_FOUND");
      }

      // Push rules: add, read, toggle, change actions, delete; defaults are protected.
      String rule = c + "/pushrules/global/override/io.melo.mute";
      assertThat(alice.put(rule, json(map("actions", List.of(), "conditions", List.of(map("kind", "event_match",
          "key", "room_id", "pattern", room))))).text()).isEqualTo("{}");
      assertThat(alice.get(rule).json()).containsEntry("rule_id", "io.melo.mute");
      assertThat(alice.put(rule + "/enabled", json(map("enabled", false))).text()).isEqualTo("{}");
      assertThat(alice.get(rule + "/enabled").json()).containsEntry("enabled", false);
      assertThat(alice.put(rule + "/actions", json(map("actions", List.of("notify")))).text()).isEqualTo("{}");
      assertThat(alice.get(rule + "/actions").json()).containsEntry("actions", List.of("notify"));
      assertThat(alice.send("DELETE", rule, null).text()).isEqualTo("{}");
      assertThat(alice.get(rule).errcode()).isEqualTo("M_NOT_FOUND");
      assertThat(alice.send("DELETE", c + "/pushrules/global/override/.m.rule.master", null).status()).isEqualTo(400);

      // What settings pages and call set-up ask: the configured TURN server, no bridges, no 3pids; pushers stored.
      assertThat(alice.get(c + "/voip/turnServer").json()).containsEntry("ttl", 86400L)
          .containsEntry("password", "turn-secret").containsKey("uris");
      assertThat(anon.get(c + "/voip/turnServer").errcode()).isEqualTo("M_MISSING_TOKEN");
      assertThat(alice.get(c + "/thirdparty/protocols").text()).isEqualTo("{}");
      assertThat(alice.get(c + "/account/3pid").json()).containsEntry("threepids", List.of());
      assertThat(alice.get(c + "/pushers").json()).containsEntry("pushers", List.of());
      assertThat(alice.get(c + "/notifications?limit=5").json().get("notifications")).asList().isNotEmpty();
      assertThat(bobHttp.get(c + "/notifications?only=highlight").status()).isEqualTo(200);
      assertThat(alice.get(c + "/notifications?from=zzz").errcode()).isEqualTo("M_INVALID_PARAM");
      Map<String, Object> pusher = map("pushkey", "device-token-1", "kind", "http", "app_id", "im.melo.android",
          "app_display_name", "Melo", "device_display_name", "Pixel", "lang", "en",
          "data", map("url", "https://push.example.org/_matrix/push/v1/notify", "format", "event_id_only"));
      assertThat(alice.post(c + "/pushers/set", json(pusher)).text()).isEqualTo("{}");
      List<Object> stored = (List<Object>) alice.get(c + "/pushers").json().get("pushers");
      assertThat(stored).hasSize(1);
      assertThat((Map<String, Object>) stored.get(0)).containsEntry("pushkey", "device-token-1")
          .containsEntry("app_id", "im.melo.android").containsEntry("device_display_name", "Pixel")
          .containsEntry("data", pusher.get("data"));
      // Same app_id and pushkey for bob without append: alice's is removed (the spec's rule).
      assertThat(bobHttp.post(c + "/pushers/set", json(pusher)).text()).isEqualTo("{}");
      assertThat(alice.get(c + "/pushers").json()).containsEntry("pushers", List.of());
      assertThat(bobHttp.get(c + "/pushers").json().get("pushers")).asList().hasSize(1);
      TestHttp.Answer incomplete = bobHttp.post(c + "/pushers/set", json(map("pushkey", "k2", "kind", "http",
          "app_id", "im.melo.android", "app_display_name", "Melo", "device_display_name", "Pixel", "lang", "en",
          "data", map())));
      assertThat(incomplete.status()).isEqualTo(400);
      assertThat(incomplete.errcode()).isEqualTo("M_MISSING_PARAM");
      Map<String, Object> removal = new LinkedHashMap<>(map("pushkey", "device-token-1", "app_id", "im.melo.android"));
      removal.put("kind", null);
      assertThat(bobHttp.post(c + "/pushers/set", json(removal)).text()).isEqualTo("{}");
      assertThat(bobHttp.get(c + "/pushers").json()).containsEntry("pushers", List.of());

      // Room upgrade 10 -> 11: a replacement room and a tombstone in the old one.
      String old = (String) alice.post(c + "/createRoom", json(map("room_version", "10"))).json().get("room_id");
      String replacement = (String) alice.post(c + "/rooms/" + old + "/upgrade", json(map("new_version", "11")))
          .json().get("replacement_room");
      assertThat(replacement).startsWith("!").isNotEqualTo(old);
      assertThat(alice.get(c + "/rooms/" + old + "/state/m.room.tombstone/").json())
          .containsEntry("replacement_room", replacement);
      assertThat(bobHttp.post(c + "/rooms/" + room + "/upgrade", json(map("new_version", "11"))).status())
          .isEqualTo(403);

      // Leave and forget last, then log everyone out.
      assertThat(bobHttp.post(c + "/rooms/" + space + "/leave", "{}").text()).isEqualTo("{}");
      assertThat(bobHttp.post(c + "/rooms/" + space + "/forget", "{}").text()).isEqualTo("{}");
      assertThat(alice.post(c + "/logout/all", "{}").text()).isEqualTo("{}");

      // Every endpoint was reached with a success.
      Set<Endpoint> succeeded = EnumSet.noneOf(Endpoint.class);
      for (RecordedCall call : hs.requests()) {
        if (call.endpoint() != null && call.status() >= 200 && call.status() < 300) {
          succeeded.add(call.endpoint());
        }
      }
      // The ping cannot succeed: the fake's application services have no URL (M_URL_NOT_SET, above).
      assertThat(EnumSet.complementOf(EnumSet.copyOf(succeeded))).as("endpoints never answered with success")
          .containsExactly(Endpoint.APPSERVICE_PING);
    }
  }
}
