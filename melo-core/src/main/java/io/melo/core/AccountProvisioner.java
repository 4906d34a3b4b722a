package io.melo.core;

import io.melo.core.internal.DefaultMeloClient;
import io.melo.core.internal.Discovery;
import io.melo.core.internal.SharedSecretRegistration;
import io.melo.core.internal.TaskCall;
import io.melo.matrix.MatrixConfig;
import java.util.Objects;

/**
 * Creates accounts for a backend that acts for many users: in an application service's namespace
 * (appservice registration with its {@code as_token}, then {@link MeloClient#asAppService}), with
 * Synapse's shared-secret admin registration, or by the client registration of a homeserver that
 * allows it (open, or with a registration token); the last two return a {@link Session} for
 * {@link MeloClient#resume}. Immutable and thread-safe; one instance serves the whole backend.
 * Holds secrets, so {@link #toString()} shows only which ones are set. A config naming a server
 * name ({@link MeloConfig#forServerName}) has its homeserver discovered by each call.
 *
 * <pre>{@code
 * AccountProvisioner provisioner = AccountProvisioner.builder(config)
 *     .sharedSecret(System.getenv("SYNAPSE_REGISTRATION_SHARED_SECRET"))
 *     .build();
 * Session session = provisioner.registerWithSharedSecret("alice", password, false).execute();
 * MeloClient alice = MeloClient.resume(config, session);
 * }</pre>
 */
public final class AccountProvisioner {

  private final MeloConfig config;
  private final String asToken;
  private final SharedSecretRegistration sharedSecret;
  private final String sharedSecretText;
  private final boolean userRegistration;
  private final String registrationToken;

  private AccountProvisioner(Builder builder) {
    this.config = builder.config;
    this.asToken = builder.asToken;
    this.sharedSecretText = builder.sharedSecret;
    this.userRegistration = builder.userRegistration;
    this.registrationToken = builder.registrationToken;
    // With a base URL, the registration is set up (and its URL checked) now; a server name's
    // homeserver is discovered by each call.
    this.sharedSecret = builder.sharedSecret == null || config.needsDiscovery()
        ? null
        : sharedSecretRegistration(config, builder.sharedSecret);
  }

  private static SharedSecretRegistration sharedSecretRegistration(MeloConfig config, String secret) {
    // melo-matrix's settings: the shared HTTP client, and the same rule as every Melo request
    // (no plain http:// to a host other than loopback).
    MatrixConfig.Builder matrix = MatrixConfig.builder(config.homeserver()).allowInsecureHttp(config.allowInsecureHttp());
    config.http().ifPresent(matrix::http);
    return new SharedSecretRegistration(matrix.build().http(), config.homeserver(), secret);
  }

  /**
   * {@return a builder for provisioning on the homeserver of {@code config} (its HTTP client and
   * executors too)}
   *
   * @param config the settings of the homeserver to provision on; not null
   */
  public static Builder builder(MeloConfig config) {
    return new Builder(config);
  }

  /**
   * Provisions an account in the application service's namespace (appservice registration with
   * the {@code as_token}, {@code inhibit_login}). An account that exists already is fine.
   *
   * @param localpart the user name, inside the service's namespace
   * @return the call; its result is the user id
   * @throws IllegalStateException if no {@code as_token} was configured
   * @see MeloClient#provisionAppServiceUser
   */
  @CheckReturnValue
  public MeloCall<String> appServiceUser(String localpart) {
    Objects.requireNonNull(localpart, "localpart");
    if (asToken == null) {
      throw new IllegalStateException("no as_token is configured: set Builder.appServiceToken");
    }
    return DefaultMeloClient.provision(config, asToken, localpart);
  }

  /**
   * Creates an account with Synapse's shared-secret registration: {@code GET
   * /_synapse/admin/v1/register} for a nonce, then a {@code POST} with the account and the
   * hex HMAC-SHA1 (keyed by the shared secret) of nonce, user name, password and admin flag. The
   * call's result is the new account's session (no refresh token: Synapse gives none here), to
   * {@link MeloClient#resume}. The call fails with {@link ProvisioningException}: reason
   * {@code CREDENTIALS_REJECTED} for a wrong shared secret, {@code USER_IN_USE},
   * {@code INVALID_USERNAME}, or {@code NOT_ENABLED} when the homeserver offers no such
   * registration. A lost answer to the {@code POST} may have created the account: a retry then
   * gets {@code USER_IN_USE}.
   *
   * @param username the user name (localpart), such as {@code alice}
   * @param password the account's password
   * @param admin whether the account is a Synapse server admin
   * @return the call; its result is the new account's session
   * @throws IllegalStateException if no shared secret was configured
   * @throws IllegalArgumentException if the user name or password is empty
   */
  @CheckReturnValue
  public MeloCall<Session> registerWithSharedSecret(String username, String password, boolean admin) {
    return registerWithSharedSecret(username, password, admin, null);
  }

