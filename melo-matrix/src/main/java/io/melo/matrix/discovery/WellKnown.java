package io.melo.matrix.discovery;

import java.util.Optional;

/**
 * The answer of {@code GET /.well-known/matrix/client}.
 *
 * @param homeserverBaseUrl {@code m.homeserver.base_url}
 * @param identityServerBaseUrl {@code m.identity_server.base_url}, or null
 */
public record WellKnown(String homeserverBaseUrl, String identityServerBaseUrl) {

  /** {@return the identity server, when the domain names one} */
  public Optional<String> identityServer() {
    return Optional.ofNullable(identityServerBaseUrl);
  }
}
