package io.melo.matrix.auth;

import io.melo.matrix.MatrixCredentials;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@code /register}. Without {@code inhibit_login} it carries an access token and
 * device; {@link #toString()} never shows a token.
 */
public final class RegisterResponse {

  private final String userId;
  private final String accessToken;
  private final String deviceId;
  private final String refreshToken;
  private final Duration expiresIn;

  /**
   * Creates the answer.
   *
   * @param userId the new user's id
   * @param accessToken the access token, or null with {@code inhibit_login}
   * @param deviceId the device, or null with {@code inhibit_login}
   * @param refreshToken the refresh token, or null
   * @param expiresIn the access token's lifetime, or null
   */
  public RegisterResponse(
      String userId, String accessToken, String deviceId, String refreshToken, Duration expiresIn) {
    this.userId = Objects.requireNonNull(userId, "userId");
    this.accessToken = accessToken;
    this.deviceId = deviceId;
    this.refreshToken = refreshToken;
    this.expiresIn = expiresIn;
  }

  /** {@return the new user's id} */
  public String userId() {
    return userId;
  }

  /** {@return the access token (secret), unless login was inhibited} */
  public Optional<String> accessToken() {
    return Optional.ofNullable(accessToken);
  }

  /** {@return the device id, unless login was inhibited} */
  public Optional<String> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  /** {@return the refresh token (secret), if requested} */
  public Optional<String> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  /** {@return the access token's lifetime, when it expires} */
  public Optional<Duration> expiresIn() {
    return Optional.ofNullable(expiresIn);
  }

  /**
   * Credentials for the new user (with the refresh token, if one was issued), unless login was
   * inhibited.
   *
   * @return the credentials, or empty when login was inhibited
   */
  public Optional<MatrixCredentials> credentials() {
    return accessToken == null
        ? Optional.empty()
        : Optional.of(MatrixCredentials.accessToken(accessToken, userId, deviceId).withRefreshToken(refreshToken));
  }

  /** Never shows a token. */
  @Override
  public String toString() {
    return "RegisterResponse{userId=" + userId + ", deviceId=" + deviceId
        + (accessToken == null ? "" : ", accessToken=<redacted>")
        + (refreshToken == null ? "" : ", refreshToken=<redacted>") + "}";
  }
}
