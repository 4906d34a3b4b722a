package io.melo.testkit.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A refusal in the spec's terms: the HTTP status, the {@code errcode}, a human-readable
 * {@code error} and optional extra fields of the error body ({@code retry_after_ms},
 * {@code soft_logout}, or {@code flows}/{@code session} of a user-interactive 401).
 *
 * <p>The HTTP layer turns it into the response body with {@link #toBody()}. Messages never contain
 * tokens or passwords.
 */
public final class MatrixError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status, 400 to 599. */
  private final int status;
  /** The Matrix error code, for example {@code M_FORBIDDEN}; not null. */
  private final String errcode;
  private final transient Map<String, Object> extra;
  /** Whether this is a user-interactive-auth 401, whose body is {@link #extra()} alone. */
  private final boolean userInteractive;

  /**
   * A refusal with the given HTTP status, errcode and message, without extra fields.
   *
   * @param status the HTTP status, 400 to 599 (else {@link IllegalArgumentException})
   * @param errcode the Matrix error code, for example {@code M_FORBIDDEN}; not null
   * @param message the {@code error} text; not null
   */
  public MatrixError(int status, String errcode, String message) {
    this(status, errcode, message, Map.of());
  }

  /**
   * A refusal with extra fields for the error body (copied; insertion order kept).
   *
   * @param status the HTTP status, 400 to 599 (else {@link IllegalArgumentException})
   * @param errcode the Matrix error code, for example {@code M_FORBIDDEN}; not null
   * @param message the {@code error} text; not null
   * @param extra more fields of the body, for example {@code soft_logout}; not null
   */
  public MatrixError(int status, String errcode, String message, Map<String, Object> extra) {
    super(Objects.requireNonNull(message, "message"));
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx, was: " + status);
    }
    this.status = status;
    this.errcode = Objects.requireNonNull(errcode, "errcode");
    this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    this.userInteractive = false;
  }

  private MatrixError(Map<String, Object> uiaBody) {
    super("User-interactive authentication is required");
    this.status = 401;
    this.errcode = "M_FORBIDDEN";
    this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(uiaBody));
    this.userInteractive = true;
  }

  /**
   * 401 for user-interactive authentication: the body is exactly the given fields ({@code flows},
   * {@code params}, {@code session}, {@code completed}) without {@code errcode}, as the spec's
   * first 401 response has none.
   *
   * @param uiaBody the 401 body: {@code flows}, {@code params}, {@code session}, {@code completed}
   * @return the error
   */
  public static MatrixError userInteractiveAuth(Map<String, Object> uiaBody) {
    return new MatrixError(uiaBody);
  }

  /** {@return whether this is a user-interactive-authentication 401 (the body has no errcode)} */
  public boolean isUserInteractive() {
    return userInteractive;
  }

  /** {@return the HTTP status code of the response} */
  public int status() {
    return status;
  }

  /** {@return the spec's error code, for example {@code M_FORBIDDEN}} */
  public String errcode() {
    return errcode;
  }

  /**
   * Extra fields of the error body beyond {@code errcode} and {@code error}.
   *
   * @return the extra fields (unmodifiable, in insertion order); empty when there are none
   */
  public Map<String, Object> extra() {
    return extra;
  }

  /**
   * {@return the response body: {@code errcode}, {@code error} and the extra fields (for a
   * user-interactive 401 only the extra fields)}
   */
  public Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    if (userInteractive) {
      body.putAll(extra);
      return body;
    }
    body.put("errcode", errcode);
    body.put("error", getMessage());
    body.putAll(extra);
    return body;
  }

  /**
   * 403 {@code M_FORBIDDEN}: the authorization rules or a permission check refused.
   *
   * @param reason the {@code error} text: why it was refused
   * @return the error
   */
  public static MatrixError forbidden(String reason) {
    return new MatrixError(403, "M_FORBIDDEN", reason);
  }

  /**
   * 404 {@code M_NOT_FOUND}.
   *
   * @param what the {@code error} text: what was not found
   * @return the error
   */
  public static MatrixError notFound(String what) {
    return new MatrixError(404, "M_NOT_FOUND", what);
  }

  /**
   * 400 {@code M_BAD_JSON}: valid JSON of the wrong shape.
   *
   * @param what the {@code error} text: what was wrong
   * @return the error
   */
  public static MatrixError badJson(String what) {
    return new MatrixError(400, "M_BAD_JSON", what);
  }

  /**
   * 400 {@code M_NOT_JSON}: the body is not JSON at all.
   *
   * @param what the {@code error} text
   * @return the error
   */
  public static MatrixError notJson(String what) {
    return new MatrixError(400, "M_NOT_JSON", what);
  }

  /**
   * 400 {@code M_INVALID_PARAM}: a query or path parameter has a bad value.
   *
   * @param what the {@code error} text: which parameter and why
   * @return the error
   */
  public static MatrixError invalidParam(String what) {
    return new MatrixError(400, "M_INVALID_PARAM", what);
  }

  /**
   * 400 {@code M_MISSING_PARAM}: a required parameter is absent.
   *
   * @param what the {@code error} text: which parameter
   * @return the error
   */
  public static MatrixError missingParam(String what) {
    return new MatrixError(400, "M_MISSING_PARAM", what);
  }

  /**
   * 401 {@code M_UNKNOWN_TOKEN}, with {@code soft_logout} when the token only expired.
   *
   * @param softLogout true when the token expired (the client may refresh), false when it is
   *     unknown
   * @return the error
   */
  public static MatrixError unknownToken(boolean softLogout) {
    return new MatrixError(
        401,
        "M_UNKNOWN_TOKEN",
        softLogout ? "Access token has expired" : "Unrecognised access token",
        Map.of("soft_logout", softLogout));
  }

  /**
   * 401 {@code M_USER_LOCKED} with {@code soft_logout: true}: an administrator locked the account.
   *
   * @return the error
   */
  public static MatrixError userLocked() {
    return new MatrixError(401, "M_USER_LOCKED", "This account has been locked", Map.of("soft_logout", true));
  }

  /**
   * 401 {@code M_MISSING_TOKEN}: no access token was given.
   *
   * @return the error
   */
  public static MatrixError missingToken() {
    return new MatrixError(401, "M_MISSING_TOKEN", "Missing access token");
  }

  /**
   * 429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms}.
   *
   * @param retryAfterMs the {@code retry_after_ms} value, in milliseconds
   * @return the error
   */
  public static MatrixError limitExceeded(long retryAfterMs) {
    return new MatrixError(
        429, "M_LIMIT_EXCEEDED", "Too many requests", Map.of("retry_after_ms", retryAfterMs));
  }

  @Override
  public String toString() {
    return "MatrixError{" + status + " " + errcode + ": " + getMessage() + "}";
  }
}
