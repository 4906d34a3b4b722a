package io.melo.matrix;

import java.time.Duration;

/** The server refused the request as not allowed ({@code M_FORBIDDEN}), for example missing power level or a private resource. */
public class ForbiddenException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   */
  public ForbiddenException(int httpStatus, String error, Duration retryAfter) {
    super(httpStatus, "M_FORBIDDEN", error, retryAfter);
  }
}
