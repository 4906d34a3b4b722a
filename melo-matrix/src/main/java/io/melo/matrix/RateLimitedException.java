package io.melo.matrix;

import java.time.Duration;

/**
 * The server asked the client to slow down ({@code M_LIMIT_EXCEEDED}, usually HTTP 429). The
 * request was not applied; {@link #retryAfter()} says how long to wait when the server said. The
 * client already waited and retried as its {@link RetryPolicy} allows before reporting this.
 */
public class RateLimitedException extends MatrixErrorException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the error from the server's answer.
   *
   * @param httpStatus the HTTP status code
   * @param error the server's human-readable message; may be empty
   * @param retryAfter how long the server asked to wait, or null
   */
  public RateLimitedException(int httpStatus, String error, Duration retryAfter) {
    super(httpStatus, "M_LIMIT_EXCEEDED", error, retryAfter);
  }
}
