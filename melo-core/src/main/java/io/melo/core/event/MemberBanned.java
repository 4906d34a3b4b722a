package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * A member was banned from a server.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param userId the member concerned
 * @param bannedBy who banned them
 * @param reason the reason given, if any
 */
public record MemberBanned(
    MeloClient client,
    long sequence,
    String serverId,
    String userId,
    String bannedBy,
    Optional<String> reason)
    implements MemberEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param userId the member concerned
   * @param bannedBy who banned them
   * @param reason the reason given, if any
   */
  public MemberBanned {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(bannedBy, "bannedBy");
    Objects.requireNonNull(reason, "reason");
  }
}
