package io.melo.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A channel of a server: a Matrix room that is a child of the server's space and carries Melo's
 * {@code <ns>.channel} state.
 *
 * @param id the room id
 * @param serverId the server (space room id)
 * @param name the channel's name ({@code m.room.name})
 * @param topic the channel's topic, if set
 * @param type what the channel carries; a type this version does not know reads as {@link
 *     ChannelType#TEXT}
 * @param typeName the type exactly as stored, so an unknown type is not lost
 * @param creatorId who created the channel
 * @param createdAt when it was created
 */
public record Channel(
    String id,
    String serverId,
    String name,
    Optional<String> topic,
    ChannelType type,
    String typeName,
    String creatorId,
    Instant createdAt) {

  /** The name of the channel every server is created with; no other channel may take it. */
  public static final String GENERAL = "general";

  /**
   * Validates the fields.
   *
   * @param id the room id
   * @param serverId the server (space room id)
   * @param name the channel's name ({@code m.room.name})
   * @param topic the channel's topic, if set
   * @param type what the channel carries; a type this version does not know reads as {@link
   *     ChannelType#TEXT}
   * @param typeName the type exactly as stored, so an unknown type is not lost
   * @param creatorId who created the channel
   * @param createdAt when it was created
   */
  public Channel {
    Check.roomId(id, "id");
    Check.roomId(serverId, "serverId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(typeName, "typeName");
    Check.userId(creatorId, "creatorId");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** {@return true for the server's {@code general} channel} */
  public boolean isGeneral() {
    return GENERAL.equals(name);
  }
}
