package io.melo.testkit.model;

import io.melo.testkit.json.Fields;
import java.util.List;
import java.util.Map;

/**
 * A parsed sync/messages filter (the spec's {@code Filter} and {@code RoomEventFilter}). Type
 * patterns may use {@code *} as a wildcard. Unknown fields are ignored, fields of the wrong type
 * raise 400 M_BAD_JSON naming them.
 */
final class Filter {
  static final Filter EMPTY = parse(Map.of());

  final EventFilter presence;
  final EventFilter accountData;
  final List<String> rooms;
  final List<String> notRooms;
  final boolean includeLeave;
  final EventFilter timeline;
  final EventFilter state;
  final EventFilter ephemeral;
  final EventFilter roomAccountData;
  /** The event_fields paths (each split on unescaped dots), or null for all fields. */
  final List<List<String>> eventFields;

  private Filter(Map<String, Object> json) {
    this.presence = EventFilter.parse(Fields.optObject(json, "presence"));
    this.accountData = EventFilter.parse(Fields.optObject(json, "account_data"));
    Map<String, Object> room = Fields.optObject(json, "room");
    if (room == null) {
      room = Map.of();
    }
    this.rooms = Fields.optStringList(room, "rooms");
    this.notRooms = Fields.optStringList(room, "not_rooms");
    this.includeLeave = Fields.optBoolean(room, "include_leave", false);
    this.timeline = EventFilter.parse(Fields.optObject(room, "timeline"));
    this.state = EventFilter.parse(Fields.optObject(room, "state"));
    this.ephemeral = EventFilter.parse(Fields.optObject(room, "ephemeral"));
    this.roomAccountData = EventFilter.parse(Fields.optObject(room, "account_data"));
    List<String> fields = Fields.optStringList(json, "event_fields");
    if (fields == null) {
      this.eventFields = null;
    } else {
      List<List<String>> paths = new java.util.ArrayList<>();
      for (String f : fields) {
        paths.add(splitPath(f));
      }
      this.eventFields = paths;
    }
    String format = Fields.optString(json, "event_format");
    if (format != null && !format.equals("client") && !format.equals("federation")) {
      throw MatrixError.badJson("'event_format' must be client or federation");
    }
  }

  private static List<String> splitPath(String path) {
    List<String> parts = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && i + 1 < path.length()) {
        cur.append(path.charAt(++i));
      } else if (c == '.') {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** The event JSON reduced to the event_fields paths; unchanged when there are none. */
  /** Whether {@link #project} keeps only some fields ({@code event_fields}); else it returns its argument. */
  boolean projectsFields() {
    return eventFields != null;
  }

  Map<String, Object> project(Map<String, Object> event) {
    if (eventFields == null) {
      return event;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (List<String> path : eventFields) {
      copyPath(event, out, path, 0);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void copyPath(Map<String, Object> from, Map<String, Object> to, List<String> path, int i) {
    String key = path.get(i);
    if (!from.containsKey(key)) {
      return;
    }
    Object value = from.get(key);
    if (i == path.size() - 1) {
      to.put(key, value);
      return;
    }
    if (value instanceof Map) {
      Object existing = to.get(key);
      Map<String, Object> child = existing instanceof Map ? (Map<String, Object>) existing : new java.util.LinkedHashMap<>();
      to.put(key, child);
      copyPath((Map<String, Object>) value, child, path, i + 1);
    }
  }

  static Filter parse(Map<String, Object> json) {
    return new Filter(json);
  }

  boolean includesRoom(String roomId) {
    if (notRooms != null && notRooms.contains(roomId)) {
      return false;
    }
    return rooms == null || rooms.contains(roomId);
  }

  /** A filter on events (the spec's EventFilter and RoomEventFilter). */
  static final class EventFilter {
    static final EventFilter ALL = new EventFilter(Map.of());

    final Long limit;
    final List<String> types;
    final List<String> notTypes;
    final List<String> senders;
    final List<String> notSenders;
    final List<String> rooms;
    final List<String> notRooms;
    final Boolean containsUrl;
    final boolean lazyLoadMembers;
    final boolean includeRedundantMembers;
    /** Whether unread counts are split into the main timeline and per thread (spec v1.4). */
    final boolean unreadThreadNotifications;

    private EventFilter(Map<String, Object> json) {
      this.limit = Fields.optInteger(json, "limit");
      if (limit != null && limit < 1) {
        throw MatrixError.badJson("'limit' must be a positive integer");
      }
      this.types = Fields.optStringList(json, "types");
      this.notTypes = Fields.optStringList(json, "not_types");
      this.senders = Fields.optStringList(json, "senders");
      this.notSenders = Fields.optStringList(json, "not_senders");
      this.rooms = Fields.optStringList(json, "rooms");
      this.notRooms = Fields.optStringList(json, "not_rooms");
      Object cu = json.get("contains_url");
      if (cu != null && !(cu instanceof Boolean)) {
        throw MatrixError.badJson("'contains_url' must be a boolean");
      }
      this.containsUrl = (Boolean) cu;
      this.lazyLoadMembers = Fields.optBoolean(json, "lazy_load_members", false);
      this.includeRedundantMembers = Fields.optBoolean(json, "include_redundant_members", false);
      this.unreadThreadNotifications = Fields.optBoolean(json, "unread_thread_notifications", false);
    }

    static EventFilter parse(Map<String, Object> json) {
      return json == null ? ALL : new EventFilter(json);
    }

    boolean matchesType(String type) {
      if (notTypes != null && matchesAny(notTypes, type)) {
        return false;
      }
      return types == null || matchesAny(types, type);
    }

    boolean matchesRoom(String roomId) {
      if (notRooms != null && notRooms.contains(roomId)) {
        return false;
      }
      return rooms == null || rooms.contains(roomId);
    }

    boolean matchesSender(String sender) {
      if (notSenders != null && notSenders.contains(sender)) {
        return false;
      }
      return senders == null || senders.contains(sender);
    }

    boolean matches(Event e) {
      if (!matchesType(e.type()) || !matchesSender(e.sender()) || !matchesRoom(e.roomId())) {
        return false;
      }
      if (containsUrl != null) {
        boolean has = e.content().get("url") instanceof String;
        return has == containsUrl;
      }
      return true;
    }

    int limitOr(int dflt, int max) {
      return limit == null ? dflt : (int) Math.min(limit, max);
    }

    private static boolean matchesAny(List<String> patterns, String type) {
      for (String p : patterns) {
        if (glob(p, type)) {
          return true;
        }
      }
      return false;
    }

    static boolean glob(String pattern, String value) {
      if (pattern.indexOf('*') < 0) {
        return pattern.equals(value);
      }
      StringBuilder regex = new StringBuilder();
      StringBuilder literal = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        if (c == '*') {
          if (literal.length() > 0) {
            regex.append(java.util.regex.Pattern.quote(literal.toString()));
            literal.setLength(0);
          }
          regex.append(".*");
        } else {
          literal.append(c);
        }
      }
      if (literal.length() > 0) {
        regex.append(java.util.regex.Pattern.quote(literal.toString()));
      }
      return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL)
          .matcher(value)
          .matches();
    }
  }
}
