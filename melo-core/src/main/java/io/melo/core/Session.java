package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A logged-in session: what an app keeps to resume a user without their password. Holds secrets,
 * so it is a class whose {@link #toString()} shows the user and device only. Store it as
 * carefully as a password.
 */
public final class Session {

  private final String userId;
  private final String deviceId;
  private final String accessToken;
  private final String refreshToken;

  /**
   * Creates a session.
   *
   * @param userId the Matrix user id
   * @param deviceId the device id, or null when unknown
   * @param accessToken the access token
   * @param refreshToken the refresh token, or null when the server gave none
   */
  public Session(String userId, String deviceId, String accessToken, String refreshToken) {
    this.userId = Check.userId(userId, "userId");
    this.deviceId = deviceId;
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.refreshToken = refreshToken;
  }

  /** {@return the Matrix user id} */
  public String userId() {
    return userId;
  }

  /** {@return the device id, when known} */
  public Optional<String> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  /** {@return the access token: a secret} */
  public String accessToken() {
    return accessToken;
  }

  /** {@return the refresh token, when the server issued one: a secret} */
  public Optional<String> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Session s
        && userId.equals(s.userId)
        && Objects.equals(deviceId, s.deviceId)
        && accessToken.equals(s.accessToken)
        && Objects.equals(refreshToken, s.refreshToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, deviceId, accessToken, refreshToken);
  }

  /** The user and device; never the tokens. */
  @Override
  public String toString() {
    return "Session(" + userId + (deviceId == null ? "" : ", device " + deviceId)
        + ", accessToken=<redacted>" + (refreshToken == null ? "" : ", refreshToken=<redacted>") + ")";
  }
}
