package io.melo.matrix.auth;

import java.util.Optional;

/**
 * The answer of {@code /account/whoami}: the owner of the access token.
 *
 * @param userId the user id
 * @param deviceId the device id, or null (application services)
 * @param isGuest whether the user is a guest
 */
public record Whoami(String userId, String deviceId, boolean isGuest) {

  /** {@return the device, when the token belongs to one} */
  public Optional<String> device() {
    return Optional.ofNullable(deviceId);
  }
}
