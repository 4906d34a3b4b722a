package io.melo.core.internal;

import io.melo.matrix.event.PowerLevelsContent;
import io.melo.matrix.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The power levels Melo gives a new space and its channels, exactly as DESIGN.md fixes them, as
 * a typed value to send as {@code power_level_content_override}. Not API.
 *
 * @param usersDefault {@code users_default}: 0
 * @param eventsDefault {@code events_default}: 0
 * @param stateDefault {@code state_default}: 100, so every state type not listed is admin-only
 * @param invite {@code invite}: 0 in the space, 50 in channels
 * @param kick {@code kick}: 50
 * @param ban {@code ban}: 50
 * @param redact {@code redact}: 50
 * @param events {@code events}: replaces the homeserver's default map
 * @param users {@code users}: the owner at 101; a channel copies the space's map
 */
public record PowerLevelTemplate(
    long usersDefault,
    long eventsDefault,
    long stateDefault,
    long invite,
    long kick,
    long ban,
    long redact,
    Map<String, Long> events,
    Map<String, Long> users) {

  /** The owner's power level: above ADMIN, so the owner can demote other ADMINs. */
  public static final long OWNER_LEVEL = 101;

  /** The level a room's initial state needs; a MODERATOR creates a channel at it, then lowers itself. */
  public static final long CREATOR_LEVEL = 100;

  /** Copies the maps, keeping their order. */
  public PowerLevelTemplate {
    events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
  }

  /** The power levels of a new space owned by {@code ownerId}. */
  public static PowerLevelTemplate space(Namespace ns, String ownerId) {
    Objects.requireNonNull(ownerId, "ownerId");
    Map<String, Long> users = new LinkedHashMap<>();
    users.put(ownerId, OWNER_LEVEL);
    return new PowerLevelTemplate(0, 0, 100, 0, 50, 50, 50, events(ns), users);
  }

  /**
   * The power levels of a new channel: the space's {@code users} map copied, with the creator
   * raised to at least 100 for the initial state. {@link Channel#lowerCreatorTo()} says whether
   * the creator must lower itself as the last step of creation.
   *
   * @param spaceUsers the space's current {@code users} map
   * @param creatorId the user creating the channel
   */
  public static Channel channel(Namespace ns, Map<String, Long> spaceUsers, String creatorId) {
    Objects.requireNonNull(creatorId, "creatorId");
    Map<String, Long> users = new LinkedHashMap<>(spaceUsers);
    Long spaceLevel = users.get(creatorId);
    long creatorSpaceLevel = spaceLevel == null ? 0 : spaceLevel;
    OptionalLong lowerTo = OptionalLong.empty();
    if (creatorSpaceLevel < CREATOR_LEVEL) {
      users.put(creatorId, CREATOR_LEVEL);
      lowerTo = OptionalLong.of(creatorSpaceLevel);
    }
    return new Channel(new PowerLevelTemplate(0, 0, 100, 50, 50, 50, 50, events(ns), users), lowerTo);
  }

  /** The template as melo-matrix's typed {@code m.room.power_levels} content. */
  public PowerLevelsContent toContent() {
    return new PowerLevelsContent(
        users, usersDefault, events, eventsDefault, stateDefault, invite, kick, ban, redact, Map.of(), JsonObject.EMPTY);
  }

  private static Map<String, Long> events(Namespace ns) {
    Map<String, Long> events = new LinkedHashMap<>();
    events.put("m.room.name", 50L);
    events.put("m.room.avatar", 50L);
    events.put("m.room.topic", 50L);
    events.put("m.space.child", 50L);
    events.put(ns.channel(), 50L);
    events.put(ns.channelOrder(), 50L);
    events.put(ns.channelDeleted(), 50L);
    events.put(ns.server(), 100L);
    events.put(ns.serverDeleted(), 100L);
    events.put("m.room.power_levels", 100L);
    return events;
  }

  /**
   * A channel's initial power levels and, for a creator below 100, the level it lowers itself to
   * once the channel is set up.
   *
   * @param initial the levels to create the room with
   * @param lowerCreatorTo the creator's space level, when it must lower itself afterwards
   */
  public record Channel(PowerLevelTemplate initial, OptionalLong lowerCreatorTo) {

    /** Checks the fields. */
    public Channel {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(lowerCreatorTo, "lowerCreatorTo");
    }
  }
}
