package io.melo.testkit.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The room versions the fake implements, with the parts of their algorithms that differ: whether
 * {@code m.room.create} must name a {@code creator} (10) or the creator is the create event's
 * sender (11), and the redaction algorithm's keep-lists.
 */
public enum RoomVersion {
  /** Room version 10. */
  V10("10"),
  /** Room version 11. */
  V11("11");

  private static final Set<String> TOP_LEVEL_V10 =
      Set.of(
          "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures",
          "depth", "prev_events", "prev_state", "auth_events", "origin", "origin_server_ts",
          "membership");
  private static final Set<String> TOP_LEVEL_V11 =
      Set.of(
          "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures",
          "depth", "prev_events", "auth_events", "origin_server_ts");

  private final String id;

  RoomVersion(String id) {
    this.id = id;
  }

  /** {@return the version string, for example {@code "10"}} */
  public String id() {
    return id;
  }

  /**
   * {@return the version with that id}
   *
   * @param id the version id, {@code 10} or {@code 11}
   * @throws MatrixError 400 M_UNSUPPORTED_ROOM_VERSION for any other version
   */
  public static RoomVersion of(String id) {
    for (RoomVersion v : values()) {
      if (v.id.equals(id)) {
        return v;
      }
    }
    throw new MatrixError(
        400, "M_UNSUPPORTED_ROOM_VERSION", "Room version '" + id + "' is not supported (10, 11 are)");
  }

  /**
   * {@return whether the create event must carry {@code content.creator} (true before version 11)}
   */
  public boolean createNeedsCreatorField() {
    return this == V10;
  }

  /** {@return whether a redaction event carries {@code redacts} in its content (version 11)} */
  public boolean redactsInContent() {
    return this == V11;
  }

  /** {@return the top-level keys that survive redaction of a federation-format event} */
  public Set<String> topLevelKeysKeptByRedaction() {
    return this == V10 ? TOP_LEVEL_V10 : TOP_LEVEL_V11;
  }

  /**
   * {@return the content that the redaction algorithm of this version keeps for an event of this
   * type} Returns a new map; the input is not changed.
   *
   * @param type the event type
   * @param content the event content
   */
  public Map<String, Object> redactContent(String type, Map<String, Object> content) {
    Map<String, Object> kept = new LinkedHashMap<>();
    switch (type) {
      case "m.room.member":
        keep(content, kept, "membership", "join_authorised_via_users_server");
        if (this == V11 && content.get("third_party_invite") instanceof Map) {
          Map<?, ?> tpi = (Map<?, ?>) content.get("third_party_invite");
          if (tpi.containsKey("signed")) {
            Map<String, Object> keptTpi = new LinkedHashMap<>();
            keptTpi.put("signed", tpi.get("signed"));
            kept.put("third_party_invite", keptTpi);
          }
        }
        break;
      case "m.room.create":
        if (this == V11) {
          kept.putAll(content);
        } else {
          keep(content, kept, "creator");
        }
        break;
      case "m.room.join_rules":
        keep(content, kept, "join_rule", "allow");
        break;
      case "m.room.power_levels":
        keep(
            content, kept, "ban", "events", "events_default", "kick", "redact", "state_default",
            "users", "users_default");
        if (this == V11) {
          keep(content, kept, "invite");
        }
        break;
      case "m.room.history_visibility":
        keep(content, kept, "history_visibility");
        break;
      case "m.room.redaction":
        if (this == V11) {
          keep(content, kept, "redacts");
        }
        break;
      default:
        break;
    }
    return kept;
  }

  /**
   * {@return the redaction algorithm applied to a whole event (federation or client format): the
   * top-level keys of this version and the content keep-list; {@code unsigned} survives too (it is
   * not part of the hashed event)}
   *
   * @param event the event as a JSON object
   */
  public Map<String, Object> redactEvent(Map<String, Object> event) {
    Map<String, Object> out = new LinkedHashMap<>();
    Set<String> keepTop = topLevelKeysKeptByRedaction();
    for (Map.Entry<String, Object> e : event.entrySet()) {
      if (keepTop.contains(e.getKey()) || e.getKey().equals("unsigned")) {
        out.put(e.getKey(), e.getValue());
      }
    }
    Object content = event.get("content");
    if (content instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> c = (Map<String, Object>) content;
      out.put("content", redactContent(String.valueOf(event.get("type")), c));
    } else {
      out.put("content", new LinkedHashMap<>());
    }
    return out;
  }

  private static void keep(Map<String, Object> from, Map<String, Object> to, String... keys) {
    for (String k : keys) {
      if (from.containsKey(k)) {
        to.put(k, from.get(k));
      }
    }
  }
}
