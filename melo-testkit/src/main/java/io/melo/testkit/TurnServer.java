package io.melo.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The TURN server that {@code GET /voip/turnServer} hands to clients for calls: its URIs, the
 * credentials and how long they are valid. Give one to {@link FakeHomeserver.Builder#turnServer}; without
 * one the endpoint answers 404 {@code M_NOT_FOUND} (no TURN server configured), which clients treat as
 * "calls without TURN". The password is a credential: {@link #toString()} does not show it.
 */
public final class TurnServer {
  private static final Pattern TURN_URI = Pattern.compile("turns?:[^\\s]+");

  private final List<String> uris;
  private final String username;
  private final String password;
  private final Duration ttl;

  private TurnServer(List<String> uris, String username, String password, Duration ttl) {
    this.uris = uris;
    this.username = username;
    this.password = password;
    this.ttl = ttl;
  }

  /**
   * {@return a TURN server}
   *
   * @param uris one or more {@code turn:} or {@code turns:} URIs, for example {@code
   *     turn:turn.example.org:3478?transport=udp}
   * @param username the TURN username
   * @param password the TURN password
   * @param ttl how long the credentials are valid (whole seconds, at least one)
   * @throws IllegalArgumentException for no URIs, a URI that is not {@code turn:}/{@code turns:}, or a
   *     ttl under one second
   */
  public static TurnServer of(List<String> uris, String username, String password, Duration ttl) {
    List<String> copy = List.copyOf(Objects.requireNonNull(uris, "uris"));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a TURN server needs at least one URI");
    }
    for (String uri : copy) {
      if (!TURN_URI.matcher(uri).matches()) {
        throw new IllegalArgumentException("a TURN URI must start with turn: or turns:, was: " + uri);
      }
    }
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.getSeconds() < 1) {
      throw new IllegalArgumentException("ttl must be at least one second, was: " + ttl);
    }
    return new TurnServer(copy, username, password, ttl);
  }

  /** {@return the TURN URIs} */
  public List<String> uris() {
    return uris;
  }

  /** {@return the TURN username} */
  public String username() {
    return username;
  }

  /** {@return the TURN password} */
  public String password() {
    return password;
  }

  /** {@return how long the credentials are valid} */
  public Duration ttl() {
    return ttl;
  }

  @Override
  public String toString() {
    return "TurnServer{uris=" + uris + ", username=" + username + ", password=<redacted>, ttl=" + ttl + "}";
  }
}
