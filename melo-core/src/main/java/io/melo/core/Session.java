package io.melo.core;

import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * A logged-in session: what an app keeps to resume a user without their password. Holds secrets,
 * so it is a class whose {@link #toString()} shows the user, device and homeserver only, never a
 * token. Store it as carefully as a password.
 *
 * <p>The sessions a client makes (login, renewal, {@link MeloClient#session()}) name the
 * homeserver's base URL they belong to ({@link #homeserver()}), so a stored session is enough to
 * resume: {@link MeloClient#resume(MeloConfig, Session)} uses it when the config still names a
 * server name to discover.
 */
public final class Session {

  private final String homeserver;
  private final String userId;
  private final String deviceId;
  private final String accessToken;
  private final String refreshToken;

  /**
   * Creates a session that does not name its homeserver (the config given to
   * {@link MeloClient#resume(MeloConfig, Session)} then has to).
   *
   * @param userId the Matrix user id
   * @param deviceId the device id, or null when unknown
   * @param accessToken the access token
   * @param refreshToken the refresh token, or null when the server gave none
   */
  public Session(String userId, String deviceId, String accessToken, String refreshToken) {
    this(null, userId, deviceId, accessToken, refreshToken);
  }

  /**
   * Creates a session of the homeserver at {@code homeserver}.
   *
   * @param homeserver the homeserver's base URL, such as {@code https://matrix.example.org}, or null
   *     when unknown
   * @param userId the Matrix user id
   * @param deviceId the device id, or null when unknown
   * @param accessToken the access token
   * @param refreshToken the refresh token, or null when the server gave none
   * @throws IllegalArgumentException if {@code homeserver} is not an http(s) URL, or {@code userId}
   *     not a user id
   */
  public Session(String homeserver, String userId, String deviceId, String accessToken, String refreshToken) {
    this.homeserver = homeserver == null ? null : checkUrl(homeserver);
    this.userId = Check.userId(userId, "userId");
    this.deviceId = deviceId;
    this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
    this.refreshToken = refreshToken;
  }

  private static String checkUrl(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("homeserver must be an http(s) URL, was: " + url);
    }
    if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
      // Never quote it: the URL carries a secret.
      throw new IllegalArgumentException("homeserver must not carry a user name or password");
    }
    return parsed.toString();
  }

  /**
   * This session, naming the homeserver it belongs to.
   *
   * @param homeserver the homeserver's base URL, or null for none
   * @return a session with the same user, device and tokens
   * @throws IllegalArgumentException if it is not an http(s) URL
   */
  public Session withHomeserver(String homeserver) {
    return new Session(homeserver, userId, deviceId, accessToken, refreshToken);
  }

  /**
   * The base URL of the homeserver this session belongs to, when known (every session a client
   * makes names it; one constructed without it does not).
   *
   * @return such as {@code https://matrix.example.org/}
   */
  public Optional<String> homeserver() {
    return Optional.ofNullable(homeserver);
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

  /** Equal when homeserver, user, device and tokens are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Session s
        && Objects.equals(homeserver, s.homeserver)
        && userId.equals(s.userId)
        && Objects.equals(deviceId, s.deviceId)
        && accessToken.equals(s.accessToken)
        && Objects.equals(refreshToken, s.refreshToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(homeserver, userId, deviceId, accessToken, refreshToken);
  }

  /** The user, device and homeserver; never the tokens. */
  @Override
  public String toString() {
    return "Session(" + userId + (deviceId == null ? "" : ", device " + deviceId)
        + (homeserver == null ? "" : ", homeserver " + homeserver)
        + ", accessToken=<redacted>" + (refreshToken == null ? "" : ", refreshToken=<redacted>") + ")";
  }
}
