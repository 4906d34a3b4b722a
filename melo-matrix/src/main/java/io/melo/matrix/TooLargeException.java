package io.melo.matrix;

import java.time.Duration;

/** The request body was too large for the server ({@code M_TOO_LARGE}), for example an oversized upload. */
public class TooLargeException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   */
  public TooLargeException(int httpStatus, String error, Duration retryAfter) {
    super(httpStatus, "M_TOO_LARGE", error, retryAfter);
  }
}
