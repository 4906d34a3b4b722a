package io.melo.spec;

import io.melo.spec.internal.Json;
import io.melo.spec.internal.Node;
import io.melo.spec.internal.PathTemplate;
import io.melo.spec.internal.SampleGenerator;
import io.melo.spec.internal.SchemaValidator;
import io.melo.spec.internal.SpecFiles;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One operation (method and path template) of the Client-Server API, with checks of request and response bodies
 * against its JSON schemas and its examples as fixtures. Get one from {@link Spec#operation} or
 * {@link Spec#operationById}. Thread-safe.
 *
 * <p>Responses: the schema of the declared status is used; a 4xx or 5xx status the operation does not declare, or
 * declares without any body (20 such in the spec, e.g. GET filter 404), is checked against the spec's standard
 * error response ({@code definitions/errors/error.json}, for 429 {@code rate_limited.json}), since the spec lets
 * every endpoint answer errors that way; any other undeclared status is a violation.
 */
public final class Operation {
  private static final String JSON = "application/json";
  private static final Set<String> AUTH_QUERY_PARAMETERS = Set.of("access_token", "user_id", "device_id");

  private final Spec spec;
  private final String method;
  private final PathTemplate template;
  private final Node node;
  private final Object pathItemParameters;

  Operation(Spec spec, String method, PathTemplate template, Node node, Object pathItemParameters) {
    this.spec = spec;
    this.method = method;
    this.template = template;
    this.node = node;
    this.pathItemParameters = pathItemParameters;
  }

  /** {@return the HTTP method in upper case} */
  public String method() {
    return method;
  }

  /**
   * {@return the full path template, base path included} For example
   * {@code /_matrix/client/v3/rooms/{roomId}/joined_members}.
   */
  public String path() {
    return template.template();
  }

  PathTemplate template() {
    return template;
  }

  /**
   * {@return the OpenAPI document it is defined in, relative to the json/ tree} For example
   * {@code client-server/sync.json}.
   */
  public String document() {
    return spec.files().display(node.file(), "");
  }

  /** {@return the {@code operationId}, e.g. {@code sendMessage}} */
  public String operationId() {
    return (String) map(node.value()).get("operationId");
  }

  /** {@return whether the spec marks the operation deprecated} */
  public boolean deprecated() {
    return Boolean.TRUE.equals(map(node.value()).get("deprecated"));
  }

  /** {@return the declared response statuses as written ({@code 200}, {@code 429}, ...), in document order} */
  public Set<String> responseStatuses() {
    Object responses = map(node.value()).get("responses");
    return responses instanceof Map ? Collections.unmodifiableSet(new LinkedHashSet<>(map(responses).keySet()))
        : Set.of();
  }

  /** {@return the content types the request body may have, e.g. {@code application/json}; empty if no body} */
  public List<String> requestContentTypes() {
    Node body = child(node, "requestBody");
    Node content = body == null ? null : child(body, "content");
    return content == null ? List.of() : List.copyOf(map(content.value()).keySet());
  }

  /** {@return whether the operation takes a JSON request body} */
  public boolean hasJsonRequestBody() {
    return requestContent() != null;
  }

  // ---- requests

  /**
   * Checks a request body. An operation without a request body accepts only an empty body or {@code {}}; the body
   * of an operation that takes only non-JSON content (media upload: {@code application/octet-stream}) is not
   * checked.
   *
   * @param json the JSON text to check
   * @return the violations, empty when valid
   */
  public List<Violation> validateRequest(String json) {
    return validateRequest(json, spec.validator());
  }

  /**
   * Like {@link #validateRequest(String)}, and also reports every property the spec's schemas do not define for
   * its place (where they define any properties there), so a misspelt optional key such as
   * {@code power_level_content_overide} is caught. The spec does not forbid unknown keys, so this is a check of
   * the client's own requests, not of what a server must reject.
   *
   * @param json the JSON text to check
   * @return the violations, empty when valid
   */
  public List<Violation> validateRequestStrict(String json) {
    return validateRequest(json, spec.strictValidator());
  }

  /**
   * Like {@link #validateRequestStrict} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param json the JSON text to check
   */
  public void assertValidRequestStrict(String json) {
    Spec.throwIfAny("request body of " + this + " (strict)", validateRequestStrict(json));
  }

  private List<Violation> validateRequest(String json, SchemaValidator using) {
    Node content = requestContent();
    if (content == null && !requestContentTypes().isEmpty()) {
      return List.of();
    }
    if (content == null) {
      String trimmed = json == null ? "" : json.strip();
      if (trimmed.isEmpty() || trimmed.equals("{}")) {
        return List.of();
      }
      return List.of(new Violation("", "the operation takes no JSON request body", ""));
    }
    Node schema = child(content, "schema");
    if (schema == null) {
      return List.of();
    }
    return spec.validateTree(schema, json == null ? "" : json, using);
  }

  /**
   * Like {@link #validateRequest} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param json the JSON text to check
   */
  public void assertValidRequest(String json) {
    Spec.throwIfAny("request body of " + this, validateRequest(json));
  }

  /**
   * {@return the request examples of the operation} From OpenAPI {@code examples}/{@code example} and the
   * schema's {@code example} (following the schema's {@code $ref}s), with event-example references resolved.
   */
  public List<Example> requestExamples() {
    Node content = requestContent();
    return content == null ? List.of() : examples(content);
  }

  // ---- responses

  /**
   * Checks a response body for a status (see the class doc for undeclared statuses).
   *
   * @param status the HTTP status of the response
   * @param json the JSON text to check
   * @return the violations, empty when valid
   */
  public List<Violation> validateResponse(int status, String json) {
    return validateResponse(status, json, spec.validator());
  }

  /**
   * Like {@link #validateResponse(int, String)}, and also reports every property the spec's schemas do not define
   * for its place (where they define any properties there): for a fake server's own responses, where an unknown
   * key is most likely a misspelling. Places the spec knowingly leaves open stay free-form: generic event envelopes
   * (an event's own keys are judged by its type's schema, see {@link #validateResponseAndEvents}) and error bodies
   * (which carry errcode-specific keys such as {@code soft_logout} or {@code current_version}).
   *
   * @param status the HTTP status of the response
   * @param json the JSON text to check
   * @return the violations, empty when valid
   */
  public List<Violation> validateResponseStrict(int status, String json) {
    return validateResponse(status, json, spec.strictValidator());
  }

  /**
   * Like {@link #validateResponseStrict} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param status the HTTP status of the response
   * @param json the JSON text to check
   */
  public void assertValidResponseStrict(int status, String json) {
    Spec.throwIfAny("response " + status + " of " + this + " (strict)", validateResponseStrict(status, json));
  }

  private List<Violation> validateResponse(int status, String json, SchemaValidator using) {
    Node schema = responseSchema(status);
    if (schema == null) {
      Node response = response(status);
      String why = response == null
          ? "status " + status + " is not declared for " + this + " (declared: " + responseStatuses() + ")"
          : "response " + status + " of " + this + " has no JSON body (content: " + contentTypes(response) + ")";
      return List.of(new Violation("", why, ""));
    }
    return spec.validateTree(schema, json == null ? "" : json, using);
  }

  /**
   * Like {@link #validateResponse} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param status the HTTP status of the response
   * @param json the JSON text to check
   */
  public void assertValidResponse(int status, String json) {
    Spec.throwIfAny("response " + status + " of " + this, validateResponse(status, json));
  }

  /**
   * Like {@link #validateResponse}, and also checks every event embedded in the response (timeline and state
   * events, stripped state, account data, ephemeral and to-device events: wherever the response schema applies the
   * generic event shapes) against the per-type event schema of its {@code type}. The OpenAPI schemas alone only
   * check the envelope of those events, not their content. Unknown types and redacted events are skipped.
   *
   * @param status the HTTP status of the response
   * @param json the JSON text to check
   * @return the violations, empty when valid
   */
  public List<Violation> validateResponseAndEvents(int status, String json) {
    Node schema = responseSchema(status);
    if (schema == null) {
      return validateResponse(status, json);
    }
    return spec.validateTree(schema, json == null ? "" : json, spec.deepValidator());
  }

  /**
   * Like {@link #validateResponseAndEvents} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param status the HTTP status of the response
   * @param json the JSON text to check
   */
  public void assertValidResponseAndEvents(int status, String json) {
    Spec.throwIfAny("response " + status + " of " + this, validateResponseAndEvents(status, json));
  }

  /**
   * The examples the spec gives for a declared response status (OpenAPI {@code examples}/{@code example} and the
   * schema's own {@code example}, following the schema's {@code $ref}s), with event-example references resolved, for use as fixtures. Empty when the status has none (or is not declared).
   *
   * @param status the HTTP status of the response
   * @return the examples, empty if none
   */
  public List<Example> responseExamples(int status) {
    Node response = response(status);
    if (response == null) {
      return List.of();
    }
    Node content = jsonContent(response);
    return content == null ? List.of() : examples(content);
  }

  /**
   * A sample response body generated from the schema of a status, for a mock server answering an operation the
   * spec gives no example for (such as {@code defineFilter}): the schema's examples where it has them, required
   * properties filled with placeholders shaped by the Matrix id patterns. Prefer {@link #responseExamples}, which
   * are the spec's own.
   *
   * @param status the HTTP status of the response
   * @return the sample, validated against the schema; empty if the status has no JSON schema or the generated
   *     sample does not validate (the schema has constraints the generator does not model)
   */
  public Optional<Example> sampleResponse(int status) {
    Node schema = responseSchema(status);
    return schema == null ? Optional.empty() : sample(schema);
  }

  /**
   * A sample request body generated from the request schema, like {@link #sampleResponse}.
   *
   * @return the sample, validated against the schema; empty if there is no JSON request body or the sample does
   *     not validate
   */
  public Optional<Example> sampleRequest() {
    Node content = requestContent();
    Node schema = content == null ? null : child(content, "schema");
    return schema == null ? Optional.empty() : sample(schema);
  }

  private Optional<Example> sample(Node schema) {
    Object tree = new SampleGenerator(spec.files()).sample(schema);
    if (!spec.validator().validate(schema, tree).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Example("generated", Json.write(tree),
        spec.files().display(schema.file(), schema.pointer())));
  }

  // ---- parameters

  /**
   * Checks decoded path parameters against the operation's {@code in: path} parameter schemas.
   *
   * @param values decoded path parameters by name
   * @return the violations, empty when valid
   */
  public List<Violation> validatePathParameters(Map<String, String> values) {
    List<Violation> out = new ArrayList<>();
    for (Node parameter : parameters()) {
      Map<String, Object> p = map(parameter.value());
      if (!"path".equals(p.get("in"))) {
        continue;
      }
      String name = (String) p.get("name");
      String value = values.get(name);
      if (value == null) {
        out.add(new Violation("", "path parameter '" + name + "' is missing", spec.files().display(parameter.file(),
            parameter.pointer())));
        continue;
      }
      Node schema = child(parameter, "schema");
      if (schema != null) {
        for (Violation v : spec.validator().validate(schema, value)) {
          out.add(new Violation("{" + name + "}", v.message(), v.schemaLocation()));
        }
      }
    }
    return out;
  }

  /** {@return names of the query parameters the operation declares, in document order} */
  public List<String> queryParameterNames() {
    List<String> out = new ArrayList<>();
    for (Node parameter : parameters()) {
      Map<String, Object> p = map(parameter.value());
      if ("query".equals(p.get("in"))) {
        out.add((String) p.get("name"));
      }
    }
    return out;
  }

  /**
   * Checks a query string (as sent, percent-encoded, with or without the leading {@code ?}) against the operation's
   * query parameters; {@code +} decodes as a space.
   *
   * @param rawQuery the query string as sent
   * @see #validateQuery(Map)
   * @return the violations, empty when valid
   */
  public List<Violation> validateQuery(String rawQuery) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    String q = rawQuery == null ? "" : rawQuery.startsWith("?") ? rawQuery.substring(1) : rawQuery;
    List<Violation> out = new ArrayList<>();
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        out.add(new Violation("?" + pair, "malformed percent-escape in query parameter", ""));
      }
    }
    out.addAll(validateQuery(values));
    return out;
  }

  /**
   * Checks decoded query parameters (name to values, in order): every required parameter is present, every
   * parameter is declared by the operation (the authentication parameters {@code access_token}, and
   * {@code user_id}/{@code device_id} of application-service identity assertion, are allowed everywhere), a
   * parameter that is not an array appears once, and each value fits the parameter's schema after reading
   * integers, numbers and booleans from their text.
   *
   * @param values decoded query parameters: name to values, in order
   * @return the violations, empty when valid
   */
  public List<Violation> validateQuery(Map<String, List<String>> values) {
    List<Violation> out = new ArrayList<>();
    Map<String, Node> declared = new LinkedHashMap<>();
    for (Node parameter : parameters()) {
      Map<String, Object> p = map(parameter.value());
      if ("query".equals(p.get("in"))) {
        declared.put((String) p.get("name"), parameter);
      }
    }
    for (Map.Entry<String, Node> e : declared.entrySet()) {
      Map<String, Object> p = map(e.getValue().value());
      if (Boolean.TRUE.equals(p.get("required")) && !values.containsKey(e.getKey())) {
        out.add(new Violation("?" + e.getKey(), "required query parameter '" + e.getKey() + "' is missing",
            spec.files().display(e.getValue().file(), e.getValue().pointer())));
      }
    }
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      String name = e.getKey();
      Node parameter = declared.get(name);
      if (parameter == null) {
        if (!AUTH_QUERY_PARAMETERS.contains(name)) {
          out.add(new Violation("?" + name, "query parameter '" + name + "' is not declared by " + this, ""));
        }
        continue;
      }
      Node schema = child(parameter, "schema");
      if (schema == null) {
        continue;
      }
      Object type = map(deref(schema).value()).get("type");
      Object instance;
      if ("array".equals(type)) {
        List<Object> items = new ArrayList<>(e.getValue());
        instance = items;
      } else if ("object".equals(type)) {
        continue;
      } else if (e.getValue().size() != 1) {
        out.add(new Violation("?" + name, "query parameter '" + name + "' given " + e.getValue().size()
            + " times but is not an array", ""));
        continue;
      } else {
        instance = fromText(e.getValue().get(0), type);
      }
      for (Violation v : spec.validator().validate(schema, instance)) {
        out.add(new Violation("?" + name + v.instancePath(), v.message(), v.schemaLocation()));
      }
    }
    return out;
  }

  private static Object fromText(String text, Object type) {
    if ("integer".equals(type) || "number".equals(type)) {
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        return text;
      }
    }
    if ("boolean".equals(type) && (text.equals("true") || text.equals("false"))) {
      return Boolean.valueOf(text);
    }
    return text;
  }

  /**
   * The security alternatives of the operation, e.g. {@code [[accessTokenQuery], [accessTokenBearer]]}; an
   * empty inner list means authentication is optional. Empty when the operation needs no authentication.
   *
   * @return the alternatives, in document order
   */
  public List<List<String>> securityAlternatives() {
    Object security = map(node.value()).get("security");
    List<List<String>> out = new ArrayList<>();
    if (security instanceof List) {
      for (Object alternative : (List<?>) security) {
        out.add(List.copyOf(map(alternative).keySet()));
      }
    }
    return out;
  }

  /** {@return whether the operation requires an access token (user or application service), not merely allows one} */
  public boolean requiresAuthentication() {
    List<List<String>> alternatives = securityAlternatives();
    if (alternatives.isEmpty()) {
      return false;
    }
    for (List<String> alternative : alternatives) {
      if (alternative.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private List<Node> parameters() {
    Map<String, Node> byKey = new LinkedHashMap<>();
    String pathItemPointer = node.pointer().substring(0, node.pointer().lastIndexOf('/'));
    collectParameters(new Node(node.file(), pathItemPointer + "/parameters", pathItemParameters), byKey);
    collectParameters(child(node, "parameters"), byKey);
    return new ArrayList<>(byKey.values());
  }

  private void collectParameters(Node list, Map<String, Node> into) {
    if (list == null || !(list.value() instanceof List)) {
      return;
    }
    List<?> items = (List<?>) list.value();
    for (int i = 0; i < items.size(); i++) {
      Node parameter = deref(new Node(list.file(), list.pointer() + "/" + i, items.get(i)));
      Map<String, Object> p = map(parameter.value());
      into.put(p.get("in") + ":" + p.get("name"), parameter);
    }
  }

  // ---- navigation

  private Node requestContent() {
    Node body = child(node, "requestBody");
    return body == null ? null : jsonContent(body);
  }

  private Node response(int status) {
    Node responses = child(node, "responses");
    if (responses == null) {
      return null;
    }
    String exact = Integer.toString(status);
    String range = exact.charAt(0) + "XX";
    for (String key : new String[] {exact, range, "default"}) {
      Node r = child(responses, key);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private Node responseSchema(int status) {
    Node response = response(status);
    if (response != null && (child(response, "content") != null || status < 400)) {
      Node content = jsonContent(response);
      return content == null ? null : child(content, "schema");
    }
    if (status >= 400 && status <= 599) {
      String file = status == 429 ? "rate_limited.json" : "error.json";
      return spec.files().node(spec.files().file("client-server/definitions/errors/" + file), "");
    }
    return null;
  }

  private Node jsonContent(Node requestOrResponse) {
    Node content = child(requestOrResponse, "content");
    return content == null ? null : child(content, JSON);
  }

  private String contentTypes(Node response) {
    Node content = child(response, "content");
    return content == null ? "none" : String.join(", ", map(content.value()).keySet());
  }

  private List<Example> examples(Node content) {
    List<Example> out = new ArrayList<>();
    Node examples = child(content, "examples");
    if (examples != null) {
      for (String name : map(examples.value()).keySet()) {
        Node example = child(examples, name);
        Node value = rawChild(example, "value");
        if (value != null) {
          out.add(example(name, value));
        }
      }
    }
    Node single = rawChild(content, "example");
    if (single != null) {
      out.add(example("example", single));
    }
    Node schema = child(content, "schema");
    for (int hops = 0; schema != null && hops < 10; hops++) {
      Node schemaExample = rawChild(schema, "example");
      if (schemaExample != null) {
        out.add(example("schema example", schemaExample));
        break;
      }
      // A schema that is only a $ref (e.g. definitions/wellknown/full.json): its target's example.
      Object ref = map(schema.value()).get("$ref");
      schema = ref instanceof String ? spec.files().resolveRef(schema.file(), (String) ref) : null;
    }
    return out;
  }

  private Example example(String name, Node value) {
    SpecFiles files = spec.files();
    Object resolved = files.resolveExample(value.file(), value.value());
    return new Example(name, Json.write(resolved), files.display(value.file(), value.pointer()));
  }

  /** The child of a node after following {@code $ref}s at both ends; null if absent. */
  private Node child(Node parent, String key) {
    Node p = deref(parent);
    if (!(p.value() instanceof Map) || !map(p.value()).containsKey(key)) {
      return null;
    }
    return deref(new Node(p.file(), SpecFiles.child(p.pointer(), key), map(p.value()).get(key)));
  }

  /** The child of a node (after following the node's {@code $ref}s) as written: example values keep theirs. */
  private Node rawChild(Node parent, String key) {
    Node p = deref(parent);
    if (!(p.value() instanceof Map) || !map(p.value()).containsKey(key)) {
      return null;
    }
    return new Node(p.file(), SpecFiles.child(p.pointer(), key), map(p.value()).get(key));
  }

  /** Follows OpenAPI reference objects ({@code {"$ref": ...}} with nothing else but descriptions). */
  private Node deref(Node n) {
    Node current = n;
    for (int i = 0; i < 20; i++) {
      if (!(current.value() instanceof Map)) {
        return current;
      }
      Object ref = map(current.value()).get("$ref");
      if (!(ref instanceof String) || isSchemaPointer(current.pointer())) {
        return current;
      }
      current = spec.files().resolveRef(current.file(), (String) ref);
    }
    throw new IllegalStateException("$ref chain too long at " + spec.files().display(n.file(), n.pointer()));
  }

  /** Schemas keep their {@code $ref} for the validator (siblings of a schema $ref also apply). */
  private static boolean isSchemaPointer(String pointer) {
    return pointer.endsWith("/schema") || pointer.contains("/schema/");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  /** {@code METHOD /path/template (operationId)}. */
  @Override
  public String toString() {
    return method + " " + path() + " (" + operationId() + ")";
  }
}
