package io.melo.testkit.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of a room's state: event type, then state key, to the state event. A new
 * state event makes a new snapshot ({@link #with(Event)}) that copies only the outer map and the
 * map of that event's type; message events share the snapshot before them, so keeping one per
 * event costs little.
 */
final class StateMap {
  static final StateMap EMPTY = new StateMap(Map.of(), 0);

  private final Map<String, Map<String, Event>> byType;
  private final int size;
  private volatile List<Event> flattened;

  private StateMap(Map<String, Map<String, Event>> byType, int size) {
    this.byType = byType;
    this.size = size;
  }

  /** A single string key for a (type, state key) pair, for callers that need one. */
  static String key(String type, String stateKey) {
    return type + '\u0000' + stateKey;
  }

  Event get(String type, String stateKey) {
    Map<String, Event> ofType = byType.get(type);
    return ofType == null ? null : ofType.get(stateKey);
  }

  StateMap with(Event stateEvent) {
    Map<String, Map<String, Event>> outer = new HashMap<>(byType);
    Map<String, Event> old = byType.get(stateEvent.type());
    Map<String, Event> inner = old == null ? new HashMap<>() : new HashMap<>(old);
    boolean added = inner.put(stateEvent.stateKey(), stateEvent) == null;
    outer.put(stateEvent.type(), Collections.unmodifiableMap(inner));
    return new StateMap(Collections.unmodifiableMap(outer), added ? size + 1 : size);
  }

  /** Every state event (a cached, unmodifiable list). */
  Collection<Event> events() {
    List<Event> list = flattened;
    if (list == null) {
      List<Event> all = new ArrayList<>(size);
      for (Map<String, Event> ofType : byType.values()) {
        all.addAll(ofType.values());
      }
      list = Collections.unmodifiableList(all);
      flattened = list;
    }
    return list;
  }

  /** The joined and invited members in stream order, and how many of each (see {@link #memberSummary()}). */
  record MemberSummary(List<Event> members, int joined, int invited) {}

  private volatile MemberSummary memberSummary;

  /**
   * The joined and invited member events sorted by stream position, with the counts: what a
   * {@code /sync} room summary needs, computed once per snapshot instead of once per sync.
   */
  MemberSummary memberSummary() {
    MemberSummary cached = memberSummary;
    if (cached == null) {
      int joined = 0;
      int invited = 0;
      List<Event> members = new ArrayList<>();
      for (Event e : members()) {
        if (!e.type().equals("m.room.member")) {
          continue;
        }
        Object m = e.content().get("membership");
        if ("join".equals(m)) {
          joined++;
          members.add(e);
        } else if ("invite".equals(m)) {
          invited++;
          members.add(e);
        }
      }
      members.sort(java.util.Comparator.comparingLong(Event::streamPosition));
      cached = new MemberSummary(Collections.unmodifiableList(members), joined, invited);
      memberSummary = cached;
    }
    return cached;
  }

  /** The state events of one type. */
  Collection<Event> ofType(String type) {
    Map<String, Event> ofType = byType.get(type);
    return ofType == null ? List.of() : ofType.values();
  }

  /** The member events. */
  Collection<Event> members() {
    return ofType("m.room.member");
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
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
