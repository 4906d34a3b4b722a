package io.melo.matrix.media;

import java.util.Objects;

/**
 * A validated {@code mxc://<server-name>/<media-id>} URI. Parsing refuses everything else, so a
 * hostile URI from an event cannot steer a download to another path or host (cf. CVE-2024-50336):
 * the server name must be a valid Matrix server name (DNS name, IPv4 or bracketed IPv6, optional
 * port) and the media id must match {@code [A-Za-z0-9_-]+}.
 *
 * @param serverName the origin server name, such as {@code example.org:8448}
 * @param mediaId the media id
 */
public record MxcUri(String serverName, String mediaId) {

  private static final int MAX_LENGTH = 255 + 1 + 255;

  /**
   * Validates both parts.
   *
   * @param serverName the origin server name, such as {@code example.org:8448}
   * @param mediaId the media id
   */
  public MxcUri {
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(mediaId, "mediaId");
    if (!isServerName(serverName)) {
      throw new IllegalArgumentException("not a valid Matrix server name: " + shorten(serverName));
    }
    if (!isMediaId(mediaId)) {
      throw new IllegalArgumentException(
          "media id must match [A-Za-z0-9_-]+, was: " + shorten(mediaId));
    }
  }

  /**
   * Parses {@code mxc://server/id}.
   *
   * @param uri the URI text
   * @return the URI
   * @throws IllegalArgumentException naming what is wrong, for anything else
   */
  public static MxcUri parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.length() > MAX_LENGTH + 6) {
      throw new IllegalArgumentException("mxc URI is too long (" + uri.length() + " characters)");
    }
    if (!uri.startsWith("mxc://")) {
      throw new IllegalArgumentException("not an mxc:// URI: " + shorten(uri));
    }
    String rest = uri.substring("mxc://".length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("mxc URI lacks a media id: " + shorten(uri));
    }
    return new MxcUri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /**
   * Like {@link #parse} but returns null instead of throwing, for untrusted event content.
   *
   * @param uri the URI text, or null
   * @return the URI, or null when {@code uri} is null or not a valid {@code mxc://} URI
   */
  public static MxcUri parseOrNull(String uri) {
    try {
      return uri == null ? null : parse(uri);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * {@return true for a valid server name: hostname (DNS name, IPv4, [IPv6]) with an optional port}
   *
   * @param name the text to check; not null
   */
  public static boolean isServerName(String name) {
    if (name.isEmpty() || name.length() > 255) {
      return false;
    }
    String host = name;
    int portStart = -1;
    if (name.startsWith("[")) {
      int close = name.indexOf(']');
      if (close < 0) {
        return false;
      }
      String v6 = name.substring(1, close);
      if (v6.isEmpty() || v6.length() > 45) {
        return false;
      }
      for (int i = 0; i < v6.length(); i++) {
        char c = v6.charAt(i);
        if (!(isHex(c) || c == ':' || c == '.')) {
          return false;
        }
      }
      if (close + 1 < name.length()) {
        if (name.charAt(close + 1) != ':') {
          return false;
        }
        portStart = close + 2;
      }
    } else {
      int colon = name.indexOf(':');
      if (colon >= 0) {
        host = name.substring(0, colon);
        portStart = colon + 1;
      }
      if (host.isEmpty()) {
        return false;
      }
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.')) {
          return false;
        }
      }
      if (host.startsWith(".") || host.contains("..")) {
        return false;
      }
    }
    if (portStart >= 0) {
      String port = name.substring(portStart);
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      int value = Integer.parseInt(port);
      if (value < 1 || value > 65535) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return true for a media id of {@code [A-Za-z0-9_-]+}}
   *
   * @param id the text to check; not null
   */
  public static boolean isMediaId(String id) {
    if (id.isEmpty() || id.length() > 255) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String shorten(String text) {
    String printable = text.replaceAll("[\\p{Cntrl}]", "?");
    return printable.length() <= 80 ? printable : printable.substring(0, 80) + "...";
  }

  /** The URI, {@code mxc://server/id}. */
  @Override
  public String toString() {
    return "mxc://" + serverName + "/" + mediaId;
  }
}
