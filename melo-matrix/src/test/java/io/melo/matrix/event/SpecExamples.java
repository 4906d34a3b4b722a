package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Matrix spec's event examples (shared/spec/json/event-schemas/examples), with the spec's
 * example-inheritance convention applied: a {@code $ref} is loaded and the example's own top-level
 * keys replace its keys.
 */
public final class SpecExamples {

  private SpecExamples() {}

  /** The spec directory: system property {@code melo.spec.dir}, else the nearest {@code shared/spec} above the working directory; null when absent. */
  public static Path specDir() {
    String property = System.getProperty("melo.spec.dir");
    if (property != null) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/spec");
      if (Files.isDirectory(candidate.resolve("json/event-schemas/examples"))) {
        return candidate;
      }
    }
    return null;
  }

  /** The example directory of the JSON copy. */
  public static Path examplesDir() {
    Path spec = specDir();
    return spec == null ? null : spec.resolve("json/event-schemas/examples");
  }

  /** Every example file name (without directory), sorted. */
  public static List<String> names() {
    try (Stream<Path> files = Files.list(examplesDir())) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads an example with its {@code $ref} chain resolved. */
  public static JsonValue load(String name) {
    return load(examplesDir().resolve(name));
  }

  /**
   * Resolves every {@code $ref} object inside a value (such as an OpenAPI example), relative to a
   * directory, recursively.
   */
  public static JsonValue resolveDeep(JsonValue value, Path dir) {
    if (value instanceof JsonObject object) {
      String ref = object.getStringOrNull("$ref");
      if (ref != null) {
        Path target = dir.resolve(ref).normalize();
        JsonValue base = resolveDeep(load(target), target.getParent());
        JsonObject own = (JsonObject) resolveDeep(object.without("$ref"), dir);
        return base instanceof JsonObject baseObject ? baseObject.toBuilder().putAll(own).build() : base;
      }
      JsonObject.Builder b = JsonObject.builder();
      object.forEach((k, v) -> b.put(k, resolveDeep(v, dir)));
      return b.build();
    }
    if (value instanceof io.melo.matrix.json.JsonArray array) {
      List<JsonValue> out = new java.util.ArrayList<>();
      for (JsonValue v : array.values()) {
        out.add(resolveDeep(v, dir));
      }
      return io.melo.matrix.json.JsonArray.of(out);
    }
    return value;
  }

  /** Loads a JSON file of the spec, resolving its own top-level {@code $ref} chain. */
  public static JsonValue load(Path file) {
    try {
      JsonValue value = JsonValue.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      if (value instanceof JsonObject object && object.getStringOrNull("$ref") != null) {
        JsonValue base = load(file.resolveSibling(object.getStringOrNull("$ref")));
        JsonObject own = object.without("$ref");
        if (base instanceof JsonObject baseObject) {
          return baseObject.toBuilder().putAll(own).build();
        }
        return base;
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The spec's example answer of {@code GET /sync} (from the OpenAPI file's 200 response), with its
   * {@code $ref}s resolved, as JSON text.
   */
  public static String syncExample(Path spec) {
    Path dir = spec.resolve("json/client-server");
    JsonObject doc = load(dir.resolve("sync.json")).asObject().orElseThrow();
    JsonValue example = doc.getObjectOrEmpty("paths").getObjectOrEmpty("/sync").getObjectOrEmpty("get")
        .getObjectOrEmpty("responses").getObjectOrEmpty("200").getObjectOrEmpty("content")
        .getObjectOrEmpty("application/json").getObjectOrEmpty("examples").getObjectOrEmpty("response")
        .getOrNull("value");
    return resolveDeep(example, dir).toJson();
  }
}
