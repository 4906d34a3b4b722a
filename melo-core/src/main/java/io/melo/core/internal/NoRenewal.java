package io.melo.core.internal;

/**
 * Thrown by Melo's credentials providers when a rejected session cannot be renewed at all (no
 * refresh token and no credentials provider, a hard logout without a provider, an application
 * service's {@code as_token}): its message is the whole explanation, which
 * {@link MatrixSteps#translate} puts into the {@code LoggedOutException}. Never holds a secret.
 * Not API.
 */
final class NoRenewal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message why the session cannot be renewed, naming the user; never a secret */
  NoRenewal(String message) {
    super(message, null, false, false);
  }
}