  /**
   * As {@link #registerWithSharedSecret(String, String, boolean)}, with a display name.
   *
   * @param displayName the display name, or null for the homeserver's default (the user name)
   * @param username the user name (localpart), such as {@code alice}; not empty
   * @param password the account's password; not empty
   * @param admin whether the account is a Synapse server admin
   * @return the call; its result is the new account's session
   */
  @CheckReturnValue
  public MeloCall<Session> registerWithSharedSecret(
      String username, String password, boolean admin, String displayName) {
    requireNonEmpty(username, "username");
    requireNonEmpty(password, "password");
    if (sharedSecretText == null) {
      throw new IllegalStateException("no shared secret is configured: set Builder.sharedSecret");
    }
    return new TaskCall<>(
        "registering " + username + " with the shared secret",
        ctx -> (sharedSecret != null
                ? sharedSecret
                : sharedSecretRegistration(Discovery.discovered(ctx, config), sharedSecretText))
            .register(ctx, username, password, admin, displayName),
        config.callExecutor(),
        TaskCall.serialLane(config.eventExecutor())); // belongs to no client: ordered with none
  }

  /**
   * Registers a user account with a password by the homeserver's client registration
   * ({@code POST /register}, asking for a refresh token), completing the user-interactive stages
   * {@code m.login.dummy} (open registration) and {@code m.login.registration_token} (with
   * {@link Builder#registrationToken}). The call's result is the new account's session, to
   * {@link MeloClient#resume}. It fails with {@link ProvisioningException}: {@code USER_IN_USE},
   * {@code INVALID_USERNAME}, {@code EXCLUSIVE}, {@code CREDENTIALS_REJECTED} for a registration
   * token the homeserver does not accept, {@code NOT_ENABLED} when registration is off or needs
   * stages Melo cannot complete (email, captcha, terms), naming them.
   *
   * @param username the user name (localpart), such as {@code alice}
   * @param password the account's password
   * @return the call; its result is the new account's session
   * @throws IllegalStateException if neither {@link Builder#openRegistration} nor
   *     {@link Builder#registrationToken} was set
   * @throws IllegalArgumentException if the user name or password is empty
   */
  @CheckReturnValue
  public MeloCall<Session> register(String username, String password) {
    requireNonEmpty(username, "username");
    requireNonEmpty(password, "password");
    if (!userRegistration) {
      throw new IllegalStateException("user registration is not configured: set Builder.openRegistration"
          + " or Builder.registrationToken");
    }
    return new TaskCall<>(
        "registering " + username,
        ctx -> io.melo.core.internal.PasswordRegistration.register(ctx, config, username, password, registrationToken),
        config.callExecutor(),
        TaskCall.serialLane(config.eventExecutor())); // belongs to no client: ordered with none
  }

  /** The homeserver and which secrets are set; never the secrets. */
  @Override
  public String toString() {
    return "AccountProvisioner(" + config.homeserver().redact()
        + (asToken == null ? "" : ", asToken=<redacted>")
        + (sharedSecretText == null ? "" : ", sharedSecret=<redacted>")
        + (registrationToken != null ? ", registrationToken=<redacted>" : userRegistration ? ", openRegistration" : "")
        + ")";
  }

  /** A setting or argument that must be present and not empty (named in the exception, its value never shown). */
  private static String requireNonEmpty(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  /** Builds an {@link AccountProvisioner}; set at least one way to create accounts. */
  public static final class Builder {

    private final MeloConfig config;
    private String asToken;
    private String sharedSecret;
    private boolean userRegistration;
    private String registrationToken;

    private Builder(MeloConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }


    /**
     * The application service's {@code as_token}, for {@link #appServiceUser}. Default: none.
     *
     * @param asToken the {@code as_token} from the service's registration file; not null
     * @return this builder
     * @throws IllegalArgumentException if it is empty
     */
    public Builder appServiceToken(String asToken) {
      this.asToken = requireNonEmpty(asToken, "asToken");
      return this;
    }

    /**
     * Synapse's {@code registration_shared_secret}, for {@link #registerWithSharedSecret}.
     * Default: none.
     *
     * @param sharedSecret the secret from Synapse's configuration; not null
     * @return this builder
     * @throws IllegalArgumentException if it is empty
     */
    public Builder sharedSecret(String sharedSecret) {
      this.sharedSecret = requireNonEmpty(sharedSecret, "sharedSecret");
      return this;
    }

    /**
     * Enables {@link #register} on a homeserver with open registration (the
     * {@code m.login.dummy} stage). Default: off.
     *
     * @return this builder
     */
    public Builder openRegistration() {
      this.userRegistration = true;
      return this;
    }

    /**
     * Enables {@link #register} with a registration token (the {@code m.login.registration_token}
     * stage, as Synapse's {@code registration_requires_token} asks). Default: none.
     *
     * @param token the registration token
     * @return this builder
     * @throws IllegalArgumentException if it is empty
     */
    public Builder registrationToken(String token) {
      this.registrationToken = requireNonEmpty(token, "registrationToken");
      this.userRegistration = true;
      return this;
    }

    /**
     * Builds the provisioner.
     *
     * @return the provisioner
     * @throws IllegalStateException if no way to create accounts is set (an {@code as_token}, a
     *     shared secret, open registration or a registration token)
     * @throws IllegalArgumentException if a shared secret is set and the homeserver is plain
     *     {@code http://} on a host other than loopback (the secret's MAC and the password would
     *     travel in clear), unless the config allows it ({@link MeloConfig.Builder#allowInsecureHttp})
     */
    public AccountProvisioner build() {
      if (asToken == null && sharedSecret == null && !userRegistration) {
        throw new IllegalStateException("set appServiceToken, sharedSecret, openRegistration or registrationToken:"
            + " there is no way to create accounts");
      }
      return new AccountProvisioner(this);
    }
  }
}
