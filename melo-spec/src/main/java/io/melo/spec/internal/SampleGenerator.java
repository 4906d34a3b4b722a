package io.melo.spec.internal;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a small instance of a schema: the schema's own {@code example} where it has one, else required
 * properties (and properties that carry an example) filled recursively, the first {@code enum}/{@code oneOf}/
 * {@code anyOf} choice, and placeholder values shaped by the Matrix identifier patterns and formats. Callers must
 * validate the result: a schema with constraints this class does not model yields an invalid sample.
 */
public final class SampleGenerator {
  private static final int MAX_DEPTH = 40;
  private final SpecFiles files;

  /**
   * A generator that resolves references in {@code files}.
   *
   * @param files the spec files
   */
  public SampleGenerator(SpecFiles files) {
    this.files = files;
  }

  /**
   * {@return a sample instance of the schema at {@code schema}}
   *
   * @param schema where the schema is
   */
  public Object sample(Node schema) {
    return sample(schema.file(), schema.value(), 0);
  }

  @SuppressWarnings("unchecked")
  private Object sample(Path file, Object schemaValue, int depth) {
    if (!(schemaValue instanceof Map) || depth > MAX_DEPTH) {
      return null;
    }
    Map<String, Object> schema = (Map<String, Object>) schemaValue;
    if (schema.containsKey("example")) {
      return files.resolveExample(file, schema.get("example"));
    }
    if (schema.containsKey("const")) {
      return Json.copy(schema.get("const"));
    }
    if (schema.get("enum") instanceof List && !((List<?>) schema.get("enum")).isEmpty()) {
      return Json.copy(((List<?>) schema.get("enum")).get(0));
    }
    Object result = null;
    if (schema.get("$ref") instanceof String) {
      Node target = files.resolveRef(file, (String) schema.get("$ref"));
      result = sample(target.file(), target.value(), depth + 1);
    }
    for (String combinator : new String[] {"allOf", "oneOf", "anyOf"}) {
      if (schema.get(combinator) instanceof List) {
        List<Object> subs = (List<Object>) schema.get(combinator);
        for (Object sub : combinator.equals("allOf") ? subs : subs.subList(0, Math.min(1, subs.size()))) {
          result = merge(result, sample(file, sub, depth + 1));
        }
      }
    }
    Object own = ownSample(file, schema, depth);
    return own == null ? result : merge(result, own);
  }

  @SuppressWarnings("unchecked")
  private Object ownSample(Path file, Map<String, Object> schema, int depth) {
    String type = firstType(schema.get("type"));
    if (type == null) {
      type = schema.containsKey("properties") || schema.containsKey("required") ? "object" : null;
    }
    if (type == null) {
      return null;
    }
    switch (type) {
      case "object": {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> properties = schema.get("properties") instanceof Map
            ? (Map<String, Object>) schema.get("properties") : Map.of();
        List<Object> required = schema.get("required") instanceof List ? (List<Object>) schema.get("required")
            : List.of();
        for (Map.Entry<String, Object> p : properties.entrySet()) {
          boolean hasExample = p.getValue() instanceof Map && ((Map<?, ?>) p.getValue()).containsKey("example");
          if (required.contains(p.getKey()) || hasExample) {
            out.put(p.getKey(), sample(file, p.getValue(), depth + 1));
          }
        }
        for (Object name : required) {
          out.putIfAbsent((String) name, "");
        }
        return out;
      }
      case "array": {
        List<Object> out = new ArrayList<>();
        Object min = schema.get("minItems");
        if (min instanceof Number && ((Number) min).intValue() > 0 && schema.get("items") != null) {
          for (int i = 0; i < ((Number) min).intValue(); i++) {
            out.add(sample(file, schema.get("items"), depth + 1));
          }
        }
        return out;
      }
      case "string":
        return sampleString(schema);
      case "integer":
      case "number":
        return schema.get("minimum") instanceof Number ? Json.toBigDecimal((Number) schema.get("minimum"))
            : BigDecimal.ZERO;
      case "boolean":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  private static String sampleString(Map<String, Object> schema) {
    String hint = String.valueOf(schema.get("pattern")) + " " + schema.get("format");
    if (hint.contains("^@") || hint.contains("mx-user-id")) {
      return "@alice:example.org";
    } else if (hint.contains("^!") || hint.contains("mx-room-id")) {
      return "!room:example.org";
    } else if (hint.contains("^\\$") || hint.contains("mx-event-id")) {
      return "$event:example.org";
    } else if (hint.contains("^#") || hint.contains("mx-room-alias")) {
      return "#alias:example.org";
    } else if (hint.contains("mxc") || hint.contains("mx-mxc-uri")) {
      return "mxc://example.org/media";
    } else if (hint.contains("mx-server-name")) {
      return "example.org";
    } else if (hint.contains("https?")) {
      return "https://example.org";
    }
    return "sample";
  }

  private static String firstType(Object type) {
    if (type instanceof String) {
      return (String) type;
    }
    if (type instanceof List) {
      for (Object t : (List<?>) type) {
        if (!"null".equals(t)) {
          return (String) t;
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object a, Object b) {
    if (a instanceof Map && b instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) a);
      for (Map.Entry<String, Object> e : ((Map<String, Object>) b).entrySet()) {
        out.put(e.getKey(), out.containsKey(e.getKey()) ? merge(out.get(e.getKey()), e.getValue()) : e.getValue());
      }
      return out;
    }
    return b == null ? a : b;
  }
}
