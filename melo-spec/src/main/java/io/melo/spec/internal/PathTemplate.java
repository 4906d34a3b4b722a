package io.melo.spec.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A full URL path template such as {@code /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}}, matched
 * segment by segment against a concrete path whose segments have been percent-decoded, so an encoded {@code /}
 * inside a room id stays inside its segment. A parameter matches any one segment, including an empty one.
 */
public final class PathTemplate {
  private final String template;
  private final List<String> segments;

  /**
   * Parses a template; parameters are whole segments written {@code {name}}.
   *
   * @param template the template text
   */
  public PathTemplate(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("path template must start with '/': " + template);
    }
    this.template = template;
    this.segments = List.of(template.substring(1).split("/", -1));
  }

  /** {@return the template text} */
  public String template() {
    return template;
  }

  /** {@return number of segments} */
  public int size() {
    return segments.size();
  }

  /** {@return the name of the last segment's parameter, or null if the last segment is literal} */
  public String lastParameter() {
    return parameterName(segments.get(segments.size() - 1));
  }

  /**
   * {@return the path parameters if {@code decoded} (the concrete path's decoded segments) matches, else null}
   *
   * @param decoded the decoded segments of a concrete path
   */
  public Map<String, String> match(List<String> decoded) {
    if (decoded.size() != segments.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String t = segments.get(i);
      String name = parameterName(t);
      if (name != null) {
        params.put(name, decoded.get(i));
      } else if (!t.equals(decoded.get(i))) {
        return null;
      }
    }
    return Collections.unmodifiableMap(params);
  }

  /**
   * Orders templates that match the same path: the one with a literal segment where the other has a parameter,
   * at the first segment where they differ, is more specific and sorts first.
   *
   * @param a one template
   * @param b the other template
   * @return a negative number if {@code a} is more specific, positive if {@code b} is
   */
  public static int bySpecificity(PathTemplate a, PathTemplate b) {
    int n = Math.min(a.segments.size(), b.segments.size());
    for (int i = 0; i < n; i++) {
      boolean pa = parameterName(a.segments.get(i)) != null;
      boolean pb = parameterName(b.segments.get(i)) != null;
      if (pa != pb) {
        return pa ? 1 : -1;
      }
    }
    return a.template.compareTo(b.template);
  }

  private static String parameterName(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
        ? segment.substring(1, segment.length() - 1) : null;
  }

  /**
   * The decoded segments of a concrete request path. Accepts a full URL or a path, drops the query and fragment,
   * decodes {@code %XX} escapes as UTF-8 per segment (a {@code +} stays a {@code +}).
   *
   * @param path the request path (or full URL), percent-encoded or not, query allowed
   * @return the decoded segments, without the empty one before the first {@code /}
   * @throws IllegalArgumentException if the path is not absolute or holds a malformed escape
   */
  public static List<String> decodedSegments(String path) {
    String p = rawPath(path);
    List<String> out = new ArrayList<>();
    for (String raw : p.substring(1).split("/", -1)) {
      try {
        out.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed percent-escape in path segment '" + raw + "' of " + path, e);
      }
    }
    return out;
  }

  /**
   * {@return the path part of a URL or path: no scheme, host, query or fragment}
   *
   * @param path the request path (or full URL), percent-encoded or not, query allowed
   */
  public static String rawPath(String path) {
    String p = path;
    int scheme = p.indexOf("://");
    if (scheme >= 0 && scheme < p.indexOf('/')) {
      int slash = p.indexOf('/', scheme + 3);
      p = slash < 0 ? "/" : p.substring(slash);
    }
    int cut = p.length();
    for (char c : new char[] {'?', '#'}) {
      int i = p.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    p = p.substring(0, cut);
    if (!p.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute path: " + path);
    }
    return p;
  }

  @Override
  public String toString() {
    return template;
  }
}
