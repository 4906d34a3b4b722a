package io.melo.testkit.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The spec's authorization rules for room versions 10 and 11, checked against the room state
 * before the event. Every refusal is 403 {@code M_FORBIDDEN} with the reason. Not implemented
 * (the fake never creates them): third-party invites (refused), federation checks (one server).
 */
final class AuthRules {
  private static final List<String> PL_TOP_KEYS =
      List.of("users_default", "events_default", "state_default", "ban", "redact", "kick", "invite");

  private AuthRules() {}

  static void check(
      RoomVersion version,
      StateMap state,
      String sender,
      String type,
      String stateKey,
      Map<String, Object> content) {
    if (type.equals("m.room.create")) {
      if (!state.isEmpty() || !"".equals(stateKey)) {
        throw deny("m.room.create must be the first event of a room, with an empty state key");
      }
      Object rv = content.get("room_version");
      if (rv != null && !(rv instanceof String && isKnownVersion((String) rv))) {
        throw deny("m.room.create has an unknown room_version");
      }
      if (version.createNeedsCreatorField() && !(content.get("creator") instanceof String)) {
        throw deny("m.room.create needs a creator in room version " + version.id());
      }
      return;
    }
    if (state.get("m.room.create", "") == null) {
      throw deny("the room has no m.room.create event");
    }
    PowerLevels pl = PowerLevels.of(state, version);
    if (type.equals("m.room.member")) {
      checkMember(version, state, pl, sender, stateKey, content);
      return;
    }
    if (!"join".equals(state.membership(sender))) {
      throw deny(sender + " is not joined to the room");
    }
    if (type.equals("m.room.third_party_invite")) {
      if (pl.user(sender) < pl.invite()) {
        throw deny(sender + " has power level " + pl.user(sender) + ", inviting needs " + pl.invite());
      }
      return;
    }
    long needed = pl.event(type, stateKey != null);
    long has = pl.user(sender);
    if (has < needed) {
      throw deny(
          sender + " has power level " + has + ", sending " + type + " needs " + needed);
    }
    if (stateKey != null && stateKey.startsWith("@") && !stateKey.equals(sender)) {
      throw deny("the state key " + stateKey + " starts with @ and is not the sender " + sender);
    }
    if (type.equals("m.room.power_levels")) {
      checkPowerLevels(state, pl, sender, content);
    }
  }

  private static boolean isKnownVersion(String v) {
    for (RoomVersion rv : RoomVersion.values()) {
      if (rv.id().equals(v)) {
        return true;
      }
    }
    return false;
  }

  private static void checkMember(
      RoomVersion version,
      StateMap state,
      PowerLevels pl,
      String sender,
      String target,
      Map<String, Object> content) {
    if (target == null) {
      throw deny("m.room.member needs a state key");
    }
    Object m = content.get("membership");
    if (!(m instanceof String)) {
      throw deny("m.room.member needs a membership");
    }
    String membership = (String) m;
    String senderMembership = state.membership(sender);
    String targetMembership = state.membership(target);
    String joinRule = state.joinRule();
    switch (membership) {
      case "join":
        {
          if (state.size() == 1
              && target.equals(PowerLevels.creator(state, version))
              && sender.equals(target)) {
            return;
          }
          if (!sender.equals(target)) {
            throw deny(sender + " cannot make " + target + " join");
          }
          if (senderMembership.equals("ban")) {
            throw deny(sender + " is banned from the room");
          }
          if (joinRule.equals("invite") || joinRule.equals("knock")) {
            if (targetMembership.equals("invite") || targetMembership.equals("join")) {
              return;
            }
            throw deny(sender + " is not invited (join rule " + joinRule + ")");
          }
          if (joinRule.equals("restricted") || joinRule.equals("knock_restricted")) {
            if (targetMembership.equals("invite") || targetMembership.equals("join")) {
              return;
            }
            Object via = content.get("join_authorised_via_users_server");
            if (!(via instanceof String)) {
              throw deny(sender + " may not join: the room is restricted and no member authorised it");
            }
            String authoriser = (String) via;
            if (!state.membership(authoriser).equals("join") || pl.user(authoriser) < pl.invite()) {
              throw deny(authoriser + " cannot authorise joins (not joined or cannot invite)");
            }
            return;
          }
          if (joinRule.equals("public")) {
            return;
          }
          throw deny(sender + " may not join: join rule is " + joinRule);
        }
      case "invite":
        {
          if (content.containsKey("third_party_invite")) {
            throw deny("third-party invites are not supported by this server");
          }
          if (!senderMembership.equals("join")) {
            throw deny(sender + " is not joined and cannot invite");
          }
          if (targetMembership.equals("join") || targetMembership.equals("ban")) {
            throw deny(target + " is " + (targetMembership.equals("join") ? "already joined" : "banned"));
          }
          if (pl.user(sender) >= pl.invite()) {
            return;
          }
          throw deny(sender + " has power level " + pl.user(sender) + ", inviting needs " + pl.invite());
        }
      case "leave":
        {
          if (sender.equals(target)) {
            if (targetMembership.equals("invite")
                || targetMembership.equals("join")
                || targetMembership.equals("knock")) {
              return;
            }
            throw deny(sender + " cannot leave: membership is " + targetMembership);
          }
          if (!senderMembership.equals("join")) {
            throw deny(sender + " is not joined");
          }
          long senderLevel = pl.user(sender);
          if (targetMembership.equals("ban") && senderLevel < pl.ban()) {
            throw deny(sender + " has power level " + senderLevel + ", unbanning needs " + pl.ban());
          }
          if (senderLevel >= pl.kick() && pl.user(target) < senderLevel) {
            return;
          }
          throw deny(
              sender + " (power level " + senderLevel + ") cannot kick " + target + " (power level "
                  + pl.user(target) + "; kicking needs " + pl.kick() + " and more than the target)");
        }
      case "ban":
        {
          if (!senderMembership.equals("join")) {
            throw deny(sender + " is not joined");
          }
          long senderLevel = pl.user(sender);
          if (senderLevel >= pl.ban() && pl.user(target) < senderLevel) {
            return;
          }
          throw deny(
              sender + " (power level " + senderLevel + ") cannot ban " + target + " (power level "
                  + pl.user(target) + "; banning needs " + pl.ban() + " and more than the target)");
        }
      case "knock":
        {
          if (!joinRule.equals("knock") && !joinRule.equals("knock_restricted")) {
            throw deny("the room does not allow knocking (join rule " + joinRule + ")");
          }
          if (!sender.equals(target)) {
            throw deny(sender + " cannot knock for " + target);
          }
          if (senderMembership.equals("ban")
              || senderMembership.equals("invite")
              || senderMembership.equals("join")) {
            throw deny(sender + " cannot knock: membership is " + senderMembership);
          }
          return;
        }
      default:
        throw deny("unknown membership " + membership);
    }
  }

