package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Role;
import java.util.Objects;

/**
 * A member's role in a server changed (their power level in the space crossed a role boundary).
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param userId the member concerned
 * @param oldRole the role before
 * @param newRole the role now
 * @param powerLevel the new power level
 */
public record RoleChanged(
    MeloClient client,
    long sequence,
    String serverId,
    String userId,
    Role oldRole,
    Role newRole,
    long powerLevel)
    implements MemberEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param userId the member concerned
   * @param oldRole the role before
   * @param newRole the role now
   * @param powerLevel the new power level
   */
  public RoleChanged {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(oldRole, "oldRole");
    Objects.requireNonNull(newRole, "newRole");
  }
}
