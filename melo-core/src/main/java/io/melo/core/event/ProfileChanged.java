package io.melo.core.event;

import io.melo.core.MeloClient;
import io.melo.core.Profile;
import java.util.Objects;

/**
 * A user's display name or avatar changed.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param userId the user
 * @param profile the profile as it is now
 */
public record ProfileChanged(
    MeloClient client,
    long sequence,
    String userId,
    Profile profile)
    implements UserEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param userId the user
   * @param profile the profile as it is now
   */
  public ProfileChanged {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(profile, "profile");
  }
}
