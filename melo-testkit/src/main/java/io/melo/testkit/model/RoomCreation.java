package io.melo.testkit.model;

import io.melo.testkit.json.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code createRoom}: validates every option first, then sends the events in the spec's order:
 * create, the creator's join, power levels (defaults, preset, then the override key by key),
 * canonical alias, preset state (join rules, history visibility, guest access), initial_state,
 * name, topic, and the invites. Runs under the homeserver's lock. When the authorization rules
 * refuse one of those events (say the override leaves the creator too little power), nothing is
 * kept and the answer is the spec's 400 {@code M_INVALID_ROOM_STATE}.
 */
final class RoomCreation {
  private RoomCreation() {}

  static String create(Homeserver hs, Requester requester, Map<String, Object> body) {
    String creator = requester.userId();
    Account account = hs.account(creator);
    String visibility = Fields.optString(body, "visibility", "private");
    if (!visibility.equals("public") && !visibility.equals("private")) {
      throw MatrixError.badJson("'visibility' must be public or private");
    }
    String aliasName = Fields.optString(body, "room_alias_name");
    String alias = null;
    if (aliasName != null) {
      if (aliasName.isEmpty() || aliasName.contains(":") || aliasName.chars().anyMatch(Character::isWhitespace)
          || aliasName.startsWith("#")) {
        throw MatrixError.invalidParam("'room_alias_name' must be the local part of an alias, was: " + aliasName);
      }
      alias = "#" + aliasName + ":" + hs.serverName;
      hs.checkLocalAlias(alias);
      if (hs.aliases.containsKey(alias)) {
        throw new MatrixError(400, "M_ROOM_IN_USE", "Room alias " + alias + " already taken");
      }
    }
    String name = Fields.optString(body, "name");
    String topic = Fields.optString(body, "topic");
    List<String> invites = Fields.optStringList(body, "invite");
    if (invites == null) {
      invites = List.of();
    }
    for (String invitee : invites) {
      if (!Ids.isUserId(invitee)) {
        throw MatrixError.invalidParam(invitee + " is not a valid user id");
      }
      if (!Ids.domain(invitee).equals(hs.serverName)) {
        throw MatrixError.forbidden("This server does not federate; cannot invite " + invitee);
      }
      hs.account(invitee);
    }
    List<Map<String, Object>> invite3pid = Fields.optObjectList(body, "invite_3pid");
    if (invite3pid != null && !invite3pid.isEmpty()) {
      throw MatrixError.invalidParam("Third-party invites are not supported by this server");
    }
    RoomVersion version = RoomVersion.of(Fields.optString(body, "room_version", Homeserver.DEFAULT_ROOM_VERSION));
    Map<String, Object> creationContent = Fields.optObject(body, "creation_content");
    List<Map<String, Object>> initialState = Fields.optObjectList(body, "initial_state");
    if (initialState == null) {
      initialState = List.of();
    }
    for (Map<String, Object> ev : initialState) {
      Fields.string(ev, "type");
      Fields.optString(ev, "state_key");
      Fields.object(ev, "content");
    }
    String preset = Fields.optString(body, "preset");
    if (preset == null) {
      preset = visibility.equals("public") ? "public_chat" : "private_chat";
    }
    if (!List.of("private_chat", "public_chat", "trusted_private_chat").contains(preset)) {
      throw MatrixError.badJson("'preset' must be private_chat, public_chat or trusted_private_chat");
    }
    boolean isDirect = Fields.optBoolean(body, "is_direct", false);
    Map<String, Object> plOverride = Fields.optObject(body, "power_level_content_override");

    Room room = new Room(hs.newRoomId(), version);
    hs.rooms.put(room.roomId, room);
    try {
      Map<String, Object> create = new LinkedHashMap<>();
      if (creationContent != null) {
        create.putAll(creationContent);
      }
      if (version.createNeedsCreatorField()) {
        create.put("creator", creator);
      } else {
        create.remove("creator");
      }
      create.put("room_version", version.id());
      hs.appendEvent(room, creator, "m.room.create", "", create, null, null, null);
      hs.appendEvent(room, creator, "m.room.member", creator,
          hs.memberContent(account, "join", null), null, null, null);

      Map<String, Object> pl = defaultPowerLevels(creator, preset);
      if (preset.equals("trusted_private_chat")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> users = (Map<String, Object>) pl.get("users");
        for (String invitee : invites) {
          users.put(invitee, 100L);
        }
      }
      if (plOverride != null) {
        pl.putAll(plOverride);
      }
      hs.appendEvent(room, creator, "m.room.power_levels", "", pl, null, null, null);

      if (alias != null) {
        hs.aliases.put(alias, new Homeserver.Alias(alias, room.roomId, creator));
        hs.appendEvent(room, creator, "m.room.canonical_alias", "", Map.of("alias", alias), null, null, null);
      }

      Map<String, Map<String, Object>> presetState = new LinkedHashMap<>();
      if (preset.equals("public_chat")) {
        presetState.put("m.room.join_rules", Map.of("join_rule", "public"));
        presetState.put("m.room.history_visibility", Map.of("history_visibility", "shared"));
      } else {
        presetState.put("m.room.join_rules", Map.of("join_rule", "invite"));
        presetState.put("m.room.history_visibility", Map.of("history_visibility", "shared"));
        presetState.put("m.room.guest_access", Map.of("guest_access", "can_join"));
      }
      Map<String, Map<String, Object>> initialByKey = new LinkedHashMap<>();
      for (Map<String, Object> ev : initialState) {
        String key = StateMap.key(Fields.string(ev, "type"), Fields.optString(ev, "state_key", ""));
        initialByKey.put(key, ev);
      }
      for (Map.Entry<String, Map<String, Object>> e : presetState.entrySet()) {
        if (!initialByKey.containsKey(StateMap.key(e.getKey(), ""))) {
          hs.appendEvent(room, creator, e.getKey(), "", e.getValue(), null, null, null);
        }
      }
      for (Map<String, Object> ev : initialByKey.values()) {
        String type = Fields.string(ev, "type");
        if ((type.equals("m.room.name") && name != null) || (type.equals("m.room.topic") && topic != null)) {
          continue;
        }
        hs.appendEvent(room, creator, type, Fields.optString(ev, "state_key", ""),
            Fields.object(ev, "content"), null, null, null);
      }
      if (name != null) {
        hs.appendEvent(room, creator, "m.room.name", "", Map.of("name", name), null, null, null);
      }
      if (topic != null) {
        Map<String, Object> topicContent = new LinkedHashMap<>();
        topicContent.put("topic", topic);
        topicContent.put("m.topic", Map.of("m.text", List.of(Map.of("body", topic, "mimetype", "text/plain"))));
        hs.appendEvent(room, creator, "m.room.topic", "", topicContent, null, null, null);
      }
      for (String invitee : invites) {
        hs.inviteLocked(creator, room.roomId, invitee, null, isDirect);
      }
      room.directoryVisibility = visibility;
      return room.roomId;
    } catch (RuntimeException e) {
      rollBack(hs, room);
      if (e instanceof MatrixError && ((MatrixError) e).errcode().equals("M_FORBIDDEN")) {
        throw new MatrixError(400, "M_INVALID_ROOM_STATE",
            "The initial state of the room is invalid: " + e.getMessage());
      }
      throw e;
    }
  }

