package io.melo.matrix.auth;

import java.util.Objects;

/**
 * The body of {@code POST /login}: a password for a user identifier ({@code m.id.user}), a login
 * token, or an application service logging in one of its users. Immutable; the {@code with}
 * methods return copies. {@link #toString()} never shows the password or token.
 */
public final class LoginRequest {

  /** {@code m.login.password}. */
  public static final String PASSWORD = "m.login.password";
  /** {@code m.login.token}. */
  public static final String TOKEN = "m.login.token";
  /** {@code m.login.application_service}. */
  public static final String APPLICATION_SERVICE = "m.login.application_service";

  private final String type;
  private final String user;
  private final String secret;
  private final String deviceId;
  private final String initialDeviceDisplayName;
  private final boolean refreshToken;

  private LoginRequest(
      String type,
      String user,
      String secret,
      String deviceId,
      String initialDeviceDisplayName,
      boolean refreshToken) {
    this.type = type;
    this.user = user;
    this.secret = secret;
    this.deviceId = deviceId;
    this.initialDeviceDisplayName = initialDeviceDisplayName;
    this.refreshToken = refreshToken;
  }

  /**
   * Logs in with a password.
   *
   * @param user a localpart ({@code alice}) or full user id ({@code @alice:example.org})
   * @param password the password (secret); empty is an {@link IllegalArgumentException}
   * @return the request
   * @throws IllegalArgumentException if either is empty
   */
  public static LoginRequest password(String user, String password) {
    requireText(user, "user");
    requireText(password, "password");
    return new LoginRequest(PASSWORD, user, password, null, null, false);
  }

  /**
   * Logs in with a login token (from SSO or {@code /login/get_token}).
   *
   * @param loginToken the token (secret); empty is an {@link IllegalArgumentException}
   * @return the request
   */
  public static LoginRequest token(String loginToken) {
    requireText(loginToken, "loginToken");
    return new LoginRequest(TOKEN, null, loginToken, null, null, false);
  }

  /**
   * {@return a login of an application service as {@code user}; the client must hold the service's
   * {@code as_token}}
   *
   * @param user a localpart or full user id in the service's namespace; empty is an {@link
   *     IllegalArgumentException}
   */
  public static LoginRequest appService(String user) {
    requireText(user, "user");
    return new LoginRequest(APPLICATION_SERVICE, user, null, null, null, false);
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }

  /**
   * {@return a copy that reuses (or names) the device {@code deviceId}}
   *
   * @param deviceId the device id, or null to let the server create one
   */
  public LoginRequest withDeviceId(String deviceId) {
    return new LoginRequest(type, user, secret, deviceId, initialDeviceDisplayName, refreshToken);
  }

  /**
   * {@return a copy that names a new device {@code displayName}}
   *
   * @param displayName the display name, or null for none
   */
  public LoginRequest withInitialDeviceDisplayName(String displayName) {
    return new LoginRequest(type, user, secret, deviceId, displayName, refreshToken);
  }

  /**
   * {@return a copy that asks for a refresh token (and an expiring access token)}
   *
   * @param refreshToken true to ask for a refresh token
   */
  public LoginRequest withRefreshToken(boolean refreshToken) {
    return new LoginRequest(type, user, secret, deviceId, initialDeviceDisplayName, refreshToken);
  }

  /** {@return the login type, such as {@code m.login.password}} */
  public String type() {
    return type;
  }

  /** {@return the user (for password and application-service logins), else null} */
  public String user() {
    return user;
  }

  /** {@return the password or login token (secret), else null} */
  public String secret() {
    return secret;
  }

  /** {@return the device id to reuse, or null} */
  public String deviceId() {
    return deviceId;
  }

  /** {@return the display name of a new device, or null} */
  public String initialDeviceDisplayName() {
    return initialDeviceDisplayName;
  }

  /** {@return whether a refresh token is requested} */
  public boolean refreshToken() {
    return refreshToken;
  }

  /** Shows the type, user and device, never the password or token. */
  @Override
  public String toString() {
    return "LoginRequest{type=" + type + ", user=" + user + ", deviceId=" + deviceId
        + (secret == null ? "" : ", secret=<redacted>") + "}";
  }
}
