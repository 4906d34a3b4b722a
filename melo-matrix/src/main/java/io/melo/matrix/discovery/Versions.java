package io.melo.matrix.discovery;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /_matrix/client/versions}: the specification versions the server
 * implements and its unstable features.
 *
 * @param versions versions such as {@code v1.11}; unknown formats are kept
 * @param unstableFeatures feature flags by name
 */
public record Versions(List<String> versions, Map<String, Boolean> unstableFeatures) {

  /**
   * Copies the collections.
   *
   * @param versions versions such as {@code v1.11}; unknown formats are kept
   * @param unstableFeatures feature flags by name
   */
  public Versions {
    versions = List.copyOf(versions);
    unstableFeatures = Map.copyOf(unstableFeatures);
  }

  /**
   * {@return true if the server implements {@code vMAJOR.MINOR} or a later {@code v1.x}/{@code
   * vN.x} version}
   *
   * @param major the major version, such as 1
   * @param minor the minor version, such as 12
   */
  public boolean atLeast(int major, int minor) {
    for (String version : versions) {
      if (!version.startsWith("v")) {
        continue;
      }
      int dot = version.indexOf('.');
      if (dot < 0) {
        continue;
      }
      try {
        int vMajor = Integer.parseInt(version.substring(1, dot));
        int vMinor = Integer.parseInt(version.substring(dot + 1));
        if (vMajor > major || (vMajor == major && vMinor >= minor)) {
          return true;
        }
      } catch (NumberFormatException e) {
        // not a vX.Y version; ignore
      }
    }
    return false;
  }

  /**
   * {@return true if the unstable feature {@code name} is advertised and enabled}
   *
   * @param name the feature's name, such as {@code org.matrix.msc3916}
   */
  public boolean hasFeature(String name) {
    return Boolean.TRUE.equals(unstableFeatures.get(name));
  }

  /**
   * {@return true if the server serves authenticated media ({@code /_matrix/client/v1/media/*}):
   * spec v1.11 or the {@code org.matrix.msc3916.stable} feature}
   */
  public boolean supportsAuthenticatedMedia() {
    return atLeast(1, 11) || hasFeature("org.matrix.msc3916.stable");
  }
}
