package io.melo.matrix;

/**
 * The homeserver's answer was larger than {@link MatrixConfig#maxResponseBytes()}: the body was
 * abandoned unread past the cap, so nothing of it was used. Sending the same request again gets the
 * same answer, so a {@link io.melo.matrix.sync.SyncLoop} stops on it instead of retrying; raise the
 * cap (or narrow the request, for example with a sync filter) to get past it.
 */
public final class ResponseTooLargeException extends MatrixProtocolException {

  private static final long serialVersionUID = 1L;

  /** The limit that was exceeded, in bytes. */
  private final long limit;

  /**
   * Creates the failure.
   *
   * @param message names the request and the limit
   * @param limit the cap in bytes that the answer exceeded
   */
  public ResponseTooLargeException(String message, long limit) {
    super(message, null);
    this.limit = limit;
  }

  /**
   * The cap in bytes that the answer exceeded.
   *
   * @return {@link MatrixConfig#maxResponseBytes()} of the client that refused the answer
   */
  public long limit() {
    return limit;
  }
}
