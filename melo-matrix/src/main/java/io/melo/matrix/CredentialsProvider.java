package io.melo.matrix;

import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RefreshResponse;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Renews credentials after the server rejected the access token ({@code M_UNKNOWN_TOKEN}), by a
 * refresh token or a new login. The client asks once for many concurrent failures, then repeats each
 * failed request once with the new credentials.
 *
 * <p>{@link #renew} may block (it usually makes a request itself, with {@code execute()}); it runs on
 * the thread of the first request that failed. Its own requests must run with {@code execute()} on
 * that thread: a rejected one then fails at once, while one sent from another thread would wait for
 * the very renewal that waits for it. It must return new credentials or throw. A
 * {@link MatrixNetworkException} it throws is reported as a network failure and the next rejected
 * request asks again; anything else becomes the cause of the {@link AuthenticationException} the
 * failed requests report, and the client stops asking until it gets new credentials
 * ({@link MatrixClient#credentials(MatrixCredentials)} or a login).
 */
@FunctionalInterface
public interface CredentialsProvider {

  /**
   * Returns working credentials for {@code client}.
   *
   * @param client the client whose token was rejected (use it for {@code refresh} or {@code login})
   * @param rejected the server's rejection; {@link UnknownTokenException#softLogout()} tells whether
   *     the device survives
   * @return the new credentials, never null
   */
  MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected);

  /**
   * A provider that exchanges a refresh token ({@code POST /refresh}) and keeps the rotated refresh
   * token for the next time. The user and device stay those of the rejected credentials; the
   * credentials it returns carry the refresh token now valid.
   *
   * @param refreshToken the refresh token from login or registration
   * @param onRefreshed told about every successful refresh (to persist the new tokens); runs on the
   *     renewing thread and must not throw
   * @return the provider
   */
  static CredentialsProvider refreshToken(String refreshToken, Consumer<RefreshResponse> onRefreshed) {
    Objects.requireNonNull(refreshToken, "refreshToken");
    Objects.requireNonNull(onRefreshed, "onRefreshed");
    AtomicReference<String> current = new AtomicReference<>(refreshToken);
    return new CredentialsProvider() {
      @Override
      public MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected) {
        RefreshResponse response = client.refresh(current.get()).execute();
        response.refreshToken().ifPresent(current::set);
        onRefreshed.accept(response);
        MatrixCredentials old = client.credentials().orElse(null);
        return MatrixCredentials.accessToken(
                response.accessToken(),
                old == null ? null : old.userId().orElse(null),
                old == null ? null : old.deviceId().orElse(null))
            .withRefreshToken(current.get())
            // The next expiry is renewed shortly before it comes (see MatrixCredentials.withExpiresAt).
            .withExpiresAt(response.expiresIn().map(in -> client.config().clock().now().plus(in)).orElse(null));
      }

      @Override
      public String toString() {
        return "CredentialsProvider.refreshToken(<redacted>)";
      }
    };
  }

  /**
   * A provider that logs in again with a password ({@code POST /login}, asking for a refresh token),
   * as the user of the rejected credentials: for bots and services that own their password. Per the
   * specification's soft logout rules, a soft logout ({@link UnknownTokenException#softLogout()} true)
   * logs in with the rejected credentials' device id, so the device and its data survive; a hard
   * logout (the server destroyed the session) logs in as a new device. The credentials it returns
   * carry the new login's refresh token.
   *
   * @param password the user's password; kept in memory, never shown by the provider's {@code toString()}
   * @param onLogin told about every successful login (to persist the new tokens, including the new
   *     refresh token); runs on the renewing thread and must not throw
   * @return the provider
   * @throws IllegalStateException (from {@link #renew}) if the rejected credentials do not name
   *     their user
   */
  static CredentialsProvider password(String password, Consumer<LoginResponse> onLogin) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(onLogin, "onLogin");
    return new CredentialsProvider() {
      @Override
      public MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected) {
        MatrixCredentials old = client.credentials().orElse(null);
        String user = old == null ? null : old.userId().orElse(null);
        if (user == null) {
          throw new IllegalStateException(
              "cannot log in again: the rejected credentials do not say which user they belong to");
        }
        LoginRequest login = LoginRequest.password(user, password).withRefreshToken(true);
        String device = old.deviceId().orElse(null);
        if (rejected.softLogout() && device != null) {
          login = login.withDeviceId(device);
        }
        LoginResponse response = client.login(login).execute();
        onLogin.accept(response);
        return response.credentials();
      }

      @Override
      public String toString() {
        return "CredentialsProvider.password(<redacted>)";
      }
    };
  }
}
