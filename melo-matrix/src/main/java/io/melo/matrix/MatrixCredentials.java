package io.melo.matrix;

import java.util.Objects;
import java.util.Optional;

/**
 * Who the client acts as: a user's access token (with the user and device it belongs to, when known,
 * and the refresh token that came with it, if any) or an application-service identity
 * ({@code as_token} plus the user it masquerades as, sent as the {@code user_id} query parameter).
 * The token travels only in the {@code Authorization} header and {@link #toString()} never shows
 * it or the refresh token. Immutable and thread-safe.
 */
public final class MatrixCredentials {

  private final String accessToken;
  private final String userId;
  private final String deviceId;
  private final boolean appService;
  private final String refreshToken;
  /** When the access token expires, or null. */
  private final java.time.Instant expiresAt;

  /** How long before {@link #expiresAt()} a client renews the credentials: 30 seconds. */
  public static final java.time.Duration RENEW_BEFORE_EXPIRY = java.time.Duration.ofSeconds(30);

  private MatrixCredentials(String accessToken, String userId, String deviceId, boolean appService) {
    this(accessToken, userId, deviceId, appService, null);
  }

  private MatrixCredentials(
      String accessToken, String userId, String deviceId, boolean appService, String refreshToken) {
    this(accessToken, userId, deviceId, appService, refreshToken, null);
  }

  private MatrixCredentials(String accessToken, String userId, String deviceId, boolean appService,
      String refreshToken, java.time.Instant expiresAt) {
    this.accessToken = requireToken(accessToken, appService ? "asToken" : "accessToken");
    this.userId = userId;
    this.deviceId = deviceId;
    this.appService = appService;
    this.refreshToken = refreshToken;
    this.expiresAt = expiresAt;
  }

  /**
   * These credentials with the moment the access token expires (from the {@code expires_in_ms} of
   * {@code /login}, {@code /register} or {@code /refresh}, on the client's {@link MatrixClock}). A
   * client with a {@link CredentialsProvider} then renews them shortly before that moment (within
   * {@link #RENEW_BEFORE_EXPIRY} of it), when its next request is about to be sent, instead of
   * waiting for the server to reject the token: the provider is asked once, with an
   * {@link UnknownTokenException} whose {@code soft_logout} is true, however many requests are sent
   * meanwhile. When that renewal fails, requests go on with the token until the server rejects it.
   *
   * @param expiresAt when the access token expires, or null when it does not
   * @return the credentials with it
   */
  public MatrixCredentials withExpiresAt(java.time.Instant expiresAt) {
    return new MatrixCredentials(accessToken, userId, deviceId, appService, refreshToken, expiresAt);
  }

  /**
   * {@return when the access token expires, if known (see {@link #withExpiresAt})}
   */
  public Optional<java.time.Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * These credentials with the refresh token issued with the access token (by {@code /login},
   * {@code /register} or {@code /refresh}), so that whoever takes them over (such as melo-core's
   * session renewal, from a {@link CredentialsProvider}) can refresh later. The client itself
   * sends it only to {@code /refresh}.
   *
   * @param refreshToken the refresh token, or null for none
   * @return the credentials with it
   * @throws IllegalArgumentException if the token is empty or has characters a header cannot carry
   * @throws IllegalStateException for an application-service identity (an {@code as_token} is not refreshed)
   */
  public MatrixCredentials withRefreshToken(String refreshToken) {
    if (appService) {
      throw new IllegalStateException("an application-service identity has no refresh token");
    }
    return new MatrixCredentials(accessToken, userId, deviceId, false,
        refreshToken == null ? null : requireToken(refreshToken, "refreshToken"), expiresAt);
  }

  /**
   * The refresh token issued with the access token, when known. A secret: keep it out of logs.
   *
   * @return the refresh token, or empty
   */
  public java.util.Optional<String> refreshToken() {
    return java.util.Optional.ofNullable(refreshToken);
  }

  /**
   * {@return a user's access token whose owner is not known yet}
   *
   * @param accessToken the access token (secret)
   * @throws IllegalArgumentException if the token is empty or has characters a header cannot carry
   */
  public static MatrixCredentials accessToken(String accessToken) {
    return new MatrixCredentials(accessToken, null, null, false);
  }

  /**
   * {@return a user's access token with its user and device, as {@code /login} returns them}
   *
   * @param userId the Matrix user id, or null when unknown
   * @param deviceId the device id, or null when unknown
   * @param accessToken the access token (secret)
   * @throws IllegalArgumentException if the token is empty or has characters a header cannot carry
   */
  public static MatrixCredentials accessToken(String accessToken, String userId, String deviceId) {
    return new MatrixCredentials(accessToken, userId, deviceId, false);
  }

  /**
   * {@return an application service acting as {@code userId}: every request carries {@code
   * Authorization: Bearer <asToken>} and {@code ?user_id=<userId>}}
   *
   * @param asToken the application service's {@code as_token} (secret)
   * @param userId the user to act as, such as {@code @bridge_alice:example.org}
   * @throws IllegalArgumentException if the token is invalid or {@code userId} is not a user id
   */
  public static MatrixCredentials appService(String asToken, String userId) {
    Objects.requireNonNull(userId, "userId");
    if (!userId.startsWith("@") || userId.indexOf(':') < 2) {
      throw new IllegalArgumentException("userId must look like @name:server, was: " + userId);
    }
    return new MatrixCredentials(asToken, userId, null, true);
  }

  private static String requireToken(String token, String name) {
    Objects.requireNonNull(token, name);
    if (token.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            name + " must be printable ASCII without spaces; character " + i + " is not");
      }
    }
    return token;
  }

  /** {@return the secret token (access token or {@code as_token})} Keep it out of logs. */
  public String accessToken() {
    return accessToken;
  }

  /** {@return the user these credentials act as, when known} */
  public Optional<String> userId() {
    return Optional.ofNullable(userId);
  }

  /**
   * {@return the device of the access token, when known; never present for an application service}
   */
  public Optional<String> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  /** {@return true for an application-service identity ({@code as_token} with {@code user_id})} */
  public boolean isAppService() {
    return appService;
  }

  /** Shows the user and device, never the token. */
  @Override
  public String toString() {
    return "MatrixCredentials{"
        + (appService ? "appService, " : "")
        + "userId=" + userId
        + ", deviceId=" + deviceId
        + ", accessToken=<redacted>" + (refreshToken == null ? "" : ", refreshToken=<redacted>")
        + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "}";
  }
}
