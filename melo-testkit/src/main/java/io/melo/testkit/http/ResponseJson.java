package io.melo.testkit.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import okio.Buffer;

/**
 * Writes response bodies: the same compact JSON as {@link io.melo.testkit.json.Json#write(Object)}
 * (integers without a fraction, nulls kept), straight into a response buffer with one pass over a
 * {@link StringBuilder}: the hot path of every answer. Internal: not API.
 */
final class ResponseJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ResponseJson() {}

  /** The JSON text of a tree of maps, collections, strings, numbers, booleans and nulls. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    value(sb, value, 0);
    return sb.toString();
  }

  /** Each server thread's output bytes for {@link #buffer}: answers are written many times a second. */
  private static final ThreadLocal<Utf8Out> OUT = ThreadLocal.withInitial(Utf8Out::new);

  /**
   * The JSON of a value as UTF-8 in a buffer: encoded straight into a reused byte array (no
   * intermediate String or char copy), then copied once into the buffer.
   */
  static Buffer buffer(Object value) {
    Utf8Out out = OUT.get();
    out.size = 0;
    try {
      out.value(value, 0);
      return new Buffer().write(out.bytes, 0, out.size);
    } finally {
      if (out.bytes.length > 65_536) {
        OUT.remove(); // do not keep a huge array per thread after a huge answer
      }
    }
  }

  /**
   * The same writer as {@link #value(StringBuilder, Object, int)}, producing UTF-8 bytes: the
   * same text as {@code write(value).getBytes(UTF_8)} (an unpaired surrogate becomes {@code ?}, as
   * {@link String#getBytes} does).
   */
  private static final class Utf8Out {
    byte[] bytes = new byte[4096];
    int size;

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    private void ascii(String s) {
      int n = s.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        bytes[size++] = (byte) s.charAt(i);
      }
    }

    private void number(long v) {
      if (v == Long.MIN_VALUE) {
        ascii("-9223372036854775808");
        return;
      }
      ensure(20);
      if (v < 0) {
        bytes[size++] = '-';
        v = -v;
      }
      int start = size;
      do {
        bytes[size++] = (byte) ('0' + (int) (v % 10));
        v /= 10;
      } while (v != 0);
      for (int a = start, b = size - 1; a < b; a++, b--) {
        byte t = bytes[a];
        bytes[a] = bytes[b];
        bytes[b] = t;
      }
    }

    void value(Object v, int depth) {
      if (depth > 512) {
        throw new IllegalArgumentException("value nested too deeply (a cycle?)");
      }
      if (v == null) {
        ascii("null");
      } else if (v instanceof String) {
        string((String) v);
      } else if (v instanceof Boolean) {
        ascii(((Boolean) v).booleanValue() ? "true" : "false");
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        number(((Number) v).longValue());
      } else if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new IllegalArgumentException("JSON has no NaN or infinity: " + d);
        }
        ascii(Double.toString(d));
      } else if (v instanceof BigInteger || v instanceof BigDecimal) {
        ascii(v.toString());
      } else if (v instanceof Map) {
        ensure(1);
        bytes[size++] = '{';
        boolean first = true;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          if (!(e.getKey() instanceof String)) {
            throw new IllegalArgumentException("JSON object keys must be strings: " + e.getKey());
          }
          if (!first) {
            ensure(1);
            bytes[size++] = ',';
          }
          first = false;
          string((String) e.getKey());
          ensure(1);
          bytes[size++] = ':';
          value(e.getValue(), depth + 1);
        }
        ensure(1);
        bytes[size++] = '}';
      } else if (v instanceof Collection) {
        ensure(1);
        bytes[size++] = '[';
        boolean first = true;
        for (Object item : (Collection<?>) v) {
          if (!first) {
            ensure(1);
            bytes[size++] = ',';
          }
          first = false;
          value(item, depth + 1);
        }
        ensure(1);
        bytes[size++] = ']';
      } else {
        throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
      }
    }

    private void string(String s) {
      int n = s.length();
      // At most 6 bytes per char (a six-character escape; UTF-8 needs at most 3 per char), plus quotes.
      ensure(6 * n + 2);
      byte[] b = bytes;
      int p = size;
      b[p++] = '"';
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x20 && c < 0x80) {
          if (c == '"' || c == '\\') {
            b[p++] = '\\';
          }
          b[p++] = (byte) c;
        } else if (c < 0x20) {
          b[p++] = '\\';
          switch (c) {
            case '\n': b[p++] = 'n'; break;
            case '\r': b[p++] = 'r'; break;
            case '\t': b[p++] = 't'; break;
            case '\b': b[p++] = 'b'; break;
            case '\f': b[p++] = 'f'; break;
            default:
              b[p++] = 'u';
              b[p++] = '0';
              b[p++] = '0';
              b[p++] = (byte) HEX[(c >> 4) & 15];
              b[p++] = (byte) HEX[c & 15];
          }
        } else if (c == '\u2028' || c == '\u2029') {
          b[p++] = '\\';
          b[p++] = 'u';
          b[p++] = '2';
          b[p++] = '0';
          b[p++] = '2';
          b[p++] = (byte) HEX[c & 15];
        } else if (c < 0x800) {
          b[p++] = (byte) (0xc0 | (c >> 6));
          b[p++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isSurrogate(c)) {
          char low = i + 1 < n ? s.charAt(i + 1) : 0;
          if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
            int cp = Character.toCodePoint(c, low);
            i++;
            b[p++] = (byte) (0xf0 | (cp >> 18));
            b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            b[p++] = (byte) (0x80 | (cp & 0x3f));
          } else {
            b[p++] = '?';
          }
        } else {
          b[p++] = (byte) (0xe0 | (c >> 12));
          b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (c & 0x3f));
        }
      }
      b[p++] = '"';
      size = p;
    }
  }

  private static void value(StringBuilder sb, Object v, int depth) {
    if (depth > 512) {
      throw new IllegalArgumentException("value nested too deeply (a cycle?)");
    }
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append(((Boolean) v).booleanValue() ? "true" : "false");
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      sb.append(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no NaN or infinity: " + d);
      }
      sb.append(d);
    } else if (v instanceof BigInteger || v instanceof BigDecimal) {
      sb.append(v);
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("JSON object keys must be strings: " + e.getKey());
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, (String) e.getKey());
        sb.append(':');
        value(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      sb.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        value(sb, item, depth + 1);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    int last = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String replacement;
      if (c == '"') {
        replacement = "\\\"";
      } else if (c == '\\') {
        replacement = "\\\\";
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        replacement = null;
      } else {
        continue;
      }
      sb.append(s, last, i);
      if (replacement != null) {
        sb.append(replacement);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\b') {
        sb.append("\\b");
      } else if (c == '\f') {
        sb.append("\\f");
      } else {
        sb.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
            .append(HEX[c & 15]);
      }
      last = i + 1;
    }
    sb.append(s, last, n);
    sb.append('"');
  }
}
