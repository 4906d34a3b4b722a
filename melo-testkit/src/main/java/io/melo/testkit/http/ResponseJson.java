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

  /** Each server thread's builder for {@link #buffer}: answers are written many times a second. */
  private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(4096));

  /** The JSON of a value as UTF-8 in a buffer. */
  static Buffer buffer(Object value) {
    StringBuilder sb = BUILDER.get();
    sb.setLength(0);
    try {
      value(sb, value, 0);
      // String.getBytes has an intrinsic for (mostly ASCII) compact strings; okio's writeUtf8 goes char by char.
      return new Buffer().write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      if (sb.capacity() > 65_536) {
        BUILDER.remove(); // do not keep a huge builder per thread after a huge answer
      }
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
