package io.melo.testkit.model;

import java.util.Map;

/**
 * Reads power levels from a room state with the spec's defaults: without an {@code
 * m.room.power_levels} event the creator has 100, everyone else 0, and every event needs 0; with
 * one, missing keys default to users_default 0, events_default 0, state_default 50, ban/kick/redact
 * 50, invite 0.
 */
final class PowerLevels {
  private final Map<String, Object> content;
  private final boolean present;
  private final String creator;

  private PowerLevels(Map<String, Object> content, boolean present, String creator) {
    this.content = content;
    this.present = present;
    this.creator = creator;
  }

  static PowerLevels of(StateMap state, RoomVersion version) {
    Event pl = state.get("m.room.power_levels", "");
    return new PowerLevels(pl == null ? Map.of() : pl.content(), pl != null, creator(state, version));
  }

  static String creator(StateMap state, RoomVersion version) {
    Event create = state.get("m.room.create", "");
    if (create == null) {
      return null;
    }
    if (version.createNeedsCreatorField()) {
      Object c = create.content().get("creator");
      return c instanceof String ? (String) c : null;
    }
    return create.sender();
  }

  static Long asLevel(Object value) {
    if (value instanceof Long || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    return null;
  }

  private long level(String key, long dflt) {
    Long v = asLevel(content.get(key));
    return v == null ? dflt : v;
  }

  long user(String userId) {
    if (!present) {
      return userId.equals(creator) ? 100 : 0;
    }
    Object users = content.get("users");
    if (users instanceof Map) {
      Long v = asLevel(((Map<?, ?>) users).get(userId));
      if (v != null) {
        return v;
      }
    }
    return level("users_default", 0);
  }

  long event(String type, boolean isState) {
    Object events = content.get("events");
    if (events instanceof Map) {
      Long v = asLevel(((Map<?, ?>) events).get(type));
      if (v != null) {
        return v;
      }
    }
    if (isState) {
      return present ? level("state_default", 50) : 0;
    }
    return level("events_default", 0);
  }

  long ban() {
    return level("ban", 50);
  }

  long kick() {
    return level("kick", 50);
  }

  long redact() {
    return level("redact", 50);
  }

  long invite() {
    return level("invite", 0);
  }

  long notificationRoom() {
    Object n = content.get("notifications");
    if (n instanceof Map) {
      Long v = asLevel(((Map<?, ?>) n).get("room"));
      if (v != null) {
        return v;
      }
    }
    return 50;
  }
}
