package io.melo.core;

/**
 * Told when a client's session changes: after a password login, and after every renewal (a
 * refreshed access token, a rotated refresh token, a new login by the credentials provider), so
 * the app can persist the new {@link Session} and {@link MeloClient#resume} with it later.
 *
 * <p>It runs on the thread that renewed the session, before any request uses the new tokens: once
 * a refreshed token is used, the server may revoke the previous refresh token, so a session
 * persisted here is never one step behind. Keep it short (a slow listener holds up every request
 * waiting for the renewal). It must not throw; if it does, the error is logged (without the
 * session's secrets) and the client goes on with the new session.
 */
@FunctionalInterface
public interface SessionListener {

  /**
   * The client now uses {@code session}.
   *
   * @param session the new session; holds secrets, store it as carefully as a password
   */
  void sessionChanged(Session session);
}
