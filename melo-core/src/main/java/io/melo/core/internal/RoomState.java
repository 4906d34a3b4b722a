package io.melo.core.internal;

import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.PowerLevelsContent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One room's current state, indexed by type and state key. Not API. */
public final class RoomState {

  private final String roomId;
  private final Map<String, Map<String, RoomEvent>> byType = new LinkedHashMap<>();

  /** The state of {@code roomId} from its state events (later events replace earlier ones). */
  public RoomState(String roomId, List<RoomEvent> events) {
    this.roomId = roomId;
    events.forEach(this::apply);
  }

  /** Applies one state event. */
  public void apply(RoomEvent event) {
    if (event.stateKey() != null) {
      byType.computeIfAbsent(event.type(), type -> new LinkedHashMap<>()).put(event.stateKey(), event);
    }
  }

  /** Removes one state entry (used to roll the state back to before an event that created it). */
  public void remove(String type, String stateKey) {
    Map<String, RoomEvent> keys = byType.get(type);
    if (keys != null) {
      keys.remove(stateKey);
      if (keys.isEmpty()) {
        byType.remove(type);
      }
    }
  }

  /** The room id. */
  public String roomId() {
    return roomId;
  }

  /** The event of a type and state key, if present. */
  public Optional<RoomEvent> event(String type, String stateKey) {
    return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(stateKey));
  }

  /** The content of a type and state key; empty object when absent. */
  public JsonObject content(String type, String stateKey) {
    return event(type, stateKey).map(RoomEvent::content).orElse(JsonObject.EMPTY);
  }

  /** The content of a type with the empty state key; empty object when absent. */
  public JsonObject content(String type) {
    return content(type, "");
  }

  /** Every event of a type, by state key, in order. */
  public Map<String, RoomEvent> events(String type) {
    return byType.getOrDefault(type, Map.of());
  }

  /** The room's power levels. */
  public PowerLevelsContent powerLevels() {
    return PowerLevelsContent.from(content(EventTypes.POWER_LEVELS));
  }

  /** When the room was created (its create event), or the epoch when unknown. */
  public Instant createdAt() {
    return event(EventTypes.CREATE, "").map(e -> Instant.ofEpochMilli(e.originServerTs())).orElse(Instant.EPOCH);
  }

  /** The room's creator (sender of its create event), if known. */
  public Optional<String> creator() {
    return event(EventTypes.CREATE, "").map(RoomEvent::sender);
  }

  /** The membership of a user ({@code join}, {@code leave}, ...), if any. */
  public Optional<String> membership(String userId) {
    return event(EventTypes.MEMBER, userId).map(e -> e.content().getStringOrNull("membership"));
  }
}
