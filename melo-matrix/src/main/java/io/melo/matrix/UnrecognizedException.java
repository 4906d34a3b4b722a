package io.melo.matrix;

import java.time.Duration;

/** The server does not know this endpoint or method ({@code M_UNRECOGNIZED}): it may not implement that part of the specification. */
public class UnrecognizedException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   */
  public UnrecognizedException(int httpStatus, String error, Duration retryAfter) {
    super(httpStatus, "M_UNRECOGNIZED", error, retryAfter);
  }
}
