package io.melo.testkit.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fresh login: user id, device id, access token and optional refresh token with the access
 * token's lifetime. {@link #toString()} never shows the tokens.
 */
public final class Credentials {
  private final String userId;
  private final String deviceId;
  private final String accessToken;
  private final String refreshToken;
  private final Long expiresInMs;

  Credentials(
      String userId, String deviceId, String accessToken, String refreshToken, Long expiresInMs) {
    this.userId = userId;
    this.deviceId = deviceId;
    this.accessToken = accessToken;
    this.refreshToken = refreshToken;
    this.expiresInMs = expiresInMs;
  }

  /** {@return the full user id} */
  public String userId() {
    return userId;
  }

  /** {@return the device id} */
  public String deviceId() {
    return deviceId;
  }

  /** {@return the access token (secret)} */
  public String accessToken() {
    return accessToken;
  }

  /** {@return the refresh token (secret), or null when the client did not ask for one} */
  public String refreshToken() {
    return refreshToken;
  }

  /** {@return milliseconds until the access token expires, or null if it does not expire} */
  public Long expiresInMs() {
    return expiresInMs;
  }

  /**
   * {@return the login/register response body: user_id, access_token, device_id, refresh fields}
   */
  public Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user_id", userId);
    body.put("access_token", accessToken);
    body.put("device_id", deviceId);
    if (refreshToken != null) {
      body.put("refresh_token", refreshToken);
    }
    if (expiresInMs != null) {
      body.put("expires_in_ms", expiresInMs);
    }
    return body;
  }

  @Override
  public String toString() {
    return "Credentials{userId=" + userId + ", deviceId=" + deviceId + ", tokens=<redacted>}";
  }
}