  private static void checkPowerLevels(
      StateMap state, PowerLevels pl, String sender, Map<String, Object> content) {
    for (String key : PL_TOP_KEYS) {
      if (content.containsKey(key) && PowerLevels.asLevel(content.get(key)) == null) {
        throw deny("m.room.power_levels: '" + key + "' must be an integer");
      }
    }
    Object users = content.get("users");
    if (users != null) {
      if (!(users instanceof Map)) {
        throw deny("m.room.power_levels: 'users' must be an object");
      }
      for (Map.Entry<?, ?> e : ((Map<?, ?>) users).entrySet()) {
        String uid = String.valueOf(e.getKey());
        if (!Ids.isUserId(uid)) {
          throw deny("m.room.power_levels: '" + uid + "' in 'users' is not a user id");
        }
        if (PowerLevels.asLevel(e.getValue()) == null) {
          throw deny("m.room.power_levels: the level of " + uid + " must be an integer");
        }
      }
    }
    for (String mapKey : List.of("events", "notifications")) {
      Object map = content.get(mapKey);
      if (map == null) {
        continue;
      }
      if (!(map instanceof Map)) {
        throw deny("m.room.power_levels: '" + mapKey + "' must be an object");
      }
      for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
        if (PowerLevels.asLevel(e.getValue()) == null) {
          throw deny("m.room.power_levels: '" + mapKey + "." + e.getKey() + "' must be an integer");
        }
      }
    }
    Event current = state.get("m.room.power_levels", "");
    if (current == null) {
      return;
    }
    Map<String, Object> old = current.content();
    long senderLevel = pl.user(sender);
    for (String key : PL_TOP_KEYS) {
      checkChange(key, old.get(key), content.get(key), senderLevel, sender);
    }
    for (String mapKey : List.of("events", "notifications")) {
      Map<?, ?> oldMap = old.get(mapKey) instanceof Map ? (Map<?, ?>) old.get(mapKey) : Map.of();
      Map<?, ?> newMap =
          content.get(mapKey) instanceof Map ? (Map<?, ?>) content.get(mapKey) : Map.of();
      Set<Object> keys = new HashSet<>(oldMap.keySet());
      keys.addAll(newMap.keySet());
      for (Object k : keys) {
        checkChange(mapKey + "." + k, oldMap.get(k), newMap.get(k), senderLevel, sender);
      }
    }
    Map<?, ?> oldUsers = old.get("users") instanceof Map ? (Map<?, ?>) old.get("users") : Map.of();
    Map<?, ?> newUsers = users instanceof Map ? (Map<?, ?>) users : Map.of();
    Set<Object> keys = new HashSet<>(oldUsers.keySet());
    keys.addAll(newUsers.keySet());
    for (Object k : keys) {
      Object before = oldUsers.get(k);
      Object after = newUsers.get(k);
      if (Objects.equals(PowerLevels.asLevel(before), PowerLevels.asLevel(after))) {
        continue;
      }
      if (before != null && !k.equals(sender) && PowerLevels.asLevel(before) >= senderLevel) {
        throw deny(
            sender + " (power level " + senderLevel + ") cannot change the level of " + k
                + " (power level " + PowerLevels.asLevel(before) + ")");
      }
      if (after != null && PowerLevels.asLevel(after) > senderLevel) {
        throw deny(
            sender + " (power level " + senderLevel + ") cannot raise " + k + " to "
                + PowerLevels.asLevel(after));
      }
    }
  }

  private static void checkChange(
      String key, Object before, Object after, long senderLevel, String sender) {
    Long b = PowerLevels.asLevel(before);
    Long a = PowerLevels.asLevel(after);
    if (Objects.equals(b, a)) {
      return;
    }
    if (b != null && b > senderLevel) {
      throw deny(
          sender + " (power level " + senderLevel + ") cannot change '" + key + "' from " + b);
    }
    if (a != null && a > senderLevel) {
      throw deny(sender + " (power level " + senderLevel + ") cannot set '" + key + "' to " + a);
    }
  }

  static MatrixError deny(String reason) {
    return MatrixError.forbidden(reason);
  }
}
