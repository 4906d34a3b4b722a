package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;

/**
 * A member left a server of their own accord.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param userId the member concerned
 */
public record MemberLeft(
    MeloClient client,
    long sequence,
    String serverId,
    String userId)
    implements MemberEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param userId the member concerned
   */
  public MemberLeft {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(userId, "userId");
  }
}
