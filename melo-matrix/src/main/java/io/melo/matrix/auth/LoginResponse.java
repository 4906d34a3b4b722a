package io.melo.matrix.auth;

import io.melo.matrix.MatrixCredentials;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@code /login}: who logged in, on which device, with which tokens.
 * {@link #toString()} never shows a token.
 */
public final class LoginResponse {

  private final String userId;
  private final String accessToken;
  private final String deviceId;
  private final String refreshToken;
  private final Duration expiresIn;
  private final String homeserverBaseUrl;

  /**
   * Creates the answer.
   *
   * @param userId the logged-in user
   * @param accessToken the new access token
   * @param deviceId the device
   * @param refreshToken the refresh token, or null
   * @param expiresIn the access token's lifetime, or null when it does not expire
   * @param homeserverBaseUrl the {@code well_known} homeserver base URL, or null
   */
  public LoginResponse(
      String userId,
      String accessToken,
      String deviceId,
      String refreshToken,
      Duration expiresIn,
      String homeserverBaseUrl) {
    this.userId = Objects.requireNonNull(userId, "userId");
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.refreshToken = refreshToken;
    this.expiresIn = expiresIn;
    this.homeserverBaseUrl = homeserverBaseUrl;
  }

  /** {@return the logged-in user's id} */
  public String userId() {
    return userId;
  }

  /** {@return the access token (secret)} */
  public String accessToken() {
    return accessToken;
  }

  /** {@return the device id} */
  public String deviceId() {
    return deviceId;
  }

  /** {@return the refresh token (secret), if one was requested and issued} */
  public Optional<String> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  /** {@return how long the access token lives, when it expires} */
  public Optional<Duration> expiresIn() {
    return Optional.ofNullable(expiresIn);
  }

  /** {@return the homeserver base URL the server advises ({@code well_known}), if any} */
  public Optional<String> homeserverBaseUrl() {
    return Optional.ofNullable(homeserverBaseUrl);
  }

  /**
   * Credentials for a client acting as this user on this device, with the refresh token if one was
   * issued.
   *
   * @return the credentials: access token, user id, device id and refresh token (if any)
   */
  public MatrixCredentials credentials() {
    return MatrixCredentials.accessToken(accessToken, userId, deviceId).withRefreshToken(refreshToken);
  }

  /** Shows user and device, never a token. */
  @Override
  public String toString() {
    return "LoginResponse{userId=" + userId + ", deviceId=" + deviceId
        + ", accessToken=<redacted>" + (refreshToken == null ? "" : ", refreshToken=<redacted>")
        + ", expiresIn=" + expiresIn + "}";
  }
}
