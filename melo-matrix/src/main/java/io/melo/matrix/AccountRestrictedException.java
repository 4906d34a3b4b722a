package io.melo.matrix;

import java.time.Duration;
import java.util.Objects;

/**
 * The homeserver refused a request because of the state of the user's account, not the request:
 * the account is locked ({@code M_USER_LOCKED}, sent with 401 and {@code soft_logout: true}: the
 * session and device survive, but nothing can be done until an administrator unlocks it),
 * suspended ({@code M_USER_SUSPENDED}, 403: reading goes on, writing such as sending or joining is
 * refused) or deactivated ({@code M_USER_DEACTIVATED}: the account is gone for good). Renewing the
 * access token cannot help, so the client does not try.
 */
public class AccountRestrictedException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /** What the homeserver says about the account. */
  public enum Restriction {
    /** {@code M_USER_LOCKED}: no request is served until the account is unlocked; the session survives. */
    LOCKED,
    /** {@code M_USER_SUSPENDED}: reads work, writes (sending, joining, inviting, profile changes) are refused. */
    SUSPENDED,
    /** {@code M_USER_DEACTIVATED}: the account was deactivated and cannot be used again. */
    DEACTIVATED;

    /**
     * The restriction an error code names.
     *
     * @param errcode a Matrix error code
     * @return the restriction, or null when the code names none
     */
    public static Restriction of(String errcode) {
      if (errcode == null) {
        return null;
      }
      switch (errcode) {
        case "M_USER_LOCKED":
          return LOCKED;
        case "M_USER_SUSPENDED":
          return SUSPENDED;
        case "M_USER_DEACTIVATED":
          return DEACTIVATED;
        default:
          return null;
      }
    }
  }

  /** What the homeserver says about the account. */
  private final Restriction restriction;
  /** The answer's {@code soft_logout} flag. */
  private final boolean softLogout;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param errcode {@code M_USER_LOCKED}, {@code M_USER_SUSPENDED} or {@code M_USER_DEACTIVATED}
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   * @param softLogout the answer's {@code soft_logout} flag
   * @throws IllegalArgumentException if {@code errcode} names no restriction
   */
  public AccountRestrictedException(
      int httpStatus, String errcode, String error, Duration retryAfter, boolean softLogout) {
    super(httpStatus, Objects.requireNonNull(errcode, "errcode"), error, retryAfter);
    this.restriction = Restriction.of(errcode);
    if (restriction == null) {
      throw new IllegalArgumentException("errcode must be M_USER_LOCKED, M_USER_SUSPENDED or M_USER_DEACTIVATED,"
          + " was: " + errcode);
    }
    this.softLogout = softLogout;
  }

  /** {@return what the homeserver says about the account} */
  public Restriction restriction() {
    return restriction;
  }

  /**
   * {@return the answer's {@code soft_logout} flag: true for a locked account (the session and its
   * device survive the lock)}
   */
  public boolean softLogout() {
    return softLogout;
  }
}
