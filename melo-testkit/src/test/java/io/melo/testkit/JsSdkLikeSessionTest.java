package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What matrix-js-sdk 43 sends, in its order, with its path encoding and token style
 * (reference/client-interop.md): the fake must carry it to PREPARED and a live long poll.
 */
class JsSdkLikeSessionTest {
  private final FakeHomeserver hs = FakeHomeserver.builder().strict(false).start();
  private final TestHttp anon = new TestHttp(hs.baseUrl());

  @AfterEach
  void stop() {
    hs.close();
  }

  static String enc(String s) {
    // js-sdk: encodeURIComponent, so '!' stays literal and ':' '@' '$' '#' are escaped
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!");
  }

  @Test
  @SuppressWarnings("unchecked")
  void registerStartClientFirstSyncAndLivePoll() throws Exception {
    // Two-step user-interactive registration.
    TestHttp.Answer uia = anon.post("/_matrix/client/v3/register", "{\"username\":\"alice\",\"password\":\"pw-alice-1\"}");
    assertThat(uia.status()).isEqualTo(401);
    String session = (String) uia.json().get("session");
    assertThat(session).isNotBlank();
    assertThat(uia.json().get("flows").toString()).contains("m.login.dummy");
    TestHttp.Answer reg = anon.post("/_matrix/client/v3/register", "{\"username\":\"alice\",\"password\":\"pw-alice-1\","
        + "\"auth\":{\"type\":\"m.login.dummy\",\"session\":\"" + session + "\"}}");
    assertThat(reg.status()).isEqualTo(200);
    String userId = (String) reg.json().get("user_id");
    assertThat(userId).isEqualTo("@alice:localhost");
    assertThat(reg.json()).containsKeys("device_id", "access_token");
    TestHttp alice = anon.withToken((String) reg.json().get("access_token"));

    // startClient: versions with the token, then capabilities, push rules (trailing slash), rtc transports, filter.
    assertThat(alice.get("/_matrix/client/versions").status()).isEqualTo(200);
    TestHttp.Answer caps = alice.get("/_matrix/client/v3/capabilities");
    assertThat(caps.status()).isEqualTo(200);
    assertThat(caps.json().get("capabilities").toString()).contains("m.room_versions");
    TestHttp.Answer rules = alice.get("/_matrix/client/v3/pushrules/");
    assertThat(rules.status()).isEqualTo(200);
    assertThat((Map<String, Object>) rules.json().get("global")).containsKeys("override", "content", "underride");
    assertThat(alice.get("/_matrix/client/unstable/org.matrix.msc4143/rtc/transports").status()).isEqualTo(404);
    TestHttp.Answer filter = alice.post("/_matrix/client/v3/user/" + enc(userId) + "/filter",
        "{\"room\":{\"timeline\":{\"limit\":20}}}");
    assertThat(filter.status()).isEqualTo(200);
    String filterId = (String) filter.json().get("filter_id");

    // A room with an empty-key state event through the trailing-slash path.
    TestHttp.Answer created = alice.post("/_matrix/client/v3/createRoom", "{\"name\":\"lobby\",\"preset\":\"public_chat\"}");
    assertThat(created.status()).isEqualTo(200);
    String roomId = (String) created.json().get("room_id");
    assertThat(alice.put("/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.topic/", "{\"topic\":\"hi\"}")
        .status()).isEqualTo(200);
    TestHttp.Answer name = alice.get("/_matrix/client/v3/rooms/" + enc(roomId) + "/state/m.room.name/");
    assertThat(name.json()).isEqualTo(Map.of("name", "lobby"));

    // First sync: inline filter, timeout=0, unstable params, cache buster.
    String inline = enc("{\"room\":{\"timeline\":{\"limit\":2}}}");
    // js-sdk adds query parameters the spec does not declare: only the answer is checked here.
    TestHttp.Answer first = alice.unchecked().get("/_matrix/client/v3/sync?filter=" + inline
        + "&timeout=0&org.matrix.msc4222.use_state_after=true&_cacheBuster=1700000000000");
    assertThat(first.status()).isEqualTo(200);
    String since = (String) first.json().get("next_batch");
    Map<String, Object> join = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) first.json()
        .get("rooms")).get("join")).get(roomId);
    Map<String, Object> timeline = (Map<String, Object>) join.get("timeline");
    assertThat((List<Object>) timeline.get("events")).hasSizeLessThanOrEqualTo(2);
    assertThat(timeline.get("limited")).isEqualTo(true);

    // Live poll with the stored filter wakes when a message arrives.
    CompletableFuture<TestHttp.Answer> poll = CompletableFuture.supplyAsync(() -> alice.get(
        "/_matrix/client/v3/sync?filter=" + filterId + "&timeout=30000&since=" + since));
    String txn = "m1700000000000.1";
    TestHttp.Answer sent = alice.put("/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/" + txn,
        "{\"msgtype\":\"m.text\",\"body\":\"hello\"}");
    assertThat(sent.status()).isEqualTo(200);
    String eventId = (String) sent.json().get("event_id");
    TestHttp.Answer woke = poll.get(10, TimeUnit.SECONDS);
    assertThat(woke.status()).isEqualTo(200);
    assertThat(woke.text()).contains(eventId, "\"transaction_id\":\"" + txn + "\"");

    // Account data comes back through sync (setAccountData waits for it).
    String since2 = (String) woke.json().get("next_batch");
    assertThat(alice.put("/_matrix/client/v3/user/" + enc(userId) + "/account_data/io.melo.test",
        "{\"k\":1}").status()).isEqualTo(200);
    TestHttp.Answer ad = alice.get("/_matrix/client/v3/sync?filter=" + filterId + "&timeout=30000&since=" + since2);
    assertThat(ad.text()).contains("io.melo.test");

    // Receipt with {} and v1 relations with dir=b.
    assertThat(alice.post("/_matrix/client/v3/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(eventId), "{}")
        .status()).isEqualTo(200);
    TestHttp.Answer relations = alice.get("/_matrix/client/v1/rooms/" + enc(roomId) + "/relations/" + enc(eventId)
        + "/m.annotation?dir=b");
    assertThat(relations.status()).isEqualTo(200);
    assertThat(relations.json()).containsKey("chunk");

    // Logout without any body.
    assertThat(alice.send("POST", "/_matrix/client/v3/logout", null).status()).isEqualTo(200);
    assertThat(alice.get("/_matrix/client/v3/account/whoami").errcode()).isEqualTo("M_UNKNOWN_TOKEN");
  }
}
