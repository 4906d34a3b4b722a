package io.melo.core.internal;

import io.melo.matrix.json.JsonArray;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonString;
import io.melo.matrix.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Melo's handling of {@code m.direct} account data ({@code {userId: [roomId, ...]}}): merging a
 * new conversation in without losing anything else (other users' entries, unknown fields, even
 * elements that are not strings), and finding a conversation to reuse. Not API.
 */
public final class DirectRooms {

  private DirectRooms() {}

  /**
   * {@code direct} with {@code roomId} recorded for {@code userId}: appended to that user's
   * array when missing. Every other key, value and element is kept as it was; a value for
   * {@code userId} that is not an array (malformed) is replaced by a new array.
   */
  public static JsonObject withRoom(JsonObject direct, String userId, String roomId) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(roomId, "roomId");
    JsonValue current = direct.getOrNull(userId);
    List<JsonValue> rooms = new ArrayList<>();
    if (current instanceof JsonArray array) {
      if (array.strings().contains(roomId)) {
        return direct;
      }
      rooms.addAll(array.values());
    }
    rooms.add(new JsonString(roomId));
    return direct.with(userId, JsonArray.of(rooms));
  }

  /** The readable entries: each user's room ids (non-string elements and non-array values skipped). */
  public static Map<String, List<String>> read(JsonObject direct) {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    direct.forEach(
        (user, value) -> {
          if (value instanceof JsonArray array) {
            entries.put(user, array.strings());
          }
        });
    return entries;
  }

  /**
   * The conversation to reuse with {@code userId}: the first of their rooms that {@code usable}
   * accepts (typically: joined, or invited by them, and not left).
   */
  public static Optional<String> find(JsonObject direct, String userId, Predicate<String> usable) {
    for (String roomId : direct.getStringList(userId)) {
      if (usable.test(roomId)) {
        return Optional.of(roomId);
      }
    }
    return Optional.empty();
  }

  /** The other user of a direct room, from {@code m.direct}: the user whose list holds it. */
  public static Optional<String> otherUser(JsonObject direct, String roomId) {
    for (Map.Entry<String, List<String>> entry : read(direct).entrySet()) {
      if (entry.getValue().contains(roomId)) {
        return Optional.of(entry.getKey());
      }
    }
    return Optional.empty();
  }
}
