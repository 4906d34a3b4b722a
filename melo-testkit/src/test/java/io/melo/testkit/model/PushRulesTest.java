package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unread counts and {@code /notifications} follow the user's push rules: the default set, and rules
 * the user changed through the push-rules API, with the spec's conditions.
 */
class PushRulesTest {
  private Scene scene;
  private Homeserver hs;
  private Scene.User alice;
  private Scene.User bob;
  private Scene.User carol;
  private String room;

  @BeforeEach
  void setUp() {
    scene = new Scene();
    hs = scene.hs;
    alice = scene.user("alice");
    bob = scene.user("bob");
    carol = scene.user("carol");
    room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    carol.join(room); // three members: not a one-to-one room
  }

  private Map<String, Object> counts(Scene.User user) {
    return Scene.obj(user.sync(null), "rooms", "join", room, "unread_notifications");
  }

  private void assertCounts(Scene.User user, long notifications, long highlights) {
    assertThat(counts(user)).containsEntry("notification_count", notifications)
        .containsEntry("highlight_count", highlights);
  }

  private String sendText(Scene.User from, String body, Object... extra) {
    Map<String, Object> content = map("msgtype", "m.text", "body", body);
    content.putAll(map(extra));
    return from.sendEvent(room, "m.room.message", content);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> notifications(Scene.User user, String from, Long limit, String only) {
    return (List<Map<String, Object>>) hs.notifications(user.req, from, limit, only).get("notifications");
  }

  @Test
  void defaultRulesDecideWhatCountsAndWhatHighlights() {
    sendText(bob, "hello everyone");                                   // .m.rule.message: notify
    sendText(bob, "hey alice, look");                                  // .m.rule.contains_user_name: highlight
    sendText(bob, "alicexyz is not a word match");                     // no word boundary: notify only
    bob.sendEvent(room, "m.room.message", map("msgtype", "m.notice", "body", "alice bot notice")); // suppressed
    String first = sendText(bob, "first");
    bob.sendEvent(room, "m.reaction", map("m.relates_to", map("rel_type", "m.annotation", "event_id", first,
        "key", "x")));                                                 // .m.rule.reaction: nothing
    sendText(bob, "* edited", "m.new_content", map("msgtype", "m.text", "body", "edited"),
        "m.relates_to", map("rel_type", "m.replace", "event_id", first)); // .m.rule.suppress_edits
    sendText(alice, "own messages never notify alice");
    assertCounts(alice, 4, 1);
    alice.state(room, "m.room.topic", "", map("topic", "state events match no default rule"));
    assertCounts(bob, 1, 0);
  }

  @Test
  void intentionalMentionsReplaceTheLegacyBodyRules() {
    sendText(bob, "no name in here", "m.mentions", map("user_ids", List.of(alice.id())));  // is_user_mention
    sendText(bob, "alice, but not mentioned", "m.mentions", map());                     // legacy rules skipped
    sendText(bob, "mentions carol only", "m.mentions", map("user_ids", List.of(carol.id())));
    assertCounts(alice, 3, 1);
    assertCounts(carol, 3, 1);
  }

  @Test
  void roomMentionsNeedTheSendersNotificationPowerLevel() {
    sendText(bob, "@room from someone at level 0");                                   // roomnotif fails: notify
    sendText(bob, "plain", "m.mentions", map("room", true));                          // is_room_mention fails
    assertCounts(carol, 2, 0);
    sendText(alice, "@room from the creator at level 100");                           // roomnotif: highlight
    sendText(alice, "quiet", "m.mentions", map("room", true));                        // is_room_mention
    assertCounts(carol, 4, 2);
    // Lower the level for @room to 0 (notifications.room): bob may now notify the room.
    Map<String, Object> pl = Scene.map("users", map(alice.id(), 100L), "notifications", map("room", 0L));
    alice.state(room, "m.room.power_levels", "", pl);
    sendText(bob, "@room now allowed");
    assertCounts(carol, 5, 3);
  }

  @Test
  void displayNameInTheRoomHighlightsAtWordBoundaries() {
    hs.setProfileField(alice.req, alice.id(), "displayname", "Ally Cat");
    sendText(bob, "hi ally cat!");
    sendText(bob, "allycat is one word");
    assertCounts(alice, 2, 1);
  }

  @Test
  void userChangedRulesApplyToLaterEvents() {
    sendText(bob, "before any change");
    hs.updatePushRule(alice.req, "global", "underride", ".m.rule.message", false, null);
    sendText(bob, "the message rule is disabled");
    assertCounts(alice, 1, 0);
    hs.updatePushRule(alice.req, "global", "underride", ".m.rule.message", true,
        List.of("notify", map("set_tweak", "highlight")));
    sendText(bob, "the message rule now highlights");
    assertCounts(alice, 2, 1);
    // An override rule muting the room (actions []) wins over everything after it.
    hs.putPushRule(alice.req, "global", "override", "mute", map("actions", List.of(), "conditions",
        List.of(map("kind", "event_match", "key", "room_id", "pattern", room))), null, null);
    sendText(bob, "alice! muted");
    assertCounts(alice, 2, 1);
    hs.deletePushRule(alice.req, "global", "override", "mute");
    // A sender rule and a content rule (glob at word boundaries).
    hs.putPushRule(alice.req, "global", "sender", carol.id(), map("actions", List.of()), null, null);
    sendText(carol, "carol is ignored by a sender rule");
    hs.putPushRule(alice.req, "global", "content", "pizza", map("pattern", "pizz?*", "actions",
        List.of("notify", map("set_tweak", "sound", "value", "default"), map("set_tweak", "highlight"))), null, null);
    hs.updatePushRule(alice.req, "global", "underride", ".m.rule.message", true, List.of());
    sendText(bob, "Who wants PIZZAS tonight?");
    sendText(bob, "no dessert");
    assertCounts(alice, 3, 2);
    assertThat(notifications(alice, null, 1L, null).get(0)).containsEntry("actions",
        List.of("notify", map("set_tweak", "sound", "value", "default"), map("set_tweak", "highlight")));
  }

  @Test
  void theMasterRuleAndRoomRulesSilence() {
    hs.putPushRule(alice.req, "global", "room", room, map("actions", List.of()), null, null);
    sendText(bob, "this room is muted by a room rule");
    assertCounts(alice, 0, 0);
    sendText(bob, "alice: content rules come before room rules");
    assertCounts(alice, 1, 1);
    hs.deletePushRule(alice.req, "global", "room", room);
    sendText(bob, "counted again");
    assertCounts(alice, 2, 1);
    hs.updatePushRule(alice.req, "global", "override", ".m.rule.master", true, null);
    sendText(bob, "alice! the master rule silences everything");
    assertCounts(alice, 2, 1);
    assertThat(notifications(alice, null, null, null)).hasSize(2);
  }

  @Test
  void conditionsFollowTheSpec() {
    hs.updatePushRule(alice.req, "global", "underride", ".m.rule.message", false, null);
    // event_match with a glob on the type, event_property_is with an integer and an escaped dot,
    // event_property_contains, room_member_count with a prefix, and a kind nobody knows.
    hs.putPushRule(alice.req, "global", "override", "custom-type", map("actions", List.of("notify"),
        "conditions", List.of(map("kind", "event_match", "key", "type", "pattern", "com.example.*"),
            map("kind", "room_member_count", "is", ">=3"))), null, null);
    hs.putPushRule(alice.req, "global", "override", "level-five", map("actions", List.of("notify",
        map("set_tweak", "highlight")), "conditions", List.of(
            map("kind", "event_property_is", "key", "content.org\\.example\\.level", "value", 5L))), null, null);
    hs.putPushRule(alice.req, "global", "override", "tagged", map("actions", List.of("notify"),
        "conditions", List.of(map("kind", "event_property_contains", "key", "content.tags", "value", "urgent"))),
        null, null);
    hs.putPushRule(alice.req, "global", "override", "unknown-kind", map("actions", List.of("notify"),
        "conditions", List.of(map("kind", "org.example.future_condition"))), null, null);
    bob.sendEvent(room, "com.example.ping", map());                                  // custom-type
    bob.sendEvent(room, "org.other.ping", map());                                    // nothing
    bob.sendEvent(room, "org.other.level", map("org.example.level", 5L));            // level-five (highlight)
    bob.sendEvent(room, "org.other.level", map("org.example.level", "5"));           // a string is not 5
    bob.sendEvent(room, "org.other.level", map("org", map("example", map("level", 5L)))); // nested is not the key
    bob.sendEvent(room, "org.other.tags", map("tags", List.of("later", "urgent")));  // tagged
    bob.sendEvent(room, "org.other.tags", map("tags", "urgent"));                    // not an array
    assertCounts(alice, 3, 1);
    carol.send(room, "leaving");
    hs.leave(carol.req, room, null);
    bob.sendEvent(room, "com.example.ping", map());                                  // only 2 members now
    assertCounts(alice, 3, 1);
  }

  @Test
  void oneToOneRoomsRingWithTheDefaultSound() {
    String dm = alice.createRoom("preset", "trusted_private_chat", "invite", List.of(bob.id()), "is_direct", true);
    bob.join(dm);
    bob.send(dm, "psst");
    List<Map<String, Object>> n = notifications(alice, null, null, null);
    assertThat(n.get(0)).containsEntry("room_id", dm).containsEntry("actions", List.of("notify",
        map("set_tweak", "sound", "value", "default"), map("set_tweak", "highlight", "value", false)));
    // The invite itself notified bob (.m.rule.invite_for_me).
    assertThat(notifications(bob, null, null, null)).anySatisfy(x ->
        assertThat(Scene.obj(x, "event")).containsEntry("type", "m.room.member").containsEntry("state_key", bob.id()));
  }

  @Test
  void receiptsResetCountsAndMarkNotificationsRead() {
    String one = sendText(bob, "one");
    sendText(bob, "two, alice");
    String three = sendText(bob, "three");
    assertCounts(alice, 3, 1);
    hs.sendReceipt(alice.req, room, "m.read.private", one, null);
    assertCounts(alice, 2, 1);
    List<Map<String, Object>> n = notifications(alice, null, null, null);
    assertThat(n).extracting(x -> x.get("read")).containsExactly(false, false, true);
    assertThat(n).extracting(x -> Scene.obj(x, "event").get("event_id")).first().isEqualTo(three);
    hs.sendReceipt(alice.req, room, "m.read", three, null);
    assertCounts(alice, 0, 0);
    assertThat(notifications(alice, null, null, null)).extracting(x -> x.get("read")).containsOnly(true);
  }

  @Test
  void notificationsPageNewestFirstAndFilterHighlights() {
    for (int i = 0; i < 5; i++) {
      sendText(bob, "message " + i + (i % 2 == 0 ? " for alice" : ""));
    }
    Map<String, Object> page1 = hs.notifications(alice.req, null, 2L, null);
    assertThat(Scene.list(page1, "notifications")).extracting(x -> Scene.obj(x, "event", "content").get("body"))
        .containsExactly("message 4 for alice", "message 3");
    Map<String, Object> page2 = hs.notifications(alice.req, (String) page1.get("next_token"), 2L, null);
    assertThat(Scene.list(page2, "notifications")).extracting(x -> Scene.obj(x, "event", "content").get("body"))
        .containsExactly("message 2 for alice", "message 1");
    Map<String, Object> page3 = hs.notifications(alice.req, (String) page2.get("next_token"), 2L, null);
    assertThat(Scene.list(page3, "notifications")).hasSize(1);
    assertThat(page3).doesNotContainKey("next_token");
    assertThat(notifications(alice, null, null, "highlight")).extracting(x -> Scene.obj(x, "event", "content")
        .get("body")).containsExactly("message 4 for alice", "message 2 for alice", "message 0 for alice");
    Map<String, Object> first = notifications(alice, null, null, null).get(0);
    assertThat(first).containsKeys("actions", "event", "read", "room_id", "ts");
    assertThat(Scene.obj(first, "event")).doesNotContainKey("room_id");
    assertThat(first.get("ts")).isEqualTo(scene.clock.nowMillis());
    // A redacted event no longer counts or shows.
    String last = (String) Scene.obj(first, "event").get("event_id");
    hs.redact(bob.req, room, last, "red1", null);
    assertThat(notifications(alice, null, null, null)).hasSize(4);
    assertCounts(alice, 4, 2);
    assertThat(catchThrowableOfType(() -> hs.notifications(alice.req, "bogus", null, null), MatrixError.class)
        .errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(catchThrowableOfType(() -> hs.notifications(alice.req, null, -1L, null), MatrixError.class)
        .errcode()).isEqualTo("M_INVALID_PARAM");
  }

  @Test
  void ignoredUsersNeitherCountNorShow() {
    sendText(bob, "from bob");
    sendText(carol, "from carol");
    hs.setAccountData(alice.req, alice.id(), null, "m.ignored_user_list",
        map("ignored_users", map(bob.id(), map())));
    assertCounts(alice, 1, 0);
    assertThat(notifications(alice, null, null, null)).hasSize(1);
  }
}
