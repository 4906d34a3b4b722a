package io.melo.testkit.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registered application service: its {@code as_token}, its sender localpart and the exclusive
 * user namespaces (regular expressions over full user ids) it may register and masquerade as.
 * {@link #toString()} never shows the token.
 */
public final class Appservice {
  private final String id;
  private final String asToken;
  private final String senderLocalpart;
  private final List<Pattern> userNamespaces;

  /**
   * An application service; namespaces are regular expressions matched against full user ids.
   *
   * @param id the service's id (any non-null string; shows in logs and errors)
   * @param asToken the token the service authenticates with; never null
   * @param senderLocalpart the localpart of the service's own user, registered on the server with
   *     it
   * @param userNamespaces regular expressions matched against whole user ids; each must compile,
   *     else {@link java.util.regex.PatternSyntaxException}
   */
  public Appservice(String id, String asToken, String senderLocalpart, List<String> userNamespaces) {
    this.id = Objects.requireNonNull(id, "id");
    this.asToken = Objects.requireNonNull(asToken, "asToken");
    this.senderLocalpart = Objects.requireNonNull(senderLocalpart, "senderLocalpart");
    List<Pattern> compiled = new java.util.ArrayList<>();
    for (String ns : userNamespaces) {
      compiled.add(Pattern.compile(ns));
    }
    this.userNamespaces = java.util.Collections.unmodifiableList(compiled);
  }

  /** {@return the service's id} */
  public String id() {
    return id;
  }

  /** {@return the access token the service authenticates with} */
  public String asToken() {
    return asToken;
  }

  /** {@return the localpart of the service's own sender user} */
  public String senderLocalpart() {
    return senderLocalpart;
  }

  /**
   * {@return whether a full user id falls in one of the service's exclusive namespaces}
   *
   * @param userId a full user id such as {@code @bridge_alice:localhost}
   */
  public boolean isInNamespace(String userId) {
    for (Pattern p : userNamespaces) {
      if (p.matcher(userId).matches()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Appservice{id=" + id + ", sender=" + senderLocalpart + ", as_token=<redacted>}";
  }
}
