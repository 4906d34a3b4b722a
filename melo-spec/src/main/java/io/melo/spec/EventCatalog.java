package io.melo.spec;

import io.melo.spec.internal.Json;
import io.melo.spec.internal.Node;
import io.melo.spec.internal.SchemaValidator;
import io.melo.spec.internal.SpecFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The event schemas and example events of one {@link Spec}; {@link EventSchemas} is its public face. */
final class EventCatalog {
  /** Schema files that describe no event type of their own. */
  private static final List<String> NOT_EVENTS = List.of("m.key.verification.m.relates_to");
  /** Content keys whose value names a schema variant ({@code type$value}). */
  private static final List<String> VARIANT_KEYS = List.of("msgtype", "method");
  static final String STRIPPED_STATE = "core-event-schema/stripped_state";
  static final String PLACEHOLDER_ROOM_ID = "!placeholder:example.org";

  private final SpecFiles files;
  private final SchemaValidator validator;
  private final Map<String, Path> schemas;
  private final List<Example> examples;

  EventCatalog(SpecFiles files, SchemaValidator validator) {
    this.files = files;
    this.validator = validator;
    Map<String, Path> s = new TreeMap<>();
    for (Path p : Spec.jsonFiles(files.file("event-schemas/schema"))) {
      String name = baseName(p);
      if (!NOT_EVENTS.contains(name)) {
        s.put(name, p);
      }
    }
    this.schemas = Collections.unmodifiableMap(s);
    List<Example> ex = new ArrayList<>();
    for (Path p : Spec.jsonFiles(files.file("event-schemas/examples"))) {
      Object resolved = files.resolveExample(p, files.read(p));
      ex.add(new Example(baseName(p), Json.write(resolved), files.display(p, "")));
    }
    this.examples = List.copyOf(ex);
  }

  Map<String, Path> schemas() {
    return schemas;
  }

  List<Example> examples() {
    return examples;
  }

  /** The schema name for an event: {@code type$variant} when the content names a variant with a schema. */
  String schemaNameFor(String type, Map<?, ?> content) {
    if (content != null) {
      for (String key : VARIANT_KEYS) {
        Object v = content.get(key);
        if (v instanceof String && schemas.containsKey(type + "$" + v)) {
          return type + "$" + v;
        }
      }
    }
    return schemas.containsKey(type) ? type : null;
  }

  /** The schema an example is checked against: same name, else the name up to {@code $}; null for arrays. */
  String schemaNameForExample(String exampleName) {
    if (schemas.containsKey(exampleName)) {
      return exampleName;
    }
    int dollar = exampleName.indexOf('$');
    if (dollar > 0 && schemas.containsKey(exampleName.substring(0, dollar))) {
      return exampleName.substring(0, dollar);
    }
    return null;
  }

  List<Violation> validate(String json, boolean addRoomId) {
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (IllegalArgumentException e) {
      return List.of(new Violation("", "not JSON: " + e.getMessage(), ""));
    }
    if (!(tree instanceof Map)) {
      return List.of(new Violation("", "an event is a JSON object, found " + Json.typeOf(tree), ""));
    }
    Map<?, ?> event = (Map<?, ?>) tree;
    Object type = event.get("type");
    if (!(type instanceof String)) {
      return List.of(new Violation("/type", "an event needs a string 'type'", ""));
    }
    Object content = event.get("content");
    String name = schemaNameFor((String) type, content instanceof Map ? (Map<?, ?>) content : null);
    if (name == null) {
      return List.of(new Violation("/type", "the spec has no event schema for type '" + type + "'", ""));
    }
    return validateTree(name, tree, addRoomId);
  }

