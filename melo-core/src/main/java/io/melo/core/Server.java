package io.melo.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A server: a Matrix space with Melo's {@code <ns>.server} state, its channels, members and an
 * invite code.
 *
 * @param id the space's room id
 * @param name the server's name ({@code m.room.name})
 * @param topic the server's topic, if set
 * @param imageUrl the server's image as an {@code mxc://} URL ({@code m.room.avatar}), if set
 * @param ownerId the owner, from {@code <ns>.server.ownerId}
 * @param invite the current invite code, if the server has one
 * @param createdAt when the server was created
 */
public record Server(
    String id,
    String name,
    Optional<String> topic,
    Optional<String> imageUrl,
    String ownerId,
    Optional<InviteCode> invite,
    Instant createdAt) {

  /**
   * Validates the fields.
   *
   * @param id the space's room id
   * @param name the server's name ({@code m.room.name})
   * @param topic the server's topic, if set
   * @param imageUrl the server's image as an {@code mxc://} URL ({@code m.room.avatar}), if set
   * @param ownerId the owner, from {@code <ns>.server.ownerId}
   * @param invite the current invite code, if the server has one
   * @param createdAt when the server was created
   */
  public Server {
    Check.roomId(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(imageUrl, "imageUrl");
    Check.userId(ownerId, "ownerId");
    Objects.requireNonNull(invite, "invite");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * {@return true when {@code userId} owns this server}
   *
   * @param userId a user id
   */
  public boolean isOwnedBy(String userId) {
    return ownerId.equals(userId);
  }
}
