package io.melo.matrix;

import java.time.Duration;

/** The server has no such resource ({@code M_NOT_FOUND}): unknown room alias, event, state event or account data. */
public class NotFoundException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   */
  public NotFoundException(int httpStatus, String error, Duration retryAfter) {
    super(httpStatus, "M_NOT_FOUND", error, retryAfter);
  }
}
