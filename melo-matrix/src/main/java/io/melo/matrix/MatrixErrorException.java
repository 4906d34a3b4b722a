package io.melo.matrix;

import java.time.Duration;
import java.util.Optional;

/**
 * The homeserver refused a request with a standard Matrix error body ({@code errcode},
 * {@code error}). Unknown error codes are kept as they came. Subclasses name the codes apps handle.
 */
public non-sealed class MatrixErrorException extends MatrixException {

  private static final long serialVersionUID = 1L;

  /** The HTTP status of the answer. */
  private final int httpStatus;
  /** The Matrix error code. */
  private final String errcode;
  /** The server's explanation, or {@code ""}. */
  private final String error;
  /** How long the server asked to wait, or null. */
  private final Duration retryAfter;

  /**
   * Creates an error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param errcode the Matrix error code, such as {@code M_FORBIDDEN}; {@code M_UNKNOWN} when absent
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   */
  public MatrixErrorException(int httpStatus, String errcode, String error, Duration retryAfter) {
    this(httpStatus, errcode, error, retryAfter, null);
  }

  /**
   * Creates an error from the server's answer with a cause.
   *
   * @param httpStatus the HTTP status code
   * @param errcode the Matrix error code; {@code M_UNKNOWN} when absent
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   * @param cause what led to this error, or null
   */
  protected MatrixErrorException(
      int httpStatus, String errcode, String error, Duration retryAfter, Throwable cause) {
    super(describe(httpStatus, errcode, error), cause);
    this.httpStatus = httpStatus;
    this.errcode = errcode;
    this.error = error == null ? "" : error;
    this.retryAfter = retryAfter;
  }

  private static String describe(int httpStatus, String errcode, String error) {
    return "HTTP " + httpStatus + " " + errcode + (error == null || error.isEmpty() ? "" : ": " + error);
  }

  /** {@return the HTTP status code of the answer} */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * {@return the Matrix error code, such as {@code M_FORBIDDEN}; unknown codes are kept as sent}
   */
  public String errcode() {
    return errcode;
  }

  /** {@return the server's human-readable explanation; empty when it gave none} */
  public String error() {
    return error;
  }

  /** {@return how long the server asked the client to wait before retrying, when it said} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
