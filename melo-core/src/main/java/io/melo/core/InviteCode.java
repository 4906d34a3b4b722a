package io.melo.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A server's invite code and the homeserver it resolves on. The code is 16 bytes from a secure
 * random source, base64url without padding (22 characters of {@code [A-Za-z0-9_-]}). It resolves
 * through the room alias {@code #<ns>.invite.<code>:<server>} on the space's homeserver, so a
 * shared invite carries the server name too: share {@link #alias(String)}.
 *
 * <p>A code is not a gate: the space's room id also lets anyone join, and regenerating the code
 * does not revoke that.
 *
 * @param code the 22-character code
 * @param server the server name of the homeserver that holds the alias
 */
public record InviteCode(String code, String server) {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String MATRIX_TO = "https://matrix.to/#/";

  /**
   * Validates the fields.
   *
   * @param code the 22-character code
   * @param server the server name of the homeserver that holds the alias
   */
  public InviteCode {
    Objects.requireNonNull(code, "code");
    if (!CODE.matcher(code).matches()) {
      throw new IllegalArgumentException(
          "invite code must be 22 characters of A-Z a-z 0-9 _ -, was: " + code);
    }
    Check.serverName(server, "server");
  }

  /**
   * {@return a new random code for an alias on {@code server}}
   *
   * @param server the homeserver name the alias lives on, such as {@code example.org}
   */
  public static InviteCode generate(String server) {
    return generate(RANDOM, server);
  }

  /**
   * {@return a new code from {@code random} (a secure source; tests may pass a seeded one)}
   *
   * @param random the source of the code's 16 random bytes
   * @param server the homeserver name the alias lives on, such as {@code example.org}
   */
  public static InviteCode generate(SecureRandom random, String server) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new InviteCode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), server);
  }

  /**
   * {@return the room alias that resolves this code under {@code namespace}: {@code
   * #<ns>.invite.<code>:<server>}}
   *
   * @param namespace the custom-event namespace, such as {@code io.melo}
   */
  public String alias(String namespace) {
    return "#" + localpart(namespace) + ":" + server;
  }

  /**
   * {@return the alias localpart (without {@code #} and server) under {@code namespace}}
   *
   * @param namespace the custom-event namespace, such as {@code io.melo}
   */
  public String localpart(String namespace) {
    return Check.namespace(namespace) + ".invite." + code;
  }

  /**
   * Reads a shared invite: the full alias {@code #<ns>.invite.<code>:<server>}, or a
   * {@code https://matrix.to/#/} link to it. Surrounding white space is ignored.
   *
   * @param shared the text the user shared; not null
   * @param namespace the custom-event namespace the code must be under
   * @return the code
   * @throws IllegalArgumentException naming what is wrong when {@code shared} is not such an
   *     invite under {@code namespace}
   */
  public static InviteCode parse(String shared, String namespace) {
    Objects.requireNonNull(shared, "shared");
    Check.namespace(namespace);
    String text = shared.trim();
    if (text.startsWith(MATRIX_TO)) {
      String rest = text.substring(MATRIX_TO.length());
      int query = rest.indexOf('?');
      rest = query >= 0 ? rest.substring(0, query) : rest;
      try {
        text = URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8.name());
      } catch (java.io.UnsupportedEncodingException | IllegalArgumentException e) {
        throw new IllegalArgumentException("invite link is not a valid matrix.to link: " + shared, e);
      }
    }
    String prefix = "#" + namespace + ".invite.";
    int colon = text.indexOf(':');
    if (!text.startsWith(prefix) || colon < 0) {
      throw new IllegalArgumentException(
          "invite must look like " + prefix + "<code>:<server>, was: " + shared);
    }
    return new InviteCode(text.substring(prefix.length(), colon), text.substring(colon + 1));
  }
}
