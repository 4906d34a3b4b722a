package io.melo.testkit.http;

import io.melo.testkit.Endpoint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a request target to an {@link Endpoint} and its path parameters. Paths are split on {@code /}
 * first and each segment is percent-decoded afterwards, so {@code !room:hs} and {@code %21room%3Ahs}
 * are the same room id and an encoded {@code %2F} stays inside its segment. Internal: not API.
 */
public final class Router {

  /** What a target matched: an endpoint with its parameters, or why nothing matched. */
  public static final class Match {
    final Endpoint endpoint;
    final Map<String, String> params;
    final boolean pathKnown;

    Match(Endpoint endpoint, Map<String, String> params, boolean pathKnown) {
      this.endpoint = endpoint;
      this.params = params;
      this.pathKnown = pathKnown;
    }

    /** {@return the endpoint, or null when none matched path and method} */
    public Endpoint endpoint() {
      return endpoint;
    }

    /** {@return the decoded path parameters by template name} */
    public Map<String, String> params() {
      return params;
    }

    /**
     * {@return true when the path matched some endpoint but the method did not (405 rather than
     * 404)}
     */
    public boolean pathKnown() {
      return pathKnown;
    }
  }

  private static final class Template {
    final Endpoint endpoint;
    final String[] parts;
    /** By part: the parameter's name, or null for a literal part (computed once, not per request). */
    final String[] names;
    /** By part: whether the parameter is optional ({@code {name?}}, may be empty). */
    final boolean[] optional;

    Template(Endpoint endpoint, String[] parts) {
      this.endpoint = endpoint;
      this.parts = parts;
      this.names = new String[parts.length];
      this.optional = new boolean[parts.length];
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        if (p.startsWith("{") && p.endsWith("}")) {
          optional[i] = p.endsWith("?}");
          names[i] = p.substring(1, p.length() - (optional[i] ? 2 : 1));
        }
      }
    }
  }

  private final Map<Endpoint.Area, List<Template>> byArea = new EnumMap<>(Endpoint.Area.class);

  /** Compiles the templates of every {@link Endpoint}. */
  public Router() {
    for (Endpoint.Area area : Endpoint.Area.values()) {
      byArea.put(area, new ArrayList<>());
    }
    for (Endpoint e : Endpoint.values()) {
      for (String t : e.templates()) {
        byArea.get(e.area()).add(new Template(e, rawSegments(t)));
      }
    }
  }

  /**
   * Routes a method and a raw path (no query).
   *
   * @param method the HTTP method, upper case
   * @param rawPath the path as sent, still percent-encoded, without the query
   * @return the match: the endpoint (null when none matched) and its decoded path parameters
   * @throws IllegalArgumentException if a segment has a malformed percent escape
   */
  public Match route(String method, String rawPath) {
    List<String> segs = new ArrayList<>();
    for (String raw : rawSegments(rawPath)) {
      segs.add(percentDecode(raw, false));
    }
    Endpoint.Area area = Endpoint.Area.ROOT;
    List<String> rel = segs;
    if (segs.size() >= 3 && segs.get(0).equals("_matrix") && segs.get(1).equals("client")
        && !(segs.size() == 3 && segs.get(2).equals("versions"))) {
      String version = segs.get(2);
      if (segs.size() >= 4 && version.equals("v1") && segs.get(3).equals("media")) {
        area = Endpoint.Area.MEDIA;
        rel = segs.subList(4, segs.size());
        if (!rel.isEmpty() && rel.get(0).equals("upload")) {
          return new Match(null, Collections.emptyMap(), false); // upload lives on /_matrix/media only
        }
      } else if (version.equals("v3") || version.equals("r0") || version.equals("v1")
          || version.equals("unstable")) {
        area = Endpoint.Area.CLIENT;
        rel = segs.subList(3, segs.size());
      } else {
        return new Match(null, Collections.emptyMap(), false);
      }
    } else if (segs.size() >= 3 && segs.get(0).equals("_matrix") && segs.get(1).equals("media")) {
      String version = segs.get(2);
      if (!(version.equals("v3") || version.equals("r0") || version.equals("v1"))) {
        return new Match(null, Collections.emptyMap(), false);
      }
      if (!(segs.size() == 4 && version.equals("v1") && segs.get(3).equals("create"))) {
        // (POST /_matrix/media/v1/create is absolute: matched among the ROOT templates)
        area = Endpoint.Area.MEDIA;
        rel = segs.subList(3, segs.size());
      }
    }
    boolean pathKnown = false;
    for (Template t : byArea.get(area)) {
      Map<String, String> params = match(t, rel);
      if (params == null) {
        continue;
      }
      if (t.endpoint.method().equals(method)) {
        return new Match(t.endpoint, params, true);
      }
      pathKnown = true;
    }
    return new Match(null, Collections.emptyMap(), pathKnown);
  }

  private static Map<String, String> match(Template t, List<String> segs) {
    String[] parts = t.parts;
    if (parts.length != segs.size()) {
      return null;
    }
    // First whether it matches (no allocation: most templates do not), then the parameters.
    boolean anyParam = false;
    for (int i = 0; i < parts.length; i++) {
      if (t.names[i] != null) {
        if (segs.get(i).isEmpty() && !t.optional[i]) {
          return null;
        }
        anyParam = true;
      } else if (!parts[i].equals(segs.get(i))) {
        return null;
      }
    }
    if (!anyParam) {
      return Collections.emptyMap();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      if (t.names[i] != null) {
        params.put(t.names[i], segs.get(i));
      }
    }
    return params;
  }

  /** Splits a path on '/' keeping empty segments, minus the empty one before the leading '/'. */
  static String[] rawSegments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.split("/", -1);
  }

  /**
   * Percent-decodes one path segment or query component as UTF-8.
   *
   * @param plusIsSpace true for query components, where {@code +} means a space
   * @param s the text to decode
   * @return the decoded text
   * @throws IllegalArgumentException on a malformed escape
   */
  public static String percentDecode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("malformed percent escape in: " + s);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed percent escape in: " + s);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else if (c < 0x80) {
        out.write(c); // ASCII: its own UTF-8 byte, no per-character String
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  /**
   * Parses a raw query string into decoded names and values, in order; a name may repeat.
   *
   * @param rawQuery the query without {@code ?}; null or empty gives an empty map
   * @return the parameters by name, each with its values in order
   */
  public static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return q;
    }
    int n = rawQuery.length();
    for (int start = 0; start < n; ) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = n;
      }
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        if (eq < 0 || eq > end) {
          eq = -1;
        }
        String name = percentDecode(rawQuery.substring(start, eq < 0 ? end : eq), true);
        String value = eq < 0 ? "" : percentDecode(rawQuery.substring(eq + 1, end), true);
        List<String> values = q.get(name);
        if (values == null) {
          q.put(name, List.of(value)); // the usual case: one value, no list to grow
        } else if (values instanceof ArrayList) {
          values.add(value);
        } else {
          List<String> more = new ArrayList<>(values);
          more.add(value);
          q.put(name, more);
        }
      }
      start = end + 1;
    }
    return q;
  }
}
