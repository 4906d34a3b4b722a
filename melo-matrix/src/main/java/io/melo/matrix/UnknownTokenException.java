package io.melo.matrix;

/**
 * The server does not accept the access token ({@code M_UNKNOWN_TOKEN}): it expired, was revoked or
 * was logged out. With {@link #softLogout()} true the session may be resumed by refreshing or logging
 * in again on the same device; otherwise the device is gone and its data should be discarded.
 */
public class UnknownTokenException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /** Whether the server said {@code soft_logout}. */
  private final boolean softLogout;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code, normally 401
   * @param error the server's human-readable message; may be empty
   * @param softLogout the server's {@code soft_logout} flag
   */
  public UnknownTokenException(int httpStatus, String error, boolean softLogout) {
    super(httpStatus, "M_UNKNOWN_TOKEN", error, null);
    this.softLogout = softLogout;
  }

  /**
   * {@return true when the server set {@code soft_logout}: the device and its keys still exist and
   * a refresh or a new login with the same device id resumes the session}
   */
  public boolean softLogout() {
    return softLogout;
  }
}
