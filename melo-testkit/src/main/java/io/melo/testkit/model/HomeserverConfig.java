package io.melo.testkit.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one {@link Homeserver}. Immutable; build with {@link #builder()}.
 *
 * @param serverName the server name in user ids, room ids and aliases
 * @param clock the clock of timestamps, expiries and long-poll timeouts
 * @param appservices the registered application services
 * @param accessTokenLifetime how long an access token lives when the client asked for a refresh
 *     token (tokens without a refresh token never expire)
 * @param maxUploadBytes the largest media upload accepted
 * @param registrationEnabled whether users may register themselves
 * @param presenceIdleTimeout how long an online user may be inactive before becoming {@code unavailable}
 * @param presenceOfflineTimeout how long after their last sync (with none in progress) and last
 *     activity a user becomes {@code offline}
 * @param mediaStoreBytes how many bytes of media the server keeps in memory at most; beyond it the
 *     least recently used files are purged (their downloads answer 404, as after Synapse's media
 *     retention purge)
 */
public record HomeserverConfig(
    String serverName,
    Clock clock,
    List<Appservice> appservices,
    Duration accessTokenLifetime,
    long maxUploadBytes,
    boolean registrationEnabled,
    Duration presenceIdleTimeout,
    Duration presenceOfflineTimeout,
    long mediaStoreBytes) {

  /** The default {@link #mediaStoreBytes()}: 256 MiB. */
  public static final long DEFAULT_MEDIA_STORE_BYTES = 256L << 20;

  /**
   * Validates the settings.
   *
   * @param serverName the server name in user ids, room ids and aliases
   * @param clock the clock of timestamps, expiries and long-poll timeouts
   * @param appservices the registered application services
   * @param accessTokenLifetime how long an access token lives when the client asked for a refresh
   *     token (tokens without a refresh token never expire)
   * @param maxUploadBytes the largest media upload accepted
   * @param registrationEnabled whether users may register themselves
   * @param presenceIdleTimeout how long an online user may be inactive before becoming {@code
   *     unavailable}
   * @param presenceOfflineTimeout how long after their last sync (with none in progress) and last
   *     activity a user becomes {@code offline}
   * @param mediaStoreBytes how many bytes of media the server keeps at most before it purges the
   *     least recently used files
   */
  public HomeserverConfig {
    Objects.requireNonNull(serverName, "serverName");
    if (!serverName.matches("[0-9A-Za-z.\\-]{1,255}(:[0-9]{1,5})?")) {
      throw new IllegalArgumentException("serverName must be a host name with an optional port, was: " + serverName);
    }
    Objects.requireNonNull(clock, "clock");
    appservices = List.copyOf(appservices);
    Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
    if (accessTokenLifetime.isNegative() || accessTokenLifetime.isZero()) {
      throw new IllegalArgumentException("accessTokenLifetime must be positive, was: " + accessTokenLifetime);
    }
    if (maxUploadBytes < 1) {
      throw new IllegalArgumentException("maxUploadBytes must be positive, was: " + maxUploadBytes);
    }
    if (mediaStoreBytes < maxUploadBytes) {
      throw new IllegalArgumentException("mediaStoreBytes must be at least maxUploadBytes (" + maxUploadBytes
          + "), was: " + mediaStoreBytes);
    }
    requirePositive(presenceIdleTimeout, "presenceIdleTimeout");
    requirePositive(presenceOfflineTimeout, "presenceOfflineTimeout");
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was: " + d);
    }
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link HomeserverConfig}. */
  public static final class Builder {
    private String serverName = "localhost";
    private Clock clock = Clock.system();
    private final List<Appservice> appservices = new ArrayList<>();
    private Duration accessTokenLifetime = Duration.ofMinutes(5);
    private long maxUploadBytes = 10L * 1024 * 1024;
    private boolean registrationEnabled = true;
    private Duration presenceIdleTimeout = Duration.ofMinutes(5);
    private Duration presenceOfflineTimeout = Duration.ofSeconds(30);
    private long mediaStoreBytes = DEFAULT_MEDIA_STORE_BYTES;

    private Builder() {}

    /**
     * The server name. Default: {@code localhost}.
     *
     * @param serverName a host name with an optional {@code :port}, checked by {@link #build()}
     * @return this builder
     */
    public Builder serverName(String serverName) {
      this.serverName = serverName;
      return this;
    }

    /**
     * The clock. Default: {@link Clock#system()}.
     *
     * @param clock the clock; null fails {@link #build()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Adds an application service. Default: none.
     *
     * @param appservice the service; not null
     * @return this builder
     */
    public Builder appservice(Appservice appservice) {
      this.appservices.add(Objects.requireNonNull(appservice, "appservice"));
      return this;
    }

    /**
     * Lifetime of access tokens that come with a refresh token. Default: 5 minutes.
     *
     * @param lifetime the lifetime, positive (checked by {@link #build()})
     * @return this builder
     */
    public Builder accessTokenLifetime(Duration lifetime) {
      this.accessTokenLifetime = lifetime;
      return this;
    }

    /**
     * Largest upload in bytes. Default: 10 MiB.
     *
     * @param maxUploadBytes the limit in bytes, checked by {@link #build()}
     * @return this builder
     */
    public Builder maxUploadBytes(long maxUploadBytes) {
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /**
     * Whether self-registration is open. Default: true.
     *
     * @param enabled false to refuse self-registration with 403 {@code M_FORBIDDEN} (application
     *     services may still register users)
     * @return this builder
     */
    public Builder registrationEnabled(boolean enabled) {
      this.registrationEnabled = enabled;
      return this;
    }

    /**
     * How long an online user may be inactive before becoming {@code unavailable}. Default: 5
     * minutes.
     *
     * @param timeout the idle timeout, checked by {@link #build()}
     * @return this builder
     */
    public Builder presenceIdleTimeout(Duration timeout) {
      this.presenceIdleTimeout = timeout;
      return this;
    }

    /**
     * How long after the last sync (with none in progress) and the last activity a user becomes
     * {@code offline}. Default: 30 seconds.
     *
     * @param timeout the offline timeout, checked by {@link #build()}
     * @return this builder
     */
    public Builder presenceOfflineTimeout(Duration timeout) {
      this.presenceOfflineTimeout = timeout;
      return this;
    }

    /**
     * How many bytes of media the server keeps at most; uploads beyond it purge the least recently
     * used files. Default: {@link #DEFAULT_MEDIA_STORE_BYTES} (256 MiB).
     *
     * @param bytes the budget, at least {@link #maxUploadBytes(long)}
     * @return this builder
     */
    public Builder mediaStoreBytes(long bytes) {
      this.mediaStoreBytes = bytes;
      return this;
    }

    /** {@return the settings} */
    public HomeserverConfig build() {
      return new HomeserverConfig(serverName, clock, appservices, accessTokenLifetime, maxUploadBytes,
          registrationEnabled, presenceIdleTimeout, presenceOfflineTimeout, mediaStoreBytes);
    }
  }
}
