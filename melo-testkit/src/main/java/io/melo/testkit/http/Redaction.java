package io.melo.testkit.http;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import okio.Buffer;

/** Removes secrets from what the server records: tokens in queries, passwords in bodies. Internal: not API. */
public final class Redaction {
  /** What a secret is replaced with. */
  public static final String REDACTED = "<redacted>";

  private static final Set<String> SECRET_KEYS = new HashSet<>(Arrays.asList(
      "password", "new_password", "access_token", "refresh_token", "as_token", "hs_token", "token",
      "login_token"));

  private Redaction() {}

  /**
   * {@return the target with the value of any {@code access_token} query parameter replaced}
   *
   * @param target a request target (path and optional query)
   */
  public static String target(String target) {
    int q = target.indexOf('?');
    if (q < 0) {
      return target;
    }
    StringBuilder sb = new StringBuilder(target.substring(0, q + 1));
    String[] pairs = target.substring(q + 1).split("&", -1);
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0) {
        sb.append('&');
      }
      String p = pairs[i];
      if (p.startsWith("access_token=")) {
        sb.append("access_token=").append(REDACTED);
      } else {
        sb.append(p);
      }
    }
    return sb.toString();
  }

  /**
   * {@return the body as text with the values of secret fields replaced; a body that is not JSON is
   * described by its size only, since it may hold anything}
   *
   * @param body the request or response body
   * @param binary true when the body is not JSON text (media), so only its size is shown
   */
  public static String body(byte[] body, boolean binary) {
    if (body.length == 0) {
      return "";
    }
    if (binary) {
      return "<" + body.length + " bytes>";
    }
    Buffer out = new Buffer();
    try (JsonReader r = JsonReader.of(new Buffer().write(body)); JsonWriter w = JsonWriter.of(out)) {
      w.setSerializeNulls(true);
      copy(r, w, false);
      if (r.peek() != JsonReader.Token.END_DOCUMENT) {
        return "<" + body.length + " bytes, not JSON>";
      }
    } catch (IOException | RuntimeException e) {
      return "<" + body.length + " bytes, not JSON>";
    }
    return out.readUtf8();
  }

  private static void copy(JsonReader r, JsonWriter w, boolean secret) throws IOException {
    switch (r.peek()) {
      case BEGIN_OBJECT:
        r.beginObject();
        w.beginObject();
        while (r.hasNext()) {
          String name = r.nextName();
          w.name(name);
          copy(r, w, SECRET_KEYS.contains(name));
        }
        r.endObject();
        w.endObject();
        return;
      case BEGIN_ARRAY:
        r.beginArray();
        w.beginArray();
        while (r.hasNext()) {
          copy(r, w, false);
        }
        r.endArray();
        w.endArray();
        return;
      case STRING:
        String s = r.nextString();
        w.value(secret ? REDACTED : s);
        return;
      case NUMBER:
        w.value(new BigDecimal(r.nextString()));
        return;
      case BOOLEAN:
        w.value(r.nextBoolean());
        return;
      case NULL:
        r.nextNull();
        w.nullValue();
        return;
      default:
        throw new IOException("unexpected " + r.peek());
    }
  }
}
