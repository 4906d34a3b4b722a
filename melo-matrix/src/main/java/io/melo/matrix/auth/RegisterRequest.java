package io.melo.matrix.auth;

/**
 * The body of {@code POST /register}. Start with {@link #user(String, String)} or
 * {@link #appService(String)}, answer the server's {@link io.melo.matrix.UserInteractiveAuthException}
 * with {@link #withAuth(UserInteractiveAuth)}. Immutable; {@link #toString()} hides secrets.
 */
public final class RegisterRequest {

  private final String username;
  private final String password;
  private final boolean appService;
  private final String deviceId;
  private final String initialDeviceDisplayName;
  private final boolean inhibitLogin;
  private final boolean refreshToken;
  private final UserInteractiveAuth auth;

  private RegisterRequest(
      String username,
      String password,
      boolean appService,
      String deviceId,
      String initialDeviceDisplayName,
      boolean inhibitLogin,
      boolean refreshToken,
      UserInteractiveAuth auth) {
    this.username = username;
    this.password = password;
    this.appService = appService;
    this.deviceId = deviceId;
    this.initialDeviceDisplayName = initialDeviceDisplayName;
    this.inhibitLogin = inhibitLogin;
    this.refreshToken = refreshToken;
    this.auth = auth;
  }

  /**
   * {@return a user account with a password; {@code username} is the localpart, or null to let the
   * server pick}
   *
   * @param username the localpart, or null to let the server pick
   * @param password the password (secret); empty is an {@link IllegalArgumentException}
   */
  public static RegisterRequest user(String username, String password) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    return new RegisterRequest(username, password, false, null, null, false, false, null);
  }

  /**
   * {@return a registration of {@code username} by an application service, in its namespace
   * ({@code type: m.login.application_service}); the client must hold the service's {@code
   * as_token}}
   *
   * @param username the localpart; empty is an {@link IllegalArgumentException}
   */
  public static RegisterRequest appService(String username) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("username must not be empty");
    }
    return new RegisterRequest(username, null, true, null, null, false, false, null);
  }

  /**
   * {@return a copy with the {@code auth} stage to complete}
   *
   * @param auth the stage, naming the server's session
   */
  public RegisterRequest withAuth(UserInteractiveAuth auth) {
    return new RegisterRequest(username, password, appService, deviceId, initialDeviceDisplayName,
        inhibitLogin, refreshToken, auth);
  }

  /**
   * {@return a copy naming the device to create}
   *
   * @param deviceId the device id, or null to let the server create one
   */
  public RegisterRequest withDeviceId(String deviceId) {
    return new RegisterRequest(username, password, appService, deviceId, initialDeviceDisplayName,
        inhibitLogin, refreshToken, auth);
  }

  /**
   * {@return a copy naming a new device's display name}
   *
   * @param name the display name, or null for none
   */
  public RegisterRequest withInitialDeviceDisplayName(String name) {
    return new RegisterRequest(username, password, appService, deviceId, name, inhibitLogin,
        refreshToken, auth);
  }

  /**
   * {@return a copy that does (or does not) skip logging in}
   *
   * @param inhibitLogin true to create the account without a session
   */
  public RegisterRequest withInhibitLogin(boolean inhibitLogin) {
    return new RegisterRequest(username, password, appService, deviceId, initialDeviceDisplayName,
        inhibitLogin, refreshToken, auth);
  }

  /**
   * {@return a copy that asks for a refresh token}
   *
   * @param refreshToken true to ask for a refresh token
   */
  public RegisterRequest withRefreshToken(boolean refreshToken) {
    return new RegisterRequest(username, password, appService, deviceId, initialDeviceDisplayName,
        inhibitLogin, refreshToken, auth);
  }

  /** {@return the localpart, or null} */
  public String username() {
    return username;
  }

  /** {@return the password (secret), or null for an application service} */
  public String password() {
    return password;
  }

  /** {@return true for application-service registration} */
  public boolean isAppService() {
    return appService;
  }

  /** {@return the device id, or null} */
  public String deviceId() {
    return deviceId;
  }

  /** {@return the new device's display name, or null} */
  public String initialDeviceDisplayName() {
    return initialDeviceDisplayName;
  }

  /** {@return whether login is inhibited} */
  public boolean inhibitLogin() {
    return inhibitLogin;
  }

  /** {@return whether a refresh token is requested} */
  public boolean refreshToken() {
    return refreshToken;
  }

  /** {@return the auth stage, or null} */
  public UserInteractiveAuth auth() {
    return auth;
  }

  /** Never shows the password or a registration token. */
  @Override
  public String toString() {
    return "RegisterRequest{username=" + username + (appService ? ", appService" : "")
        + (password == null ? "" : ", password=<redacted>") + ", auth=" + auth + "}";
  }
}
