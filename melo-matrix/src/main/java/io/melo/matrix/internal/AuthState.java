package io.melo.matrix.internal;

import io.melo.matrix.AuthenticationException;
import io.melo.matrix.CredentialsProvider;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.MatrixException;
import io.melo.matrix.MatrixNetworkException;
import io.melo.matrix.UnknownTokenException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's current credentials and the single-flight renewal: however many requests fail with
 * the same rejected credentials at once, the provider is asked once and all of them wait for its
 * answer. A failed renewal is remembered for those credentials, so late failures do not ask again.
 */
final class AuthState {

  private static final Logger log = LoggerFactory.getLogger(AuthState.class);

  private final CredentialsProvider provider;
  private final ThreadLocal<Boolean> inProvider = new ThreadLocal<>();
  private final Object lock = new Object();
  private MatrixCredentials current;
  private MatrixCredentials renewing;
  private CompletableFuture<MatrixCredentials> renewal;
  /** Access tokens this client used before its current one, newest last: still scrubbed from errors. */
  private final java.util.ArrayDeque<String> retired = new java.util.ArrayDeque<>();
  private static final int RETIRED_KEPT = 4;

  AuthState(MatrixCredentials initial, CredentialsProvider provider) {
    this.current = initial;
    this.provider = provider;
  }

  MatrixCredentials current() {
    synchronized (lock) {
      return current;
    }
  }

  void set(MatrixCredentials credentials) {
    synchronized (lock) {
      retire(current);
      current = credentials;
      renewing = null;
      renewal = null;
    }
  }

  /**
   * Every access token to keep out of error texts: the current one and the last few it replaced (an
   * answer to a request sent before a renewal can quote the older token).
   */
  java.util.List<String> knownAccessTokens() {
    synchronized (lock) {
      java.util.List<String> all = new java.util.ArrayList<>(retired);
      if (current != null) {
        all.add(current.accessToken());
      }
      return all;
    }
  }

  private void retire(MatrixCredentials old) {
    if (old == null) {
      return;
    }
    retired.remove(old.accessToken());
    retired.addLast(old.accessToken());
    while (retired.size() > RETIRED_KEPT) {
      retired.removeFirst();
    }
  }

  /**
   * True when a renewal may be asked for: there is a provider and this thread is not running it (a
   * provider whose own request is rejected must fail, not wait for itself).
   */
  boolean canRenew() {
    return provider != null && inProvider.get() == null;
  }

  /**
   * True when {@code credentials} expire within {@link MatrixCredentials#RENEW_BEFORE_EXPIRY} of
   * {@code now} and a renewal may be asked for: the caller renews them before sending.
   */
  boolean expiresSoon(MatrixCredentials credentials, java.time.Instant now) {
    if (credentials == null || !canRenew() || !credentials.expiresAt().isPresent()) {
      return false;
    }
    return !now.isBefore(credentials.expiresAt().get().minus(MatrixCredentials.RENEW_BEFORE_EXPIRY));
  }

  /** What a renewal before expiry tells the provider: an expired token, as the server would say (soft logout). */
  static UnknownTokenException expiring(MatrixCredentials credentials) {
    return new Expiring("the access token expires at " + credentials.expiresAt().orElse(null)
        + ": renewing it before it does");
  }

  /** The rejection a renewal before expiry hands the provider; not an answer of the server. */
  private static final class Expiring extends UnknownTokenException {
    private static final long serialVersionUID = 1L;

    Expiring(String message) {
      super(401, message, true);
    }
  }

  /**
   * Returns credentials to retry with after {@code failedWith} was rejected, asking the provider at
   * most once per rejected credentials. Blocks until the renewal is done.
   *
   * @throws AuthenticationException if the provider fails
   * @throws MatrixNetworkException if the provider failed to reach the server
   */
  MatrixCredentials renew(MatrixClient client, MatrixCredentials failedWith, UnknownTokenException rejected) {
    try {
      return renewal(client, failedWith, rejected).join();
    } catch (CompletionException e) {
      throw failure(e, rejected);
    }
  }

  /**
   * Starts or joins the renewal for {@code failedWith}. The first caller runs the provider on its own
   * thread before this returns; later callers get the shared future without blocking.
   */
  CompletableFuture<MatrixCredentials> renewal(
      MatrixClient client, MatrixCredentials failedWith, UnknownTokenException rejected) {
    CompletableFuture<MatrixCredentials> future;
    boolean leader = false;
    synchronized (lock) {
      if (current != failedWith && current != null && renewing != failedWith) {
        return CompletableFuture.completedFuture(current); // renewed by another request meanwhile
      }
      if (renewing != failedWith || renewal == null) {
        renewing = failedWith;
        renewal = new CompletableFuture<>();
        leader = true;
      }
      future = renewal;
    }
    if (leader) {
      if (rejected instanceof Expiring) {
        log.info("Access token of {} expires soon; renewing credentials before it does",
            failedWith == null ? "an unknown user" : failedWith.userId().orElse("an unknown user"));
      } else {
        log.info("Access token of {} rejected (soft_logout={}); renewing credentials",
            failedWith == null ? "an unknown user" : failedWith.userId().orElse("an unknown user"), rejected.softLogout());
      }
      inProvider.set(Boolean.TRUE);
      try {
        MatrixCredentials renewed = provider.renew(client, rejected);
        if (renewed == null) {
          throw new IllegalStateException("CredentialsProvider returned null");
        }
        synchronized (lock) {
          retire(current);
          current = renewed;
        }
        future.complete(renewed);
      } catch (RuntimeException | Error e) {
        // The class only: a provider's message could quote a secret.
        log.warn("Renewing the credentials of {} failed: {}",
            failedWith == null ? "an unknown user" : failedWith.userId().orElse("an unknown user"), e.getClass().getName());
        if (e instanceof MatrixNetworkException) {
          // Transient: do not remember it, so the next rejected request tries again.
          synchronized (lock) {
            if (renewal == future) {
              renewal = null;
              renewing = null;
            }
          }
        }
        future.completeExceptionally(e);
      } finally {
        inProvider.remove();
      }
    }
    return future;
  }

  /**
   * The exception a request reports when renewal failed with {@code thrown}: a network failure of
   * the renewal stays a network failure (nothing was applied, the app may try again later); anything
   * else is an {@link AuthenticationException}.
   */
  static MatrixException failure(Throwable thrown, UnknownTokenException rejected) {
    Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (cause instanceof AuthenticationException) {
      return (AuthenticationException) cause;
    }
    if (cause instanceof MatrixNetworkException) {
      return new MatrixNetworkException(
          "the access token was rejected and renewing the credentials failed on the network: "
              + cause.getMessage(),
          false,
          cause);
    }
    return new AuthenticationException(
        rejected,
        "the access token was rejected and renewing the credentials failed ("
            + (cause instanceof MatrixException ? cause.getMessage() : cause.getClass().getName())
            + ")",
        cause);
  }
}
