package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * A member was removed from a server; they may come back with an invite code.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param userId the member concerned
 * @param kickedBy who removed them
 * @param reason the reason given, if any
 */
public record MemberKicked(
    MeloClient client,
    long sequence,
    String serverId,
    String userId,
    String kickedBy,
    Optional<String> reason)
    implements MemberEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param userId the member concerned
   * @param kickedBy who removed them
   * @param reason the reason given, if any
   */
  public MemberKicked {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(kickedBy, "kickedBy");
    Objects.requireNonNull(reason, "reason");
  }
}
