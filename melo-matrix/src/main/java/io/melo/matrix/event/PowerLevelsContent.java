package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of {@code m.room.power_levels}. Absent levels are null here and
 * {@link #userLevel(String)}, {@link #eventLevel(String, boolean)} and friends apply the spec's
 * defaults. A read-modify-write keeps every field Melo does not know: {@code withUser(..)} and the
 * other {@code with} methods change one thing and keep the rest, {@code extra} included. Levels sent
 * as strings holding an integer (older room versions allow it) are read as integers; a map entry
 * whose level is not an integer at all is kept, untouched, in {@code extra}'s copy of that map.
 *
 * @param users explicit user levels, in order
 * @param usersDefault {@code users_default}, or null
 * @param events explicit event-type levels, in order
 * @param eventsDefault {@code events_default}, or null
 * @param stateDefault {@code state_default}, or null
 * @param invite {@code invite}, or null
 * @param kick {@code kick}, or null
 * @param ban {@code ban}, or null
 * @param redact {@code redact}, or null
 * @param notifications {@code notifications} levels (such as {@code room}), in order
 * @param extra every other field, kept as received
 */
public record PowerLevelsContent(
    Map<String, Long> users,
    Long usersDefault,
    Map<String, Long> events,
    Long eventsDefault,
    Long stateDefault,
    Long invite,
    Long kick,
    Long ban,
    Long redact,
    Map<String, Long> notifications,
    JsonObject extra) {

  /**
   * Copies the maps (unmodifiable, order kept) and replaces nulls with empty ones.
   *
   * @param users explicit user levels, in order
   * @param usersDefault {@code users_default}, or null
   * @param events explicit event-type levels, in order
   * @param eventsDefault {@code events_default}, or null
   * @param stateDefault {@code state_default}, or null
   * @param invite {@code invite}, or null
   * @param kick {@code kick}, or null
   * @param ban {@code ban}, or null
   * @param redact {@code redact}, or null
   * @param notifications {@code notifications} levels (such as {@code room}), in order
   * @param extra every other field, kept as received
   */
  public PowerLevelsContent {
    users = copy(users, "users");
    events = copy(events, "events");
    notifications = copy(notifications, "notifications");
    extra = ContentReader.orEmpty(extra);
  }

  private static Map<String, Long> copy(Map<String, Long> map, String name) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, Long> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (key == null || value == null) {
        throw new IllegalArgumentException(name + " must not contain null keys or levels");
      }
      copy.put(key, value);
    });
    return Collections.unmodifiableMap(copy);
  }

  /** Power levels with no explicit entries: every level takes its spec default. */
  public static final PowerLevelsContent EMPTY =
      new PowerLevelsContent(Map.of(), null, Map.of(), null, null, null, null, null, null, Map.of(), JsonObject.EMPTY);

  /**
   * Reads a power-levels content. Never throws.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; levels may be JSON integers or strings holding one (as older room versions
   *     allow), anything else reads as absent and stays in {@code extra}
   */
  public static PowerLevelsContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    Map<String, Long> users = levels(json, "users", r);
    Map<String, Long> events = levels(json, "events", r);
    Map<String, Long> notifications = levels(json, "notifications", r);
    return new PowerLevelsContent(users, r.integer("users_default"), events, r.integer("events_default"),
        r.integer("state_default"), r.integer("invite"), r.integer("kick"), r.integer("ban"), r.integer("redact"),
        notifications, r.extra());
  }

  /** Reads a map of levels; consumed only when every entry is a level, so nothing is ever dropped. */
  private static Map<String, Long> levels(JsonObject json, String key, ContentReader r) {
    JsonObject map = json.getObject(key).orElse(null);
    if (map == null) {
      return Map.of();
    }
    LinkedHashMap<String, Long> out = new LinkedHashMap<>();
    boolean[] all = {true};
    map.forEach((name, value) -> {
      Long level = ContentReader.asLevel(value);
      if (level == null) {
        all[0] = false;
      } else {
        out.put(name, level);
      }
    });
    if (all[0]) {
      r.consume(key);
    }
    return out;
  }

  /**
   * {@return the level of a user: their entry in {@code users}, else {@code users_default} (default
   * 0)}
   *
   * @param userId the user's id
   */
  public long userLevel(String userId) {
    Long level = users.get(userId);
    return level != null ? level : usersDefault != null ? usersDefault : 0;
  }

  /**
   * {@return the level needed to send an event type: its entry in {@code events}, else {@code
   * state_default} (default 50) for a state event or {@code events_default} (default 0) for another
   * event}
   *
   * @param eventType the event type, such as {@code m.room.name}
   * @param isState whether the event is a state event
   */
  public long eventLevel(String eventType, boolean isState) {
    Long level = events.get(eventType);
    if (level != null) {
      return level;
    }
    if (isState) {
      return stateDefault != null ? stateDefault : 50;
    }
    return eventsDefault != null ? eventsDefault : 0;
  }

  /** {@return the level needed to invite (default 0)} */
  public long inviteLevel() {
    return invite != null ? invite : 0;
  }

  /** {@return the level needed to kick (default 50)} */
  public long kickLevel() {
    return kick != null ? kick : 50;
  }

  /** {@return the level needed to ban (default 50)} */
  public long banLevel() {
    return ban != null ? ban : 50;
  }

  /** {@return the level needed to redact another user's event (default 50)} */
  public long redactLevel() {
    return redact != null ? redact : 50;
  }

  /**
   * {@return the level needed for a notification key such as {@code room} (default 50)}
   *
   * @param key the notification key
   */
  public long notificationLevel(String key) {
    Long level = notifications.get(key);
    return level != null ? level : 50;
  }

  /**
   * {@return a copy with a user's level set; everything else, unknown fields included, is kept}
   *
   * @param userId the user's id; empty is an {@link IllegalArgumentException}
   * @param level the user's power level
   */
  public PowerLevelsContent withUser(String userId, long level) {
    requireKey(userId, "userId");
    LinkedHashMap<String, Long> copy = new LinkedHashMap<>(users);
    copy.put(userId, level);
    return new PowerLevelsContent(copy, usersDefault, events, eventsDefault, stateDefault, invite, kick, ban, redact,
        notifications, extraWithout("users", userId));
  }

  /**
   * {@return a copy without a user's entry (they fall back to {@code users_default})}
   *
   * @param userId the user's id; no entry is fine
   */
  public PowerLevelsContent withoutUser(String userId) {
    LinkedHashMap<String, Long> copy = new LinkedHashMap<>(users);
    copy.remove(userId);
    return new PowerLevelsContent(copy, usersDefault, events, eventsDefault, stateDefault, invite, kick, ban, redact,
        notifications, extraWithout("users", userId));
  }

  /**
   * {@return a copy with the level needed for an event type}
   *
   * @param eventType the event type; empty is an {@link IllegalArgumentException}
   * @param level the level needed to send it
   */
  public PowerLevelsContent withEvent(String eventType, long level) {
    requireKey(eventType, "eventType");
    LinkedHashMap<String, Long> copy = new LinkedHashMap<>(events);
    copy.put(eventType, level);
    return new PowerLevelsContent(users, usersDefault, copy, eventsDefault, stateDefault, invite, kick, ban, redact,
        notifications, extraWithout("events", eventType));
  }

  /**
   * {@return a copy with {@code users_default} set}
   *
   * @param level the level of users without an entry
   */
  public PowerLevelsContent withUsersDefault(long level) {
    return new PowerLevelsContent(users, level, events, eventsDefault, stateDefault, invite, kick, ban, redact, notifications, extra);
  }

  /**
   * {@return a copy with {@code events_default} set}
   *
   * @param level the level needed for message events without an entry
   */
  public PowerLevelsContent withEventsDefault(long level) {
    return new PowerLevelsContent(users, usersDefault, events, level, stateDefault, invite, kick, ban, redact, notifications, extra);
  }

  /**
   * {@return a copy with {@code state_default} set}
   *
   * @param level the level needed for state events without an entry
   */
  public PowerLevelsContent withStateDefault(long level) {
    return new PowerLevelsContent(users, usersDefault, events, eventsDefault, level, invite, kick, ban, redact, notifications, extra);
  }

  /**
   * {@return a copy with {@code invite}, {@code kick}, {@code ban} and {@code redact} set}
   *
   * @param inviteLevel the level needed to invite
   * @param kickLevel the level needed to kick
   * @param banLevel the level needed to ban
   * @param redactLevel the level needed to redact another user's event
   */
  public PowerLevelsContent withModeration(long inviteLevel, long kickLevel, long banLevel, long redactLevel) {
    return new PowerLevelsContent(users, usersDefault, events, eventsDefault, stateDefault, inviteLevel, kickLevel,
        banLevel, redactLevel, notifications, extra);
  }

  private static void requireKey(String key, String name) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }

  /** When a map was kept in extra (it held a non-integer entry), drops the entry being replaced there. */
  private JsonObject extraWithout(String mapKey, String entry) {
    JsonObject kept = extra.getObject(mapKey).orElse(null);
    if (kept == null || !kept.containsKey(entry)) {
      return extra;
    }
    return extra.with(mapKey, kept.without(entry));
  }

  /** {@return this content as JSON; {@code users} and {@code events} are always written} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder()
        .put("users", merged("users", users))
        .putOrRemove("users_default", usersDefault)
        .put("events", merged("events", events))
        .putOrRemove("events_default", eventsDefault)
        .putOrRemove("state_default", stateDefault)
        .putOrRemove("invite", invite)
        .putOrRemove("kick", kick)
        .putOrRemove("ban", ban)
        .putOrRemove("redact", redact);
    if (!notifications.isEmpty() || extra.containsKey("notifications")) {
      b.put("notifications", merged("notifications", notifications));
    }
    return ContentReader.withExtra(b, extra);
  }

  /** A map's levels, plus the odd entries of it kept in extra (in the original's order). */
  private JsonObject merged(String mapKey, Map<String, Long> levels) {
    JsonObject kept = extra.getObject(mapKey).orElse(null);
    JsonObject.Builder b = JsonObject.builder();
    if (kept != null) {
      kept.forEach((name, value) -> {
        Long level = levels.get(name);
        b.put(name, level != null ? JsonValue.of(level) : value);
      });
    }
    levels.forEach(b::put);
    return b.build();
  }
}
