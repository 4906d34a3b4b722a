package io.melo.matrix.discovery;

import io.melo.matrix.json.JsonObject;
import java.util.Optional;

/**
 * The answer of {@code GET /capabilities}: what the server lets this user do, by capability name.
 * Unknown capabilities are kept as raw JSON.
 *
 * @param capabilities the {@code capabilities} object
 */
public record Capabilities(JsonObject capabilities) {

  /**
   * {@return the capability {@code name}, such as {@code m.room_versions}, when the server listed
   * it}
   *
   * @param name the capability's name
   */
  public Optional<JsonObject> get(String name) {
    return capabilities.getObject(name);
  }

  /** {@return the default room version ({@code m.room_versions.default}), when listed} */
  public Optional<String> defaultRoomVersion() {
    return get("m.room_versions").flatMap(v -> v.getString("default"));
  }

  /**
   * {@return whether the capability {@code name} is enabled ({@code {"enabled": bool}}), or {@code
   * fallback} when not listed}
   *
   * @param name the capability's name, such as {@code m.change_password}
   * @param fallback the answer when the server did not list it (the spec's default for that
   *     capability)
   */
  public boolean enabled(String name, boolean fallback) {
    return get(name).map(v -> v.getBoolean("enabled", fallback)).orElse(fallback);
  }
}
