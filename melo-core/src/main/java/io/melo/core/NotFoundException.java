package io.melo.core;

/**
 * The server, channel, message, user or invite code does not exist, was deleted, or is not
 * visible to this user. The message names what was looked for.
 */
public final class NotFoundException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** What was looked for. */
  private final String what;

  /**
   * Creates the exception.
   *
   * @param what what was looked for, such as {@code "server !abc:hs"}
   * @param cause the homeserver's {@code M_NOT_FOUND} answer, or null when Melo's own cache knew
   */
  public NotFoundException(String what, Throwable cause) {
    super("no " + what, cause);
    this.what = what;
  }

  /** {@return what was looked for, such as {@code "server !abc:hs"}} */
  public String what() {
    return what;
  }
}
