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

  /**
   * The room name ({@code m.room.name}).
   *
   * @param name the name
   * @return this spec
   */
  public RoomSpec name(String name) {
    body.put("name", Objects.requireNonNull(name, "name"));
    return this;
  }

  /**
   * The room topic ({@code m.room.topic}).
   *
   * @param topic the topic text
   * @return this spec
   */
  public RoomSpec topic(String topic) {
    body.put("topic", Objects.requireNonNull(topic, "topic"));
    return this;
  }

  /**
   * The preset: {@code private_chat}, {@code trusted_private_chat} or {@code public_chat}.
   *
   * @param preset the preset name; the server refuses others with 400
   * @return this spec
   */
  public RoomSpec preset(String preset) {
    body.put("preset", Objects.requireNonNull(preset, "preset"));
    return this;
  }

  /**
   * Publishes the room in the room directory ({@code visibility: public}); default private.
   *
   * @return this spec
   */
  public RoomSpec published() {
    body.put("visibility", "public");
    return this;
  }

  /**
   * A local alias: {@code #localpart:server} ({@code room_alias_name}).
   *
   * @param localpart the alias without {@code #} and server name
   * @return this spec
   */
  public RoomSpec alias(String localpart) {
    body.put("room_alias_name", Objects.requireNonNull(localpart, "localpart"));
    return this;
  }

  /**
   * Users invited at creation.
   *
   * @param userIds full user ids; added to any invited before
   * @return this spec
   */
  public RoomSpec invite(String... userIds) {
    invites.addAll(Arrays.asList(userIds));
    return this;
  }

  /**
   * Marks the room as a direct chat ({@code is_direct}).
   *
   * @return this spec
   */
  public RoomSpec direct() {
    body.put("is_direct", true);
    return this;
  }

  /**
   * Makes the room a space ({@code creation_content.type = m.space}).
   *
   * @return this spec
   */
  public RoomSpec space() {
    return creationContent("type", "m.space");
  }

  /**
   * The room version, {@code 10} or {@code 11}.
   *
   * @param version the version id; not null (the server refuses others with 400 {@code
   *     M_UNSUPPORTED_ROOM_VERSION})
   * @return this spec
   */
  public RoomSpec roomVersion(String version) {
    body.put("room_version", Objects.requireNonNull(version, "version"));
    return this;
  }

  /**
   * One field of {@code creation_content}.
   *
   * @param key the field name
   * @param value its JSON value
   * @return this spec
   */
  public RoomSpec creationContent(String key, Object value) {
    if (creationContent == null) {
      creationContent = new LinkedHashMap<>();
    }
    creationContent.put(key, value);
    return this;
  }

  /**
   * A state event sent at creation ({@code initial_state}).
   *
   * @param type the event type
   * @param stateKey the state key ({@code ""} for most room state)
   * @param content the event content
   * @return this spec
   */
  public RoomSpec initialState(String type, String stateKey, Map<String, Object> content) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", Objects.requireNonNull(type, "type"));
    e.put("state_key", Objects.requireNonNull(stateKey, "stateKey"));
    e.put("content", Objects.requireNonNull(content, "content"));
    initialState.add(e);
    return this;
  }

  /**
   * Keys of {@code m.room.power_levels} that replace the defaults ({@code
   * power_level_content_override}).
   *
   * @param override the keys to replace, for example {@code users} or {@code events_default}
   * @return this spec
   */
  public RoomSpec powerLevels(Map<String, Object> override) {
    body.put("power_level_content_override", Objects.requireNonNull(override, "override"));
    return this;
  }

  /**
   * Any other field of the request body (the escape hatch).
   *
   * @param key the field name
   * @param value its JSON value; replaces what the other methods set for that field
   * @return this spec
   */
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
