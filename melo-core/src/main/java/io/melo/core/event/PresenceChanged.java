package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Presence;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's presence changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param userId the user
 * @param presence their presence
 * @param statusMessage their status message, if set
 */
public record PresenceChanged(
    MeloClient client,
    long sequence,
    String userId,
    Presence presence,
    Optional<String> statusMessage)
    implements UserEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param userId the user
   * @param presence their presence
   * @param statusMessage their status message, if set
   */
  public PresenceChanged {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(statusMessage, "statusMessage");
  }
}