  /** A refused initial event leaves no half-made room behind. */
  private static void rollBack(Homeserver hs, Room room) {
    for (Event ev : room.timeline) {
      hs.events.remove(ev.eventId());
    }
    hs.rooms.remove(room.roomId);
    hs.aliases.values().removeIf(a -> a.roomId().equals(room.roomId));
    for (Account a : hs.accounts.values()) {
      a.rooms.remove(room.roomId);
    }
  }

  static Map<String, Object> defaultPowerLevels(String creator, String preset) {
    Map<String, Object> users = new LinkedHashMap<>();
    users.put(creator, 100L);
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("m.room.name", 50L);
    events.put("m.room.power_levels", 100L);
    events.put("m.room.history_visibility", 100L);
    events.put("m.room.canonical_alias", 50L);
    events.put("m.room.avatar", 50L);
    events.put("m.room.tombstone", 100L);
    events.put("m.room.server_acl", 100L);
    events.put("m.room.encryption", 100L);
    Map<String, Object> pl = new LinkedHashMap<>();
    pl.put("users", users);
    pl.put("users_default", 0L);
    pl.put("events", events);
    pl.put("events_default", 0L);
    pl.put("state_default", 50L);
    pl.put("ban", 50L);
    pl.put("kick", 50L);
    pl.put("redact", 50L);
    pl.put("invite", preset.equals("public_chat") ? 50L : 0L);
    return pl;
  }
}
