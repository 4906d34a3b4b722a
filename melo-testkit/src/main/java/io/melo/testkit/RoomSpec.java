package io.melo.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link TestUser#createRoom(java.util.function.Consumer)} creates a room, in the words of
 * {@code POST /createRoom}: each setter fills one field of the request, and the room is created under
 * the same rules a client meets. Not thread-safe; used inside the lambda only.
 */
public final class RoomSpec {
  private final Map<String, Object> body = new LinkedHashMap<>();
  private final List<Object> initialState = new ArrayList<>();
  private final List<String> invites = new ArrayList<>();
  private Map<String, Object> creationContent;

  RoomSpec() {}

  /** The room name ({@code m.room.name}). */
  public RoomSpec name(String name) {
    body.put("name", Objects.requireNonNull(name, "name"));
    return this;
  }

  /** The room topic ({@code m.room.topic}). */
  public RoomSpec topic(String topic) {
    body.put("topic", Objects.requireNonNull(topic, "topic"));
    return this;
  }

  /** The preset: {@code private_chat}, {@code trusted_private_chat} or {@code public_chat}. */
  public RoomSpec preset(String preset) {
    body.put("preset", Objects.requireNonNull(preset, "preset"));
    return this;
  }

  /** Publishes the room in the room directory ({@code visibility: public}); default private. */
  public RoomSpec published() {
    body.put("visibility", "public");
    return this;
  }

  /** A local alias: {@code #localpart:server} ({@code room_alias_name}). */
  public RoomSpec alias(String localpart) {
    body.put("room_alias_name", Objects.requireNonNull(localpart, "localpart"));
    return this;
  }

  /** Users invited at creation. */
  public RoomSpec invite(String... userIds) {
    invites.addAll(Arrays.asList(userIds));
    return this;
  }

  /** Marks the room as a direct chat ({@code is_direct}). */
  public RoomSpec direct() {
    body.put("is_direct", true);
    return this;
  }

  /** Makes the room a space ({@code creation_content.type = m.space}). */
  public RoomSpec space() {
    return creationContent("type", "m.space");
  }

  /** The room version, {@code 10} or {@code 11}. */
  public RoomSpec roomVersion(String version) {
    body.put("room_version", Objects.requireNonNull(version, "version"));
    return this;
  }

  /** One field of {@code creation_content}. */
  public RoomSpec creationContent(String key, Object value) {
    if (creationContent == null) {
      creationContent = new LinkedHashMap<>();
    }
    creationContent.put(key, value);
    return this;
  }

  /** A state event sent at creation ({@code initial_state}). */
  public RoomSpec initialState(String type, String stateKey, Map<String, Object> content) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", Objects.requireNonNull(type, "type"));
    e.put("state_key", Objects.requireNonNull(stateKey, "stateKey"));
    e.put("content", Objects.requireNonNull(content, "content"));
    initialState.add(e);
    return this;
  }

  /** Keys of {@code m.room.power_levels} that replace the defaults ({@code power_level_content_override}). */
  public RoomSpec powerLevels(Map<String, Object> override) {
    body.put("power_level_content_override", Objects.requireNonNull(override, "override"));
    return this;
  }

  /** Any other field of the request body (the escape hatch). */
  public RoomSpec field(String key, Object value) {
    body.put(Objects.requireNonNull(key, "key"), value);
    return this;
  }

  Map<String, Object> toBody() {
    Map<String, Object> b = new LinkedHashMap<>(body);
    if (!initialState.isEmpty()) {
      b.put("initial_state", initialState);
    }
    if (!invites.isEmpty()) {
      b.put("invite", invites);
    }
    if (creationContent != null) {
      b.put("creation_content", creationContent);
    }
    return b;
  }
}
