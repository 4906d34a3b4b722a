package io.melo.matrix;

/**
 * No usable answer arrived from the homeserver: the connection failed, timed out or was cancelled.
 *
 * <p>{@link #mayHaveApplied()} tells an unsent request (safe to send again) from a lost response
 * (the server may have acted on it; only an idempotent request, such as a send with the same
 * transaction id, may be repeated).
 */
public non-sealed class MatrixNetworkException extends MatrixException {

  private static final long serialVersionUID = 1L;

  /** Whether the request may have reached the server. */
  private final boolean mayHaveApplied;

  /**
   * Creates a network failure; {@code mayHaveApplied} is true once the request may have reached the
   * server.
   *
   * @param message what was being done and what failed
   * @param mayHaveApplied true once the request may have reached the server
   * @param cause the I/O exception, or null
   */
  public MatrixNetworkException(String message, boolean mayHaveApplied, Throwable cause) {
    super(message, cause);
    this.mayHaveApplied = mayHaveApplied;
  }

  /**
   * {@return true when the request may have reached the server and been applied before the failure}
   */
  public boolean mayHaveApplied() {
    return mayHaveApplied;
  }
}
