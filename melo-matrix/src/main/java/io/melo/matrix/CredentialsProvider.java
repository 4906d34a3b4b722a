package io.melo.matrix;

/**
 * Renews credentials after the server rejected the access token ({@code M_UNKNOWN_TOKEN}), by a
 * refresh token or a new login. The client asks once for many concurrent failures, then repeats each
 * failed request once with the new credentials.
 *
 * <p>{@link #renew} may block (it usually makes a request itself, with {@code execute()}); it runs on
 * the thread of the first request that failed. It must return new credentials or throw; whatever it
 * throws becomes the cause of the {@link AuthenticationException} the failed requests report.
 */
@FunctionalInterface
public interface CredentialsProvider {

  /**
   * Returns working credentials for {@code client}.
   *
   * @param client the client whose token was rejected (use it for {@code refresh} or {@code login})
   * @param rejected the server's rejection; {@link UnknownTokenException#softLogout()} tells whether
   *     the device survives
   * @return the new credentials, never null
   */
  MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected);
}
