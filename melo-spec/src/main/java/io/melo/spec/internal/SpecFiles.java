package io.melo.spec.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and caches the JSON copies of the spec files (the {@code json/} tree), follows {@code $ref}s across files
 * and JSON Pointers, and applies the spec's example-inheritance convention. Cached trees are never handed out for
 * changing: callers that modify one must {@link Json#copy} it first. Thread-safe.
 */
public final class SpecFiles {
  private final Path specDir;
  private final Path jsonRoot;
  private final Map<Path, Object> cache = new ConcurrentHashMap<>();
  private final Map<Path, String> displayNames = new ConcurrentHashMap<>();

  /**
   * Files of the spec directory {@code specDir} (the one holding README.md and {@code json/}).
   *
   * @param specDir the spec directory (holding README.md and {@code json/})
   */
  public SpecFiles(Path specDir) {
    this.specDir = specDir.toAbsolutePath().normalize();
    this.jsonRoot = this.specDir.resolve("json");
    if (!Files.isDirectory(jsonRoot)) {
      throw new IllegalStateException("spec directory " + this.specDir + " has no json/ tree");
    }
  }

  /** {@return the spec directory} */
  public Path specDir() {
    return specDir;
  }

  /** {@return the root of the JSON copies ({@code specDir/json})} */
  public Path jsonRoot() {
    return jsonRoot;
  }

  /**
   * {@return a JSON file of the tree by its path relative to {@link #jsonRoot()}, e.g. {@code client-server/sync.json}}
   *
   * @param relative the path relative to the json/ tree
   */
  public Path file(String relative) {
    return jsonRoot.resolve(relative).normalize();
  }

  /**
   * {@return the parsed content of a file (cached; do not modify)}
   *
   * @param file the JSON file
   */
  public Object read(Path file) {
    Path normalized = file.toAbsolutePath().normalize();
    return cache.computeIfAbsent(normalized, f -> {
      if (!f.startsWith(jsonRoot)) {
        throw new IllegalArgumentException("reference leaves the spec's json/ tree: " + f);
      }
      try {
        Object tree = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
        applyErrata(jsonRoot.relativize(f).toString().replace('\\', '/'), tree);
        return tree;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read spec file " + f, e);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("spec file " + f + " is not JSON: " + e.getMessage(), e);
      }
    });
  }

  /**
   * Corrections of upstream mistakes, applied to the parsed files. Each names the place, the change and why; a
   * test fails when an upstream fix makes one obsolete.
   */
  public static final List<String> ERRATA = List.of(
      "client-server/rooms.json#/paths/~1rooms~1{roomId}~1state~1{eventType}~1{stateKey}/get/responses/200/content/"
          + "application~1json/schema: oneOf -> anyOf, because its first alternative ({type: object}) also"
          + " matches the second (a whole state event, returned with ?format=event), so no event could pass");

  @SuppressWarnings("unchecked")
  private static void applyErrata(String relative, Object tree) {
    if (relative.equals("client-server/rooms.json") && tree instanceof Map) {
      Object schema = dig(tree, "paths", "/rooms/{roomId}/state/{eventType}/{stateKey}", "get", "responses", "200",
          "content", "application/json", "schema");
      if (schema instanceof Map && ((Map<String, Object>) schema).containsKey("oneOf")) {
        Map<String, Object> map = (Map<String, Object>) schema;
        map.put("anyOf", map.remove("oneOf"));
      }
    }
  }

  private static Object dig(Object tree, String... keys) {
    Object value = tree;
    for (String key : keys) {
      if (!(value instanceof Map)) {
        return null;
      }
      value = ((Map<?, ?>) value).get(key);
    }
    return value;
  }

  /**
   * {@return the value at a JSON Pointer in a file; throws {@link IllegalStateException} when it does not exist}
   *
   * @param file the JSON file
   * @param pointer a JSON Pointer in that file
   */
  public Node node(Path file, String pointer) {
    Object value = read(file);
    if (!pointer.isEmpty()) {
      if (!pointer.startsWith("/")) {
        throw new IllegalStateException("bad JSON pointer '" + pointer + "' in " + display(file, ""));
      }
      for (String token : pointer.substring(1).split("/", -1)) {
        String key = token.replace("~1", "/").replace("~0", "~");
        if (value instanceof Map && ((Map<?, ?>) value).containsKey(key)) {
          value = ((Map<?, ?>) value).get(key);
        } else if (value instanceof List && key.matches("\\d+") && Integer.parseInt(key) < ((List<?>) value).size()) {
          value = ((List<?>) value).get(Integer.parseInt(key));
        } else {
          throw new IllegalStateException("no '" + key + "' at " + display(file, pointer));
        }
      }
    }
    return new Node(file, pointer, value);
  }

  /**
   * Follows a {@code $ref} written in {@code base}: a relative file, a {@code #pointer}, or both.
   *
   * @param base the file the reference is written in
   * @param ref the reference text
   * @return the referenced value and where it is
   */
  public Node resolveRef(Path base, String ref) {
    int hash = ref.indexOf('#');
    String filePart = hash < 0 ? ref : ref.substring(0, hash);
    String fragment = hash < 0 ? "" : ref.substring(hash + 1);
    if (filePart.contains("://")) {
      throw new IllegalStateException("absolute $ref '" + ref + "' in " + display(base, "") + " is not supported");
    }
    Path target = filePart.isEmpty() ? base : base.getParent().resolve(filePart).normalize();
    String pointer = URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
    return node(target, pointer);
  }

  /**
   * {@return a short human-readable location: the file relative to the json tree, then {@code #pointer}}
   *
   * @param file the JSON file
   * @param pointer a JSON Pointer in that file
   */
  public String display(Path file, String pointer) {
    String rel = displayNames.computeIfAbsent(file, p -> {
      Path f = p.toAbsolutePath().normalize();
      return f.startsWith(jsonRoot) ? jsonRoot.relativize(f).toString().replace('\\', '/') : f.toString();
    });
    return pointer.isEmpty() ? rel : rel + "#" + pointer;
  }

  /**
   * {@return appends one escaped reference token to a JSON Pointer}
   *
   * @param pointer a JSON Pointer in that file
   * @param token the unescaped token
   */
  public static String child(String pointer, String token) {
    return pointer + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  /**
   * Resolves the spec's example-inheritance convention everywhere inside {@code value}: an object with a string
   * {@code $ref} is replaced by the referenced file's (resolved) content, with the object's other keys laid over
   * it (a shallow replace). An object holding only a {@code $ref} may resolve to an array. Returns a new tree.
   *
   * @param value the example tree, which is not changed
   * @param file the file that {@code value} comes from, against which relative references resolve
   * @return a new tree with every example reference replaced
   */
  @SuppressWarnings("unchecked")
  public Object resolveExample(Path file, Object value) {
    return resolveExample(file, value, 0);
  }

  @SuppressWarnings("unchecked")
  private Object resolveExample(Path file, Object value, int depth) {
    if (depth > 64) {
      throw new IllegalStateException("example $ref chain too deep (a cycle?) in " + display(file, ""));
    }
    if (value instanceof Map) {
      Map<String, Object> map = (Map<String, Object>) value;
      Object ref = map.get("$ref");
      if (ref instanceof String) {
        Node target = resolveRef(file, (String) ref);
        Object base = resolveExample(target.file(), target.value(), depth + 1);
        if (map.size() == 1) {
          return base;
        }
        if (!(base instanceof Map)) {
          throw new IllegalStateException("example $ref '" + ref + "' in " + display(file, "")
              + " has sibling keys but points to a " + Json.typeOf(base));
        }
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) base);
        for (Map.Entry<String, Object> e : map.entrySet()) {
          if (!e.getKey().equals("$ref")) {
            merged.put(e.getKey(), resolveExample(file, e.getValue(), depth));
          }
        }
        return merged;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : map.entrySet()) {
        out.put(e.getKey(), resolveExample(file, e.getValue(), depth));
      }
      return out;
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<Object>) value) {
        out.add(resolveExample(file, o, depth));
      }
      return out;
    }
    return value;
  }
}
