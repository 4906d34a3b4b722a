package io.melo.core.internal;

import io.melo.matrix.CredentialsProvider;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixCredentials;
import io.melo.matrix.UnknownTokenException;
import io.melo.matrix.auth.LoginResponse;
import java.util.function.Consumer;

/**
 * The provider {@code MeloConfig.Builder.reLoginWithPassword} sets: melo-matrix's password
 * provider, which {@link SessionRenewal} recognises so that it keeps the new login's refresh
 * token. Never prints the password. Not API.
 */
public final class PasswordRelogin implements CredentialsProvider {

  private final String password;

  /** A provider logging in again with {@code password}. */
  public PasswordRelogin(String password) {
    this.password = password;
  }

  /** Logs in again, telling {@code onLogin} the whole answer (with its refresh token). */
  MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected, Consumer<LoginResponse> onLogin) {
    return CredentialsProvider.password(password, onLogin).renew(client, rejected);
  }

  @Override
  public MatrixCredentials renew(MatrixClient client, UnknownTokenException rejected) {
    return renew(client, rejected, response -> {});
  }

  @Override
  public String toString() {
    return "reLoginWithPassword(<redacted>)";
  }
}
