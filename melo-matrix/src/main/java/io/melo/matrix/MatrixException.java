package io.melo.matrix;

/**
 * A failed Matrix request, sorted by who has to act.
 *
 * <ul>
 *   <li>{@link MatrixErrorException}: the homeserver answered with an error ({@code errcode});
 *   <li>{@link MatrixNetworkException}: no usable answer arrived (connection, timeout, cancelled);
 *   <li>{@link MatrixProtocolException}: the answer broke the specification (not JSON, wrong shape,
 *       too large).
 * </ul>
 *
 * <p>Unchecked, so calls compose in lambdas and futures. No message ever contains an access token,
 * refresh token, password or application-service token.
 */
public abstract sealed class MatrixException extends RuntimeException
    permits MatrixErrorException, MatrixNetworkException, MatrixProtocolException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and an optional cause.
   *
   * @param message what was being done and what went wrong; never contains a secret
   * @param cause the underlying exception, or null
   */
  protected MatrixException(String message, Throwable cause) {
    super(message, cause);
  }
}
