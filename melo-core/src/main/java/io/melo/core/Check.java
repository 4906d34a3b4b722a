package io.melo.core;

import io.melo.core.internal.Rules;
import java.util.Objects;
import java.util.regex.Pattern;

/** Argument checks shared by the value types: clear messages naming the bad field. */
final class Check {

  private static final Pattern NAMESPACE =
      Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");

  private static final Pattern SERVER_NAME =
      Pattern.compile(
          "(?:\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9.-]{1,255})"
              + "(?::\\d{1,5})?");

  private Check() {}

  /**
   * A custom-event namespace: lower-case reverse-DNS with at least two parts ({@code io.melo},
   * {@code io.haos}), not Matrix's own {@code m.} namespace.
   */
  static String namespace(String value) {
    Objects.requireNonNull(value, "namespace");
    if (!NAMESPACE.matcher(value).matches() || value.startsWith("m.") || value.length() > 100) {
      throw new IllegalArgumentException("namespace must look like io.melo, was: " + value);
    }
    return value;
  }

  /** A Matrix server name: host name, IPv4 or bracketed IPv6, optional port. */
  static String serverName(String value, String field) {
    Objects.requireNonNull(value, field);
    if (!SERVER_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + " must be a Matrix server name like example.org, was: " + value);
    }
    return value;
  }

  static String userId(String value, String field) {
    return prefixed(value, '@', field, "a user id like @alice:example.org");
  }

  static String roomId(String value, String field) {
    return prefixed(value, '!', field, "a room id like !abc:example.org");
  }

  static String eventId(String value, String field) {
    return prefixed(value, '$', field, "an event id like $abc");
  }

  static String notBlank(String value, String field) {
    Objects.requireNonNull(value, field);
    if (Rules.strip(value).isEmpty()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  private static String prefixed(String value, char sigil, String field, String expected) {
    Objects.requireNonNull(value, field);
    if (value.length() < 2 || value.charAt(0) != sigil) {
      throw new IllegalArgumentException(field + " must be " + expected + ", was: " + value);
    }
    return value;
  }
}
