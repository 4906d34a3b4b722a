package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.testkit.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /notifications} and push-rule-driven unread counts over HTTP; {@link SpecContract} checks
 * every request and answer against the spec's schemas.
 */
class NotificationsHttpTest {
  private static final String C = "/_matrix/client/v3";
  private FakeHomeserver hs;
  private TestUser alice;
  private TestUser bob;
  private TestHttp aliceHttp;
  private String room;

  @BeforeEach
  void setUp() {
    hs = FakeHomeserver.start();
    alice = hs.register("alice");
    bob = hs.register("bob");
    TestUser carol = hs.register("carol");
    room = alice.createRoom(r -> r.preset("public_chat"));
    bob.join(room);
    carol.join(room);
    aliceHttp = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
  }

  @AfterEach
  void tearDown() {
    hs.close();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> notifications(TestHttp.Answer a) {
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return (List<Map<String, Object>>) a.json().get("notifications");
  }

  @Test
  void listsWhatTheRulesNotifiedAboutWithReadState() {
    String hello = bob.sendText(room, "hello");
    String mention = bob.sendText(room, "alice: lunch?");
    List<Map<String, Object>> all = notifications(aliceHttp.get(C + "/notifications"));
    assertThat(all).extracting(n -> (Object) ((Map<?, ?>) n.get("event")).get("event_id")).containsExactly(mention, hello);
    assertThat(all).extracting(n -> n.get("read")).containsExactly(false, false);
    assertThat(all.get(0)).containsEntry("room_id", room).containsEntry("actions", List.of("notify",
        Map.of("set_tweak", "sound", "value", "default"), Map.of("set_tweak", "highlight")));
    assertThat(notifications(aliceHttp.get(C + "/notifications?only=highlight"))).hasSize(1);

    assertThat(aliceHttp.post(C + "/rooms/" + room + "/receipt/m.read/" + hello, "{}").status()).isEqualTo(200);
    assertThat(notifications(aliceHttp.get(C + "/notifications"))).extracting(n -> n.get("read"))
        .containsExactly(false, true);
    Map<String, Object> sync = aliceHttp.get(C + "/sync?timeout=0").json();
    assertThat(Json.write(((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) sync.get("rooms")).get("join")).get(room))
        .get("unread_notifications"))).isEqualTo("{\"notification_count\":1,\"highlight_count\":1}");
  }

  @Test
  void pagesWithNextToken() {
    for (int i = 0; i < 3; i++) {
      bob.sendText(room, "m" + i);
    }
    TestHttp.Answer first = aliceHttp.get(C + "/notifications?limit=2");
    assertThat(notifications(first)).hasSize(2);
    String next = (String) first.json().get("next_token");
    assertThat(next).isNotNull();
    TestHttp.Answer second = aliceHttp.get(C + "/notifications?limit=2&from=" + next);
    assertThat(notifications(second)).singleElement()
        .satisfies(n -> assertThat(((Map<?, ?>) ((Map<?, ?>) n.get("event")).get("content")).get("body"))
            .isEqualTo("m0"));
    assertThat(second.json()).doesNotContainKey("next_token");
  }

  @Test
  void pushRuleChangesOverHttpChangeWhatNotifies() {
    assertThat(aliceHttp.put(C + "/pushrules/global/underride/.m.rule.message/enabled",
        "{\"enabled\":false}").status()).isEqualTo(200);
    bob.sendText(room, "not notified");
    assertThat(aliceHttp.put(C + "/pushrules/global/content/lunch", Json.write(Map.of("pattern", "lunch",
        "actions", List.of("notify", Map.of("set_tweak", "highlight"))))).status()).isEqualTo(200);
    bob.sendText(room, "Lunch time");
    assertThat(notifications(aliceHttp.get(C + "/notifications"))).singleElement()
        .satisfies(n -> assertThat(n.get("actions")).isEqualTo(List.of("notify", Map.of("set_tweak", "highlight"))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void threadedUnreadCountsOverSync() {
    String root = bob.sendText(room, "root");
    bob.send(room, "m.room.message", Map.of("msgtype", "m.text", "body", "alice, in the thread",
        "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
    String filter = java.net.URLEncoder.encode("{\"room\":{\"timeline\":{\"unread_thread_notifications\":true}}}",
        java.nio.charset.StandardCharsets.UTF_8);
    Map<String, Object> sync = aliceHttp.get(C + "/sync?timeout=0&filter=" + filter).json();
    Map<String, Object> joined = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) sync.get("rooms"))
        .get("join")).get(room);
    assertThat(Json.write(joined.get("unread_notifications")))
        .isEqualTo("{\"notification_count\":1,\"highlight_count\":0}");
    assertThat(Json.write(joined.get("unread_thread_notifications")))
        .isEqualTo("{\"" + root + "\":{\"notification_count\":1,\"highlight_count\":1}}");
  }

  @Test
  void refusals() {
    TestHttp anon = new TestHttp(hs.baseUrl());
    assertThat(anon.get(C + "/notifications").errcode()).isEqualTo("M_MISSING_TOKEN");
    TestHttp.Answer badFrom = aliceHttp.get(C + "/notifications?from=not-a-token");
    assertThat(badFrom.status()).isEqualTo(400);
    assertThat(badFrom.errcode()).isEqualTo("M_INVALID_PARAM");
    TestHttp.Answer badLimit = aliceHttp.unchecked().get(C + "/notifications?limit=many");
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(aliceHttp.get(C + "/notifications?limit=-1").errcode()).isEqualTo("M_INVALID_PARAM");
  }
}
