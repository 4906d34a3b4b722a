package io.melo.core;

import java.util.Objects;

/**
 * The homeserver refused a request because of the state of the user's account, not because of the
 * request or the session's token; {@link #restriction()} tells which state:
 *
 * <ul>
 *   <li>{@link Restriction#LOCKED} ({@code M_USER_LOCKED}): an administrator locked the account.
 *       Nothing is served until it is unlocked, so the sync loop stops in {@code FAILED} with this
 *       exception. The session survives (the homeserver says {@code soft_logout}): once the account
 *       is unlocked, {@code client.resume(client.session())} goes on where the client stopped.
 *       Renewing the token cannot help, so the client does not try.
 *   <li>{@link Restriction#SUSPENDED} ({@code M_USER_SUSPENDED}): the account may read but not
 *       write. Sending, joining, inviting, creating servers and changing the profile fail with this
 *       exception; the sync loop and reads go on.
 *   <li>{@link Restriction#DEACTIVATED} ({@code M_USER_DEACTIVATED}): the account is gone for good;
 *       the sync loop stops in {@code FAILED} and logging in again fails the same way.
 * </ul>
 *
 * Never contains a token.
 */
public final class AccountRestrictedException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** The state of the account that made the homeserver refuse. */
  public enum Restriction {
    /** Locked by an administrator: nothing is served until it is unlocked; the session survives. */
    LOCKED,
    /** Suspended: reads work, writes are refused. */
    SUSPENDED,
    /** Deactivated: the account cannot be used again. */
    DEACTIVATED
  }

  /** The user whose account is restricted. */
  private final String userId;
  /** Which restriction. */
  private final Restriction restriction;

  /**
   * Creates the exception.
   *
   * @param message what was being done and what the homeserver said; never contains a secret
   * @param userId the user whose account is restricted
   * @param restriction which restriction
   * @param cause the Matrix layer's exception, or null
   */
  public AccountRestrictedException(String message, String userId, Restriction restriction, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.userId = userId;
    this.restriction = Objects.requireNonNull(restriction, "restriction");
  }

  /** {@return the user whose account is restricted} */
  public String userId() {
    return userId;
  }

  /** {@return which restriction made the homeserver refuse} */
  public Restriction restriction() {
    return restriction;
  }

  /**
   * {@return true when the session survives the restriction (a locked account): the same session
   * works again once the account is unlocked}
   */
  public boolean sessionSurvives() {
    return restriction == Restriction.LOCKED;
  }
}
