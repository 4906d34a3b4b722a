package io.melo.core;

/**
 * The homeserver's answer broke the specification, or room state written by another client does
 * not fit Melo's mapping where Melo needs it (for example a server whose {@code <ns>.server} state
 * has no owner). The server or the other client is wrong, not the app.
 */
public final class MeloProtocolException extends MeloException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message naming what was wrong.
   *
   * @param message what was wrong, naming the offending object
   * @param cause the underlying exception, or null
   */
  public MeloProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
