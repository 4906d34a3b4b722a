package io.melo.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's presence as the homeserver reports it now ({@link MeloClient#presence}).
 *
 * @param userId the Matrix user id
 * @param presence online, unavailable or offline; {@link Presence#UNKNOWN} for a value this version
 *     does not know
 * @param lastActiveAgo how long ago the user was last active, when the homeserver says
 * @param statusMessage the user's status message, if set
 * @param currentlyActive whether the user is active now, when the homeserver says
 */
public record UserPresence(
    String userId,
    Presence presence,
    Optional<Duration> lastActiveAgo,
    Optional<String> statusMessage,
    Optional<Boolean> currentlyActive) {

  /**
   * Validates the fields.
   *
   * @param userId the Matrix user id
   * @param presence online, unavailable or offline; {@link Presence#UNKNOWN} for a value this
   *     version does not know
   * @param lastActiveAgo how long ago the user was last active, when the homeserver says
   * @param statusMessage the user's status message, if set
   * @param currentlyActive whether the user is active now, when the homeserver says
   */
  public UserPresence {
    Check.userId(userId, "userId");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(lastActiveAgo, "lastActiveAgo");
    Objects.requireNonNull(statusMessage, "statusMessage");
    Objects.requireNonNull(currentlyActive, "currentlyActive");
    if (lastActiveAgo.isPresent() && lastActiveAgo.get().isNegative()) {
      throw new IllegalArgumentException("lastActiveAgo must not be negative, was: " + lastActiveAgo.get());
    }
  }
}
