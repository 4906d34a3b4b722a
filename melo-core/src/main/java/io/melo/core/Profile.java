package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A user's public profile: display name and avatar ({@code mxc://} URL), visible to anyone who
 * shares a room with them.
 *
 * @param userId the Matrix user id
 * @param displayName the display name, if set
 * @param avatarUrl the avatar's {@code mxc://} URL, if set
 */
public record Profile(String userId, Optional<String> displayName, Optional<String> avatarUrl) {

  /**
   * Validates the fields.
   *
   * @param userId the Matrix user id
   * @param displayName the display name, if set
   * @param avatarUrl the avatar's {@code mxc://} URL, if set
   */
  public Profile {
    Check.userId(userId, "userId");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(avatarUrl, "avatarUrl");
  }

  /**
   * {@return a profile with no display name and no avatar}
   *
   * @param userId the user's id
   */
  public static Profile of(String userId) {
    return new Profile(userId, Optional.empty(), Optional.empty());
  }

  /** {@return the display name, or the user id when none is set: what a UI shows} */
  public String displayNameOrId() {
    return displayName.filter(name -> !name.trim().isEmpty()).orElse(userId);
  }
}
