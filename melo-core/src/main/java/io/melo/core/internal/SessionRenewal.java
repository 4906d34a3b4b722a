package io.melo.core.internal;

import io.melo.core.Session;
import io.melo.core.SessionListener;
import io.melo.core.UserMismatchException;
import io.melo.matrix.CredentialsProvider;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.UnknownTokenException;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RefreshResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@code MeloClient} renews a rejected session, following the specification's soft-logout
 * rules: on a soft logout the session's refresh token first; when there is none, it is refused, or
 * the logout was hard (the server destroyed the session: refreshing is not allowed), the app's
 * credentials provider. Each new session is stored and reported to the app's listener before the
 * new token is used. A server error or a rate limit while renewing is reported as a network failure,
 * so the next rejected request tries again instead of the session being given up. melo-matrix runs
 * it once for all requests that failed together, on the thread of the first. Not API.
 */
final class SessionRenewal implements CredentialsProvider {

  private static final Logger log = LoggerFactory.getLogger(SessionRenewal.class);

  private final AtomicReference<Session> session;
  private final CredentialsProvider fallback;
  private final SessionListener listener;

  /**
   * Renewal of {@code session}.
   *
   * @param session the client's session, replaced by each renewal
   * @param fallback the app's credentials provider, or null
   * @param listener the app's session listener, or null
   */
  SessionRenewal(AtomicReference<Session> session, CredentialsProvider fallback, SessionListener listener) {
    this.session = session;
    this.fallback = fallback;
    this.listener = listener;
  }

  @Override
  public MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected) {
    Session current = session.get();
    if (current.refreshToken().isPresent() && rejected.softLogout()) {
      try {
        RefreshResponse refreshed = client.refresh(current.refreshToken().get()).execute();
        return changed(new Session(current.userId(), current.deviceId().orElse(null), refreshed.accessToken(),
            refreshed.refreshToken().orElse(current.refreshToken().get())), expiry(client, refreshed.expiresIn()));
      } catch (MatrixErrorException refused) {
        if (fallback == null || isTransient(refused)) {
          throw transientOrNot(refused);
        }
        log.info("The homeserver refused the refresh token of {} ({}); asking the credentials provider",
            current.userId(), refused.errcode());
      }
    }
    if (fallback == null) {
      if (current.refreshToken().isPresent() && !rejected.softLogout()) {
        // A hard logout with a refresh token: the session is gone, refreshing it is not allowed.
        throw new NoRenewal("the homeserver ended the session of " + current.userId()
            + " (a hard logout, which the specification forbids to refresh) and there is no credentials"
            + " provider to log in again");
      }
      throw new NoRenewal("the homeserver rejected the session of " + current.userId()
          + " and there is no refresh token or credentials provider to renew it");
    }
    try {
      return renewWithProvider(client, rejected, current);
    } catch (MatrixErrorException failed) {
      throw transientOrNot(failed);
    }
  }

  private MatrixCredentials renewWithProvider(MatrixClient client, UnknownTokenException rejected, Session current) {
    if (fallback instanceof PasswordRelogin password) {
      AtomicReference<LoginResponse> login = new AtomicReference<>();
      password.renew(client, rejected, login::set);
      LoginResponse response = login.get();
      requireSameUser(current, response.userId());
      return changed(new Session(response.userId(), response.deviceId(), response.accessToken(),
          response.refreshToken().orElse(null)), expiry(client, response.expiresIn()));
    }
    MatrixCredentials renewed = fallback.renew(client, rejected);
    if (renewed == null) {
      throw new IllegalStateException("the credentials provider returned null");
    }
    if (renewed.isAppService()) {
      throw new IllegalStateException("the credentials provider returned an application-service identity "
          + "for a user session");
    }
    String userId = renewed.userId().orElse(current.userId());
    requireSameUser(current, userId);
    // After a hard logout the old device is gone: keep it only when the provider says so.
    String device = renewed.deviceId().orElse(rejected.softLogout() ? current.deviceId().orElse(null) : null);
    // A refresh token that came with them (MatrixCredentials.withRefreshToken, or a LoginResponse's
    // credentials()) renews the next expiry without asking the provider again.
    return changed(new Session(userId, device, renewed.accessToken(), renewed.refreshToken().orElse(null)),
        renewed.expiresAt().orElse(null));
  }

  /** A server error or a rate limit the retries did not outlast: the session may still be renewed later. */
  private static boolean isTransient(MatrixErrorException e) {
    return e.httpStatus() >= 500 || e.httpStatus() == 429;
  }

  /**
   * {@code e} itself, or for a transient failure a {@link MatrixNetworkException}: melo-matrix then
   * reports it as such and lets the next rejected request try again, rather than giving the
   * session up for good.
   */
  private static RuntimeException transientOrNot(MatrixErrorException e) {
    if (!isTransient(e)) {
      return e;
    }
    return new MatrixNetworkException("renewing the session failed for now (HTTP " + e.httpStatus() + " "
        + e.errcode() + "); the next rejected request tries again", false, e);
  }

  private static void requireSameUser(Session current, String userId) {
    if (!current.userId().equals(userId)) {
      throw new UserMismatchException("the credentials provider logged in as " + userId
          + ", but this client acts for " + current.userId(), current.userId(), userId);
    }
  }

  /**
   * The provider of an application-service client: an {@code as_token} is configured, never
   * renewed, so a rejection ends the client with a message that says so (naming the user the
   * service acts as, never the token).
   */
  static CredentialsProvider appService(String userId) {
    return new CredentialsProvider() {
      @Override
      public MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected) {
        throw new NoRenewal("the homeserver rejected the application service's as_token (acting as " + userId
            + "); an as_token is not renewed: check it is the as_token of the service's registration");
      }

      @Override
      public String toString() {
        return "SessionRenewal.appService(" + userId + ")";
      }
    };
  }

  /** Stores the new session, tells the app, and returns the credentials to go on with. */
  private MatrixCredentials changed(Session renewed, java.time.Instant expiresAt) {
    // The same homeserver as the session it replaces.
    Session next = renewed.withHomeserver(session.get().homeserver().orElse(null));
    session.set(next);
    notify(listener, next);
    // With a refresh token, an expiry is renewed shortly before it comes (melo-matrix does it on
    // the next request); without one, only the server's rejection renews the session.
    return MatrixCredentials.accessToken(next.accessToken(), next.userId(), next.deviceId().orElse(null))
        .withExpiresAt(next.refreshToken().isPresent() ? expiresAt : null);
  }

  /** When a token issued now that lives {@code lifetime} expires, on the client's clock; null for never. */
  private static java.time.Instant expiry(MatrixClient client, java.util.Optional<java.time.Duration> lifetime) {
    return lifetime.map(in -> client.config().clock().now().plus(in)).orElse(null);
  }

  /** Tells {@code listener} (if any) about {@code next}; a throwing listener is logged, never rethrown. */
  static void notify(SessionListener listener, Session next) {
    if (listener == null) {
      return;
    }
    try {
      listener.sessionChanged(next);
    } catch (RuntimeException e) {
      // The exception's message could quote the session: log its class only.
      log.warn("The session listener failed for {}: {}", next.userId(), e.getClass().getName());
    }
  }

  @Override
  public String toString() {
    return "SessionRenewal(" + session.get().userId() + ", provider=" + fallback + ")";
  }
}
