package io.melo.matrix.auth;

import java.util.Objects;

/**
 * One stage of user-interactive authentication: the {@code auth} object of a retried request.
 * {@link #toString()} never shows a password or registration token.
 */
public final class UserInteractiveAuth {

  private final String type;
  private final String session;
  private final String user;
  private final String secret;

  private UserInteractiveAuth(String type, String session, String user, String secret) {
    this.type = Objects.requireNonNull(type, "type");
    this.session = session;
    this.user = user;
    this.secret = secret;
  }

  /**
   * {@code m.login.dummy} in {@code session} (null when the server gave none).
   *
   * @param session the server's session, or null
   * @return the stage
   */
  public static UserInteractiveAuth dummy(String session) {
    return new UserInteractiveAuth("m.login.dummy", session, null, null);
  }

  /**
   * {@code m.login.registration_token} with {@code token} in {@code session}.
   *
   * @param token the registration token (secret); not null
   * @param session the server's session, or null
   * @return the stage
   */
  public static UserInteractiveAuth registrationToken(String token, String session) {
    Objects.requireNonNull(token, "token");
    return new UserInteractiveAuth("m.login.registration_token", session, null, token);
  }

  /**
   * {@code m.login.password} for {@code user} (an {@code m.id.user} identifier) in {@code session}.
   *
   * @param user the user's localpart or id; not null
   * @param password the password (secret); not null
   * @param session the server's session, or null
   * @return the stage
   */
  public static UserInteractiveAuth password(String user, String password, String session) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    return new UserInteractiveAuth("m.login.password", session, user, password);
  }

  /** {@return the stage type} */
  public String type() {
    return type;
  }

  /** {@return the session, or null} */
  public String session() {
    return session;
  }

  /** {@return the user of a password stage, else null} */
  public String user() {
    return user;
  }

  /** {@return the password or registration token (secret), else null} */
  public String secret() {
    return secret;
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "UserInteractiveAuth{type=" + type + ", session=" + session
        + (secret == null ? "" : ", secret=<redacted>") + "}";
  }
}
