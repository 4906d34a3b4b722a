package io.melo.matrix.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Percent-encodes one path parameter as exactly one URL path segment. Only RFC 3986 unreserved
 * characters and {@code !} stay literal; {@code / ? # %}, spaces, {@code : @ $} and every non-ASCII
 * byte are encoded, so a value can never add, remove or escape a segment. The dot segments
 * {@code .} and {@code ..} are refused: URL normalisation (OkHttp's and the server's) would pop them
 * even when encoded.
 */
public final class PathEncoder {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathEncoder() {}

  /**
   * Encodes {@code value} as one segment.
   *
   * @param name the parameter's name, for error messages
   * @param allowEmpty whether an empty value is valid (a state key may be empty)
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if it is empty (unless allowed), {@code .} or {@code ..}
   */
  public static String segment(String name, String value, boolean allowEmpty) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty() && !allowEmpty) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(
          name + " must not be '" + value + "': it cannot be sent as a URL path segment");
    }
    StringBuilder out = null;
    byte[] bytes = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isLiteral(c)) {
        bytes = value.getBytes(StandardCharsets.UTF_8);
        break;
      }
    }
    if (bytes == null) {
      return value;
    }
    out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c < 0x80 && isLiteral((char) c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean isLiteral(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '!';
  }
}
