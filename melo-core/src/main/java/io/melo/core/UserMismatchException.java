package io.melo.core;

import java.util.Objects;

/**
 * New credentials for a client belong to another user than the one the client acts for: a
 * {@link MeloClient#resume(Session)} with another user's session, a
 * {@link MeloClient#resumeWithPassword} whose login answered for someone else, or a credentials
 * provider that logged in as another user. A client keeps its user for life (its cache, sync
 * position and listeners are that user's), so the client goes on with its old session, or stays
 * failed. Names both users; never a token.
 */
public final class UserMismatchException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** The user the client acts for. */
  private final String expectedUserId;
  /** The user the new credentials belong to. */
  private final String actualUserId;

  /**
   * Creates the exception.
   *
   * @param message what was being done, naming both users; never contains a secret
   * @param expectedUserId the user the client acts for
   * @param actualUserId the user the new credentials belong to
   */
  public UserMismatchException(String message, String expectedUserId, String actualUserId) {
    super(Objects.requireNonNull(message, "message"), null);
    this.expectedUserId = Objects.requireNonNull(expectedUserId, "expectedUserId");
    this.actualUserId = Objects.requireNonNull(actualUserId, "actualUserId");
  }

  /**
   * The user the client acts for.
   *
   * @return a Matrix user id
   */
  public String expectedUserId() {
    return expectedUserId;
  }

  /**
   * The user the new credentials belong to, as the homeserver (or the session given) said.
   *
   * @return a Matrix user id
   */
  public String actualUserId() {
    return actualUserId;
  }
}
