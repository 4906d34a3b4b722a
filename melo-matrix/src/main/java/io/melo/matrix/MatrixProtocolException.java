package io.melo.matrix;

/**
 * The homeserver's answer broke the specification: not JSON, a wrong shape, a missing required
 * field, or larger than the configured cap. The server is wrong, not the app.
 */
public non-sealed class MatrixProtocolException extends MatrixException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates a protocol failure with a message naming what was wrong.
   *
   * @param message what was wrong
   * @param cause the underlying exception, or null
   */
  public MatrixProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
