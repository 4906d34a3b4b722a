package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Profile;
import java.util.Objects;

/**
 * Someone joined a server.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param serverId the server (space room id)
 * @param userId the member concerned
 * @param profile the member's public profile
 */
public record MemberJoined(
    MeloClient client,
    long sequence,
    String serverId,
    String userId,
    Profile profile)
    implements MemberEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param serverId the server (space room id)
   * @param userId the member concerned
   * @param profile the member's public profile
   */
  public MemberJoined {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(profile, "profile");
  }
}
