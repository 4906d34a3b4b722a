package io.melo.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The homeserver refused a request for a reason that is neither a missing permission nor a
 * missing object: a rate limit that outlasted the retries, a bad request, a server error. The
 * Matrix error code is kept as sent, unknown codes included.
 */
public final class HomeserverException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** The HTTP status of the answer. */
  private final int httpStatus;
  /** The Matrix error code, as sent. */
  private final String errcode;
  /** How long the server asked to wait, or null. */
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param message what was being done and what the server said; never contains a secret
   * @param httpStatus the HTTP status of the answer
   * @param errcode the Matrix error code, such as {@code M_LIMIT_EXCEEDED}
   * @param retryAfter how long the server asked to wait, or null
   * @param cause the Matrix layer's exception, or null
   */
  public HomeserverException(
      String message, int httpStatus, String errcode, Duration retryAfter, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.httpStatus = httpStatus;
    this.errcode = Objects.requireNonNull(errcode, "errcode");
    this.retryAfter = retryAfter;
  }

  /** {@return the HTTP status of the answer} */
  public int httpStatus() {
    return httpStatus;
  }

  /** {@return the Matrix error code, as sent} */
  public String errcode() {
    return errcode;
  }

  /** {@return how long the server asked the client to wait before retrying, when it said} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
