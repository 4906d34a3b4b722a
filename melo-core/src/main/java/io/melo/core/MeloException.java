package io.melo.core;

/**
 * A failed Melo operation, sorted by who has to act.
 *
 * <ul>
 *   <li>{@link RuleViolationException}: a Melo rule forbids it (checked before sending), or the
 *       homeserver refused it for lack of power; the user may not do this.
 *   <li>{@link NotFoundException}: the server, channel, message, user or invite does not exist or
 *       is not visible to this user.
 *   <li>{@link HomeserverException}: the homeserver refused the request for another reason (rate
 *       limit, bad request, server error); its Matrix error code is kept.
 *   <li>{@link MeloNetworkException}: no answer arrived (connection, timeout, cancelled).
 *   <li>{@link MeloProtocolException}: the homeserver's answer, or the room state another client
 *       wrote, broke the specification or Melo's mapping.
 *   <li>{@link PartialFailureException}: an operation of many steps stopped midway; running it
 *       again completes it.
 *   <li>{@link LoggedOutException}: the homeserver rejected the session and renewing it failed;
 *       the app has to log in again.
 *   <li>{@link ProvisioningException}: the homeserver refused to create an account (a wrong
 *       shared secret, a taken or invalid name).
 *   <li>{@link UserMismatchException}: new credentials for a client belong to another user.
 *   <li>{@link DiscoveryException}: the homeserver of a server name could not be found
 *       ({@code .well-known}).
 *   <li>{@link AccountRestrictedException}: the user's account is locked, suspended (reads only)
 *       or deactivated.
 * </ul>
 *
 * <p>Unchecked, so calls compose in lambdas and futures. App bugs (a null name, blank text) are
 * {@link IllegalArgumentException} or {@link NullPointerException} at the call instead. When the
 * failure came from the Matrix layer, {@link #getCause()} keeps it. No message ever contains an
 * access token, refresh token or password.
 */
public abstract sealed class MeloException extends RuntimeException
    permits RuleViolationException,
        NotFoundException,
        HomeserverException,
        MeloNetworkException,
        MeloProtocolException,
        PartialFailureException,
        LoggedOutException,
        ProvisioningException,
        UserMismatchException,
        DiscoveryException,
        AccountRestrictedException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and an optional cause.
   *
   * @param message what was being done and what went wrong; never contains a secret
   * @param cause the underlying exception, or null
   */
  protected MeloException(String message, Throwable cause) {
    super(message, cause);
  }
}
