package io.melo.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Melo's reading of {@code m.direct} account data ({@code {userId: [roomId, ...]}}): merging a
 * new conversation in without losing any other entry, and finding a conversation to reuse. Not
 * API.
 */
public final class DirectRooms {

  private DirectRooms() {}

  /**
   * {@code direct} with {@code roomId} recorded for {@code userId}: appended to that user's list
   * when missing; every other entry, and the order of all entries, unchanged.
   *
   * @return a new map; {@code direct} itself is not modified
   */
  public static Map<String, List<String>> withRoom(
      Map<String, List<String>> direct, String userId, String roomId) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(roomId, "roomId");
    Map<String, List<String>> merged = new LinkedHashMap<>();
    direct.forEach((user, rooms) -> merged.put(user, List.copyOf(rooms)));
    List<String> rooms = new ArrayList<>(merged.getOrDefault(userId, List.of()));
    if (!rooms.contains(roomId)) {
      rooms.add(roomId);
    }
    merged.put(userId, Collections.unmodifiableList(rooms));
    return merged;
  }

  /** True when {@code withRoom} would change nothing: the room is already recorded for the user. */
  public static boolean contains(Map<String, List<String>> direct, String userId, String roomId) {
    return direct.getOrDefault(userId, List.of()).contains(roomId);
  }

  /**
   * The conversation to reuse with {@code userId}: the first of their rooms that {@code usable}
   * accepts (typically: joined, or invited by them, and not left).
   */
  public static Optional<String> find(
      Map<String, List<String>> direct, String userId, Predicate<String> usable) {
    for (String roomId : direct.getOrDefault(userId, List.of())) {
      if (usable.test(roomId)) {
        return Optional.of(roomId);
      }
    }
    return Optional.empty();
  }

  /** The other user of a direct room, from {@code m.direct}: the user whose list holds it. */
  public static Optional<String> otherUser(Map<String, List<String>> direct, String roomId) {
    for (Map.Entry<String, List<String>> entry : direct.entrySet()) {
      if (entry.getValue().contains(roomId)) {
        return Optional.of(entry.getKey());
      }
    }
    return Optional.empty();
  }
}