  List<Violation> validateAgainst(String schemaName, String json, boolean addRoomId) {
    if (!schemas.containsKey(schemaName) && !schemaName.equals(STRIPPED_STATE)) {
      throw new IllegalArgumentException("no event schema named '" + schemaName + "'; known: " + schemas.keySet());
    }
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (IllegalArgumentException e) {
      return List.of(new Violation("", "not JSON: " + e.getMessage(), ""));
    }
    return validateTree(schemaName, tree, addRoomId);
  }

  @SuppressWarnings("unchecked")
  private List<Violation> validateTree(String schemaName, Object tree, boolean addRoomId) {
    Object instance = tree;
    if (addRoomId && tree instanceof Map && !((Map<?, ?>) tree).containsKey("room_id")) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) tree);
      copy.put("room_id", PLACEHOLDER_ROOM_ID);
      instance = copy;
    }
    Path file = schemaName.equals(STRIPPED_STATE)
        ? files.file("event-schemas/schema/" + STRIPPED_STATE + ".json") : schemas.get(schemaName);
    return validator.validate(files.node(file, ""), instance);
  }

  /** Schema locations where events are embedded in API responses: each gets the per-type check. */
  static final List<String> EMBEDDED_EVENT_SCHEMAS = List.of(
      "client-server/definitions/client_event_without_room_id.json",
      "event-schemas/schema/core-event-schema/stripped_state.json",
      "event-schemas/schema/core-event-schema/event.json");

  /**
   * The per-type check of an event embedded in a larger document: skipped for unknown types and redacted events
   * (whose content the server has emptied); envelope keys the embedding omits (room_id in /sync, event_id in
   * stripped state, ...) get placeholders so that only what is there is judged.
   */
  @SuppressWarnings("unchecked")
  void checkEmbedded(Object instance, String instancePath, List<Violation> out) {
    if (!(instance instanceof Map)) {
      return;
    }
    Map<String, Object> event = (Map<String, Object>) instance;
    Object type = event.get("type");
    Object content = event.get("content");
    Object unsigned = event.get("unsigned");
    if (!(type instanceof String) || !(content instanceof Map)
        || (unsigned instanceof Map && ((Map<?, ?>) unsigned).containsKey("redacted_because"))) {
      return;
    }
    String name = schemaNameFor((String) type, (Map<?, ?>) content);
    if (name == null) {
      return;
    }
    Map<String, Object> full = withPlaceholders(event);
    for (Violation v : validator.validate(files.node(schemas.get(name), ""), full)) {
      out.add(new Violation(instancePath + v.instancePath(), "(as " + name + " event) " + v.message(),
          v.schemaLocation()));
    }
  }

  /** The per-type check of an event content, as sent to PUT .../send/{type} or .../state/{type}/{key}. */
  List<Violation> checkContent(String type, String stateKey, Object content) {
    if (!(content instanceof Map)) {
      return List.of();
    }
    String name = schemaNameFor(type, (Map<?, ?>) content);
    if (name == null) {
      return List.of();
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("content", content);
    if (stateKey != null) {
      event.put("state_key", stateKey);
    }
    List<Violation> out = new ArrayList<>();
    for (Violation v : validator.validate(files.node(schemas.get(name), ""), withPlaceholders(event))) {
      String path = v.instancePath().startsWith("/content") ? v.instancePath().substring("/content".length())
          : "(event)" + v.instancePath();
      out.add(new Violation(path, "(as content of " + name + ") " + v.message(), v.schemaLocation()));
    }
    return out;
  }

  private static Map<String, Object> withPlaceholders(Map<String, Object> event) {
    Map<String, Object> full = new LinkedHashMap<>(event);
    full.putIfAbsent("event_id", "$placeholder");
    full.putIfAbsent("room_id", PLACEHOLDER_ROOM_ID);
    full.putIfAbsent("sender", "@placeholder:example.org");
    full.putIfAbsent("origin_server_ts", BigDecimal.ZERO);
    return full;
  }

  private static String baseName(Path p) {
    String n = p.getFileName().toString();
    return n.substring(0, n.length() - ".json".length());
  }
}
