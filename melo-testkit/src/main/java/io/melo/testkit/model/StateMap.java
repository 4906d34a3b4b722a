package io.melo.testkit.model;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable snapshot of a room's state: (event type, state key) to the state event. A new
 * state event makes a new snapshot ({@link #with(Event)}); message events share the snapshot
 * before them, so keeping one per event costs little.
 */
final class StateMap {
  static final StateMap EMPTY = new StateMap(Map.of());

  private final Map<String, Event> events;

  private StateMap(Map<String, Event> events) {
    this.events = events;
  }

  static String key(String type, String stateKey) {
    return type + '\u0000' + stateKey;
  }

  Event get(String type, String stateKey) {
    return events.get(key(type, stateKey));
  }

  StateMap with(Event stateEvent) {
    Map<String, Event> copy = new HashMap<>(events);
    copy.put(key(stateEvent.type(), stateEvent.stateKey()), stateEvent);
    return new StateMap(Collections.unmodifiableMap(copy));
  }

  Collection<Event> events() {
    return events.values();
  }

  int size() {
    return events.size();
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** The membership of a user: join, invite, leave, ban, knock; "leave" when there is none. */
  String membership(String userId) {
    Event member = get("m.room.member", userId);
    if (member == null) {
      return "leave";
    }
    Object m = member.content().get("membership");
    return m instanceof String ? (String) m : "leave";
  }

  /** The content of a state event, or an empty map. */
  Map<String, Object> content(String type, String stateKey) {
    Event e = get(type, stateKey);
    return e == null ? Map.of() : e.content();
  }

  String joinRule() {
    Object rule = content("m.room.join_rules", "").get("join_rule");
    return rule instanceof String ? (String) rule : "invite";
  }

  String historyVisibility() {
    Object v = content("m.room.history_visibility", "").get("history_visibility");
    return v instanceof String ? (String) v : "shared";
  }
}
