package io.melo.testkit.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The spec's default push rule set ("Predefined rules"), for a user. Internal: not API. */
final class PushRules {
  private PushRules() {}

  /** The {@code global} ruleset of a user with no rules of their own. */
  static Map<String, Object> global(String userId) {
    String localpart = userId.startsWith("@") && userId.indexOf(':') > 0
        ? userId.substring(1, userId.indexOf(':')) : userId;
    Map<String, Object> global = new LinkedHashMap<>();
    List<Object> override = new ArrayList<>();
    override.add(rule(".m.rule.master", false, List.of(), List.of()));
    override.add(rule(".m.rule.suppress_notices", true,
        List.of(match("content.msgtype", "m.notice")), List.of()));
    override.add(rule(".m.rule.invite_for_me", true, List.of(match("type", "m.room.member"),
        match("content.membership", "invite"), match("state_key", userId)), notifySound("default")));
    override.add(rule(".m.rule.member_event", true, List.of(match("type", "m.room.member")), List.of()));
    override.add(rule(".m.rule.is_user_mention", true,
        List.of(Map.of("kind", "event_property_contains", "key", "content.m\\.mentions.user_ids", "value", userId)),
        notifySound("default", true)));
    override.add(rule(".m.rule.is_room_mention", true, List.of(
        Map.of("kind", "event_property_is", "key", "content.m\\.mentions.room", "value", true),
        Map.of("kind", "sender_notification_permission", "key", "room")), notifySound(null, true)));
    override.add(rule(".m.rule.tombstone", true, List.of(match("type", "m.room.tombstone"),
        match("state_key", "")), notifySound(null, true)));
    override.add(rule(".m.rule.reaction", true, List.of(match("type", "m.reaction")), List.of()));
    override.add(rule(".m.rule.room.server_acl", true, List.of(match("type", "m.room.server_acl"),
        match("state_key", "")), List.of()));
    override.add(rule(".m.rule.suppress_edits", true, List.of(
        Map.of("kind", "event_property_is", "key", "content.m\\.relates_to.rel_type", "value", "m.replace")),
        List.of()));
    global.put("override", override);

    Map<String, Object> contains = rule(".m.rule.contains_user_name", true, null,
        notifySound("default", true));
    contains.put("pattern", localpart);
    global.put("content", List.of(contains));
    global.put("room", List.of());
    global.put("sender", List.of());

    List<Object> underride = new ArrayList<>();
    underride.add(rule(".m.rule.call", true, List.of(match("type", "m.call.invite")), notifySound("ring")));
    underride.add(rule(".m.rule.encrypted_room_one_to_one", true, List.of(
        Map.of("kind", "room_member_count", "is", "2"), match("type", "m.room.encrypted")), notifySound(null)));
    underride.add(rule(".m.rule.room_one_to_one", true, List.of(
        Map.of("kind", "room_member_count", "is", "2"), match("type", "m.room.message")), notifySound(null)));
    underride.add(rule(".m.rule.message", true, List.of(match("type", "m.room.message")), List.of("notify")));
    underride.add(rule(".m.rule.encrypted", true, List.of(match("type", "m.room.encrypted")), List.of("notify")));
    global.put("underride", underride);
    return global;
  }

  private static Map<String, Object> match(String key, String pattern) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "event_match");
    m.put("key", key);
    m.put("pattern", pattern);
    return m;
  }

  private static List<Object> notifySound(String sound) {
    return notifySound(sound, false);
  }

  private static List<Object> notifySound(String sound, boolean highlight) {
    List<Object> actions = new ArrayList<>();
    actions.add("notify");
    if (sound != null) {
      actions.add(Map.of("set_tweak", "sound", "value", sound));
    }
    if (highlight) {
      actions.add(Map.of("set_tweak", "highlight"));
    }
    return actions;
  }

  private static Map<String, Object> rule(String id, boolean enabled, List<?> conditions, List<?> actions) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rule_id", id);
    r.put("default", true);
    r.put("enabled", enabled);
    if (conditions != null) {
      r.put("conditions", conditions);
    }
    r.put("actions", actions);
    return r;
  }
}
