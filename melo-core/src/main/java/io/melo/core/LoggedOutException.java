package io.melo.core;

import java.util.Objects;

/**
 * The homeserver no longer accepts this client's session ({@code M_UNKNOWN_TOKEN}) and it could
 * not be renewed: there was no refresh token or it was refused, and no credentials provider was
 * configured or it failed too (for an application service: the homeserver rejected its
 * {@code as_token}, which is never renewed). Every pending and later call of the client fails with
 * it, and the sync loop stops in {@code FAILED} with it as the failure. The app gives the same
 * client a new session with {@link MeloClient#resume(Session)} or
 * {@link MeloClient#resumeWithPassword(String)}; its cache and listeners stay and its sync loop
 * goes on where it stopped.
 *
 * <p>{@link #softLogout()} tells what survives: a soft logout keeps the device (log in again with
 * its device id), a hard one means the server destroyed the session and its device.
 */
public final class LoggedOutException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** The user whose session was rejected. */
  private final String userId;
  /** Whether the homeserver said {@code soft_logout}. */
  private final boolean softLogout;

  /**
   * Creates the exception.
   *
   * @param message what was being done and why renewing failed; never contains a secret
   * @param userId the user whose session was rejected
   * @param softLogout the {@code soft_logout} flag of the homeserver's rejection
   * @param cause the Matrix layer's exception, or null
   */
  public LoggedOutException(String message, String userId, boolean softLogout, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.userId = userId;
    this.softLogout = softLogout;
  }

  /** {@return the user whose session the homeserver rejected} */
  public String userId() {
    return userId;
  }

  /**
   * {@return true when the homeserver said {@code soft_logout}: the device survives, and logging in
   * again with its device id resumes it} False when the server destroyed the session (a hard
   * logout): the device is gone.
   */
  public boolean softLogout() {
    return softLogout;
  }
}
