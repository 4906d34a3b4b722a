package io.melo.matrix;

/**
 * The server rejected the access token and the client could not get working credentials: there was no
 * {@link CredentialsProvider}, the provider failed, or the request failed again with the renewed
 * credentials. The app has to log in again. The cause, when present, tells what failed.
 */
public class AuthenticationException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /** Whether the server said {@code soft_logout}. */
  private final boolean softLogout;

  /**
   * Creates the error.
   *
   * @param rejected the server's rejection of the token
   * @param reason what went wrong, without any secret
   * @param cause the provider's failure, or null
   */
  public AuthenticationException(UnknownTokenException rejected, String reason, Throwable cause) {
    super(rejected.httpStatus(), rejected.errcode(), reason, null, cause);
    this.softLogout = rejected.softLogout();
  }

  /**
   * {@return the {@code soft_logout} flag of the server's last rejection: see {@link
   * UnknownTokenException#softLogout()}}
   */
  public boolean softLogout() {
    return softLogout;
  }
}
