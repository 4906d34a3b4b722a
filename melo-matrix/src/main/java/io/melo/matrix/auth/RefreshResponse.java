package io.melo.matrix.auth;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@code /refresh}: a new access token and possibly a new refresh token (the old one
 * then stops working). {@link #toString()} never shows a token.
 */
public final class RefreshResponse {

  private final String accessToken;
  private final String refreshToken;
  private final Duration expiresIn;

  /**
   * Creates the answer.
   *
   * @param accessToken the new access token
   * @param refreshToken the new refresh token, or null to keep using the old one
   * @param expiresIn the new token's lifetime, or null
   */
  public RefreshResponse(String accessToken, String refreshToken, Duration expiresIn) {
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.refreshToken = refreshToken;
    this.expiresIn = expiresIn;
  }

  /** {@return the new access token (secret)} */
  public String accessToken() {
    return accessToken;
  }

  /** {@return the new refresh token (secret), if the server rotated it} */
  public Optional<String> refreshToken() {
    return Optional.ofNullable(refreshToken);
  }

  /** {@return the new access token's lifetime, when it expires} */
  public Optional<Duration> expiresIn() {
    return Optional.ofNullable(expiresIn);
  }

  /** Never shows a token. */
  @Override
  public String toString() {
    return "RefreshResponse{accessToken=<redacted>"
        + (refreshToken == null ? "" : ", refreshToken=<redacted>")
        + ", expiresIn=" + expiresIn + "}";
  }
}
