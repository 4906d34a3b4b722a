package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The private part of a user's profile, stored in their {@code <ns>.profile} account data: only
 * its owner can read it (other users get 403 from the homeserver).
 *
 * @param email the user's e-mail address, if recorded
 * @param externalId the user's id in the app's own system (an auth provider's id), if recorded
 */
public record PrivateProfile(Optional<String> email, Optional<String> externalId) {

  /**
   * Validates the fields.
   *
   * @param email the user's e-mail address, if recorded
   * @param externalId the user's id in the app's own system (an auth provider's id), if recorded
   */
  public PrivateProfile {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(externalId, "externalId");
  }

  /** {@return an empty private profile} */
  public static PrivateProfile empty() {
    return new PrivateProfile(Optional.empty(), Optional.empty());
  }
}
