package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Finding the homeserver of a Matrix server name failed (the specification's client discovery:
 * {@code https://<server name>/.well-known/matrix/client}, then its {@code m.homeserver.base_url}
 * checked with {@code /_matrix/client/versions}). {@link #reason()} tells which step; the message
 * names the server name and the URL involved. Configure the homeserver's base URL explicitly
 * ({@link MeloConfig.Builder#homeserver(String)}) when the domain publishes no usable document.
 */
public final class DiscoveryException extends MeloException {

  private static final long serialVersionUID = 1L;

  /** Which step of discovery failed. */
  public enum Reason {
    /**
     * The server name publishes no {@code /.well-known/matrix/client} (404), and the server name
     * itself does not answer like a homeserver either.
     */
    NO_WELL_KNOWN,
    /**
     * The document is not a JSON object, has no {@code m.homeserver.base_url}, or that base URL is
     * not an http(s) URL Melo may use (plain {@code http://} to a host other than loopback).
     * The specification's FAIL_PROMPT.
     */
    INVALID_WELL_KNOWN,
    /**
     * The base URL (named by the document, or the server name itself) does not answer
     * {@code /_matrix/client/versions} like a homeserver. The specification's FAIL_ERROR.
     */
    NOT_A_HOMESERVER
  }

  /** Which step of discovery failed. */
  private final Reason reason;
  /** The server name (or host) whose homeserver was looked for. */
  private final String serverName;
  /** The base URL found, or null when discovery did not get that far. */
  private final String baseUrl;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the server name and URL; never contains a secret
   * @param reason which step failed
   * @param serverName the server name (or the host) whose homeserver was looked for
   * @param baseUrl the base URL found, or null when none was found
   * @param cause the underlying failure, or null
   */
  public DiscoveryException(String message, Reason reason, String serverName, String baseUrl, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.serverName = Objects.requireNonNull(serverName, "serverName");
    this.baseUrl = baseUrl;
  }

  /**
   * Which step failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The server name (or the configured URL's host) whose homeserver was looked for.
   *
   * @return such as {@code example.org}
   */
  public String serverName() {
    return serverName;
  }

  /**
   * The base URL the document named (or the server name's own URL), when discovery got that far.
   *
   * @return the URL as found
   */
  public Optional<String> baseUrl() {
    return Optional.ofNullable(baseUrl);
  }
}
