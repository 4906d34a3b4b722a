package io.melo.matrix.user;

import java.util.Optional;

/**
 * A user's public profile ({@code GET /profile/{userId}}).
 *
 * @param displayName {@code displayname}, or null
 * @param avatarUrl {@code avatar_url} (an mxc URI as the server sent it, unvalidated), or null
 */
public record Profile(String displayName, String avatarUrl) {

  /** {@return the display name, when set} */
  public Optional<String> displayNameOpt() {
    return Optional.ofNullable(displayName);
  }

  /** {@return the avatar URL, when set} */
  public Optional<String> avatarUrlOpt() {
    return Optional.ofNullable(avatarUrl);
  }
}
