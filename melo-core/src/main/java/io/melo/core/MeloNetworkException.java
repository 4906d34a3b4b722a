package io.melo.core;

/**
 * No usable answer arrived from the homeserver: the connection failed, timed out, or the call was
 * cancelled. {@link #mayHaveApplied()} tells an unsent request from a lost response.
 */
public final class MeloNetworkException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** Whether the request may have been applied before the failure. */
  private final boolean mayHaveApplied;
  /** Whether the failure is the app's own cancel. */
  private final boolean cancelled;

  /**
   * Creates the exception.
   *
   * @param message what was being done and what failed
   * @param mayHaveApplied true when the request may have reached the server and been applied
   * @param cancelled true when the app cancelled the call
   * @param cause the underlying failure, or null
   */
  public MeloNetworkException(
      String message, boolean mayHaveApplied, boolean cancelled, Throwable cause) {
    super(message, cause);
    this.mayHaveApplied = mayHaveApplied;
    this.cancelled = cancelled;
  }

  /**
   * {@return true when the request may have reached the server and been applied before the failure}
   */
  public boolean mayHaveApplied() {
    return mayHaveApplied;
  }

  /** {@return true when the failure is the app's own {@link MeloCall#cancel()}} */
  public boolean cancelled() {
    return cancelled;
  }
}
