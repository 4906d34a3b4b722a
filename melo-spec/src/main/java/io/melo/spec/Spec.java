package io.melo.spec;

import io.melo.spec.internal.Json;
import io.melo.spec.internal.Node;
import io.melo.spec.internal.PathTemplate;
import io.melo.spec.internal.SchemaValidator;
import io.melo.spec.internal.SpecFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Matrix Client-Server API as the specification's own data describes it (the OpenAPI documents and JSON
 * Schemas in {@code shared/spec}), for contract tests: find the {@link Operation} for a request, then check request
 * and response bodies against its schemas. Immutable and thread-safe; {@link #load()} caches one instance.
 *
 * <pre>{@code
 * Operation send = Spec.load().operation("PUT", "/_matrix/client/v3/rooms/%21a%3Ab/send/m.room.message/t1");
 * send.assertValidRequest("{\"msgtype\":\"m.text\",\"body\":\"hi\"}");
 * send.assertValidResponse(200, "{\"event_id\":\"$e\"}");
 * }</pre>
 */
public final class Spec {
  /** System property and environment variable that point at the spec directory (the one with README.md). */
  public static final String SPEC_DIR_PROPERTY = "MELO_SPEC_DIR";

  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final Map<Path, Spec> LOADED = new ConcurrentHashMap<>();

  private final SpecFiles files;
  private final SchemaValidator validator;
  private final SchemaValidator deepValidator;
  private final SchemaValidator strictValidator;
  private final List<Operation> operations;
  private final Map<String, Operation> byId;
  private final EventCatalog events;

  private Spec(Path dir) {
    this.files = new SpecFiles(dir);
    this.validator = new SchemaValidator(files);
    List<Operation> ops = new ArrayList<>();
    Map<String, Operation> ids = new LinkedHashMap<>();
    for (Path doc : listJson(files.file("client-server"))) {
      for (Operation op : readOperations(doc)) {
        if (op.operationId() != null && ids.put(op.operationId(), op) != null) {
          throw new IllegalStateException("operationId " + op.operationId() + " is not unique");
        }
        ops.add(op);
      }
    }
    this.operations = List.copyOf(ops);
    this.byId = Collections.unmodifiableMap(ids);
    this.events = new EventCatalog(files, validator);
    Map<String, SchemaValidator.Hook> hooks = new LinkedHashMap<>();
    for (String location : EventCatalog.EMBEDDED_EVENT_SCHEMAS) {
      hooks.put(location, events::checkEmbedded);
    }
    this.deepValidator = new SchemaValidator(files, hooks);
    Set<String> open = new HashSet<>(EventCatalog.EMBEDDED_EVENT_SCHEMAS);
    open.add("client-server/definitions/errors/error.json");
    open.add("client-server/definitions/errors/rate_limited.json");
    this.strictValidator = new SchemaValidator(files, Map.of(), true, open);
  }

  /**
   * The spec found by {@link #locate()}, loaded once per JVM.
   *
   * @return the spec
   * @throws IllegalStateException if the spec directory cannot be found or read
   */
  public static Spec load() {
    return load(locate());
  }

  /**
   * {@return the spec in {@code specDir}, loaded once per directory}
   *
   * @param specDir the spec directory (holding README.md and {@code json/})
   */
  public static Spec load(Path specDir) {
    return LOADED.computeIfAbsent(specDir.toAbsolutePath().normalize(), Spec::new);
  }

  /**
   * Finds the spec directory: the system property or environment variable {@value #SPEC_DIR_PROPERTY} if set,
   * otherwise the first {@code shared/spec} (with its README.md) found walking up from {@code user.dir}; the
   * repository lives at {@code X/main} or {@code X/wt-*}, the spec at {@code X/shared/spec}.
   *
   * @return the spec directory
   * @throws IllegalStateException naming where it looked, when there is no spec
   */
  public static Path locate() {
    String override = System.getProperty(SPEC_DIR_PROPERTY);
    if (override == null || override.isBlank()) {
      override = System.getenv(SPEC_DIR_PROPERTY);
    }
    if (override != null && !override.isBlank()) {
      Path dir = Paths.get(override).toAbsolutePath().normalize();
      if (!Files.isDirectory(dir.resolve("json"))) {
        throw new IllegalStateException(SPEC_DIR_PROPERTY + "=" + override + " is not a Matrix spec directory "
            + "(expected README.md and json/ in " + dir + ")");
      }
      return dir;
    }
    return locateFrom(Paths.get(System.getProperty("user.dir")));
  }

  /** The first {@code shared/spec} with README.md and json/ in {@code start} or a parent; fails naming start. */
  static Path locateFrom(Path from) {
    Path start = from.toAbsolutePath().normalize();
    for (Path d = start; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared").resolve("spec");
      if (Files.isRegularFile(candidate.resolve("README.md")) && Files.isDirectory(candidate.resolve("json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("Matrix spec data not found: no shared/spec/README.md (with json/) in "
        + start + " or any parent directory. Put the spec next to the repository (X/shared/spec beside X/main) "
        + "or set the system property or environment variable " + SPEC_DIR_PROPERTY + " to its directory.");
  }

  /** {@return the spec directory this instance was loaded from} */
  public Path directory() {
    return files.specDir();
  }

  /** {@return every operation of the Client-Server API, in document order} */
  public List<Operation> operations() {
    return operations;
  }

  /**
   * The operation a request goes to, or a test failure.
   *
   * @param method the HTTP method, any case
   * @param path the request path (or full URL), percent-encoded or not, query allowed
   * @return the operation
   * @throws AssertionError if no operation of the spec matches, listing the templates of similar shape
   */
  public Operation operation(String method, String path) {
    return match(method, path).map(OperationMatch::operation).orElseThrow(() -> new AssertionError(
        "no operation in the Matrix spec for " + method.toUpperCase(Locale.ROOT) + " " + path + similar(path)));
  }

  /**
   * Like {@link #operation} but empty when no operation matches.
   *
   * @param method the HTTP method, any case
   * @param path the request path (or full URL), percent-encoded or not, query allowed
   * @return the operation, or empty
   */
  public Optional<Operation> findOperation(String method, String path) {
    return match(method, path).map(OperationMatch::operation);
  }

  /**
   * Matches a request to its operation and extracts the decoded path parameters. Legacy {@code r0} prefixes are
   * read as {@code v3}. When several templates match, a literal segment beats a parameter. A state path without
   * its (empty) state key and trailing slash also matches, as the spec allows. Where the spec describes the same
   * request twice (see {@link #operationsFor}), the first in document order is returned.
   *
   * @param method the HTTP method, any case
   * @param path the request path (or full URL), percent-encoded or not, query allowed
   * @return the match, or empty if no operation matches
   * @throws IllegalArgumentException if the path is not absolute or has a malformed percent-escape
   */
  public Optional<OperationMatch> match(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    String raw = PathTemplate.rawPath(path);
    if (raw.startsWith("/_matrix/client/r0/")) {
      raw = "/_matrix/client/v3/" + raw.substring("/_matrix/client/r0/".length());
    } else if (raw.startsWith("/_matrix/media/r0/")) {
      raw = "/_matrix/media/v3/" + raw.substring("/_matrix/media/r0/".length());
    }
    List<String> segments = PathTemplate.decodedSegments(raw);
    Optional<OperationMatch> found = best(m, segments, false);
    if (found.isEmpty()) {
      List<String> withEmptyKey = new ArrayList<>(segments);
      withEmptyKey.add("");
      found = best(m, withEmptyKey, true);
    }
    return found;
  }

  private Optional<OperationMatch> best(String method, List<String> segments, boolean onlyStateKey) {
    OperationMatch best = null;
    for (Operation op : operations) {
      if (!op.method().equals(method) || (onlyStateKey && !"stateKey".equals(op.template().lastParameter()))) {
        continue;
      }
      Map<String, String> params = op.template().match(segments);
      if (params != null
          && (best == null || PathTemplate.bySpecificity(op.template(), best.operation().template()) < 0)) {
        best = new OperationMatch(op, params);
      }
    }
    return Optional.ofNullable(best);
  }

  private String similar(String path) {
    int size;
    try {
      size = PathTemplate.decodedSegments(PathTemplate.rawPath(path)).size();
    } catch (IllegalArgumentException e) {
      return " (" + e.getMessage() + ")";
    }
    String list = operations.stream().filter(o -> o.template().size() == size)
        .map(o -> o.method() + " " + o.path()).sorted().limit(30).collect(Collectors.joining("\n  "));
    return list.isEmpty() ? "" : "; operations with as many segments:\n  " + list;
  }

  /**
   * Checks a whole request as a server would receive it: the operation must exist, and its path parameters, query
   * string and JSON body must fit the spec. The body of {@code PUT .../send/{eventType}/{txnId}} and
   * {@code PUT .../state/{eventType}/{stateKey}} is also checked as the content of an event of that type against
   * the type's event schema (when the spec has one). Where the spec describes the request twice (see
   * {@link #operationsFor}), the request is valid if it fits either. For contract tests of a client against a
   * mock server.
   *
   * @param method the HTTP method
   * @param target the request target: path with query (or a full URL), percent-encoded as sent
   * @param body the request body as text; null or empty for none
   * @return the violations, empty when valid
   * @throws AssertionError if no operation matches
   */
  public List<Violation> validateRequest(String method, String target, String body) {
    return checkRequest(method, target, body).violations;
  }

  /** The alternative the request fits best (the first that fits, else the one with fewest violations). */
  private CheckedRequest checkRequest(String method, String target, String body) {
    OperationMatch match = match(method, target).orElseThrow(() -> new AssertionError(
        "no operation in the Matrix spec for " + method.toUpperCase(Locale.ROOT) + " " + target + similar(target)));
    CheckedRequest best = null;
    for (Operation alternative : alternatives(match.operation())) {
      OperationMatch m = new OperationMatch(alternative, match.pathParameters());
      List<Violation> violations = checkRequest(m, target, body);
      if (best == null || violations.size() < best.violations.size()) {
        best = new CheckedRequest(alternative, violations);
      }
      if (violations.isEmpty()) {
        break;
      }
    }
    return best;
  }

  private static final class CheckedRequest {
    final Operation operation;
    final List<Violation> violations;

    CheckedRequest(Operation operation, List<Violation> violations) {
      this.operation = operation;
      this.violations = violations;
    }
  }

  private List<Violation> checkRequest(OperationMatch match, String target, String body) {
    List<Violation> out = new ArrayList<>(match.validatePathParameters());
    out.addAll(match.operation().validateQuery(rawQuery(target)));
    List<Violation> bodyViolations = match.operation().validateRequest(body);
    out.addAll(bodyViolations);
    String id = match.operation().operationId();
    if (bodyViolations.isEmpty() && ("sendMessage".equals(id) || "setRoomStateWithKey".equals(id))) {
      Map<String, String> params = match.pathParameters();
      out.addAll(events.checkContent(params.get("eventType"), params.get("stateKey"), Json.parse(body)));
    }
    return out;
  }

  /**
   * Like {@link #validateRequest(String, String, String)} but throws {@link SpecViolationsError} listing the
   * violations.
   *
   * @param method the HTTP method, any case
   * @param target the request target: path with query (or a full URL), percent-encoded as sent
   * @param body the request body as text; null or empty for none
   * @return the operation the request went to, for further checks of the response
   */
  public Operation assertValidRequest(String method, String target, String body) {
    CheckedRequest checked = checkRequest(method, target, body);
    throwIfAny("request " + method.toUpperCase(Locale.ROOT) + " " + target + " to " + checked.operation,
        checked.violations);
    return checked.operation;
  }

  private static String rawQuery(String target) {
    int q = target.indexOf('?');
    if (q < 0) {
      return "";
    }
    int hash = target.indexOf('#', q);
    return hash < 0 ? target.substring(q + 1) : target.substring(q + 1, hash);
  }

  /**
   * Every operation a request may go to: usually one, but the spec describes two requests twice, with different
   * bodies ({@code POST /rooms/{roomId}/invite}: {@code inviteUser} and {@code inviteBy3PID};
   * {@code GET /events}: the deprecated {@code getEvents} and {@code peekEvents}).
   *
   * @param method the HTTP method, any case
   * @param path the request path (or full URL), percent-encoded or not, query allowed
   * @return the operations in document order; empty if none matches
   */
  public List<Operation> operationsFor(String method, String path) {
    return match(method, path).map(m -> alternatives(m.operation())).orElse(List.of());
  }

  private List<Operation> alternatives(Operation op) {
    List<Operation> out = new ArrayList<>();
    for (Operation o : operations) {
      if (o.method().equals(op.method()) && o.path().equals(op.path())) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The operation with this {@code operationId} (such as {@code sendMessage}).
   *
   * @param operationId the operation id
   * @return the operation
   * @throws IllegalArgumentException if there is none
   */
  public Operation operationById(String operationId) {
    Operation op = byId.get(operationId);
    if (op == null) {
      throw new IllegalArgumentException("no operation with operationId '" + operationId + "' in the spec");
    }
    return op;
  }

  /**
   * Checks JSON against any schema of the spec, named as {@code file#pointer} relative to the json/ tree, e.g.
   * {@code client-server/definitions/sync_filter.json} or
   * {@code client-server/sync.json#/paths/~1sync/get/responses/200/content/application~1json/schema}.
   *
   * @param schemaRef {@code file#pointer} relative to the json/ tree
   * @param json the JSON text to check
   * @return the violations; a text that is not JSON gives one violation
   */
  public List<Violation> validate(String schemaRef, String json) {
    int hash = schemaRef.indexOf('#');
    String file = hash < 0 ? schemaRef : schemaRef.substring(0, hash);
    Node schema = files.resolveRef(files.file(file), hash < 0 ? "" : schemaRef.substring(hash));
    return validateTree(schema, json);
  }

  /**
   * Like {@link #validate(String, String)} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param schemaRef {@code file#pointer} relative to the json/ tree
   * @param json the JSON text to check
   */
  public void assertValid(String schemaRef, String json) {
    throwIfAny(schemaRef, validate(schemaRef, json));
  }

  List<Violation> validateTree(Node schema, String json) {
    return validateTree(schema, json, validator);
  }

  List<Violation> validateTree(Node schema, String json, SchemaValidator using) {
    Object tree;
    try {
      tree = Json.parse(json);
    } catch (IllegalArgumentException e) {
      return List.of(new Violation("", "not JSON: " + e.getMessage(), ""));
    }
    return using.validate(schema, tree);
  }

  static void throwIfAny(String what, List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new SpecViolationsError(what, violations);
    }
  }

  SpecFiles files() {
    return files;
  }

  SchemaValidator validator() {
    return validator;
  }

  SchemaValidator deepValidator() {
    return deepValidator;
  }

  SchemaValidator strictValidator() {
    return strictValidator;
  }

  EventCatalog events() {
    return events;
  }

  @SuppressWarnings("unchecked")
  private List<Operation> readOperations(Path doc) {
    Map<String, Object> root = (Map<String, Object>) files.read(doc);
    String base = basePath(root);
    List<Operation> out = new ArrayList<>();
    Object paths = root.get("paths");
    if (!(paths instanceof Map)) {
      return out;
    }
    for (Map.Entry<String, Object> p : ((Map<String, Object>) paths).entrySet()) {
      Map<String, Object> item = (Map<String, Object>) p.getValue();
      for (String method : METHODS) {
        if (item.containsKey(method)) {
          String pointer = SpecFiles.child("/paths", p.getKey()) + "/" + method;
          out.add(new Operation(this, method.toUpperCase(Locale.ROOT), new PathTemplate(base + p.getKey().strip()),
              new Node(doc, pointer, item.get(method)), item.get("parameters")));
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String basePath(Map<String, Object> root) {
    try {
      Map<String, Object> server = (Map<String, Object>) ((List<Object>) root.get("servers")).get(0);
      Map<String, Object> vars = (Map<String, Object>) server.get("variables");
      Object def = ((Map<String, Object>) vars.get("basePath")).get("default");
      String base = (String) def;
      return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static List<Path> listJson(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
          .sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Lists the JSON files of a directory (not recursive), sorted by name. */
  static List<Path> jsonFiles(Path dir) {
    return listJson(dir);
  }

  @Override
  public String toString() {
    return "Spec[" + directory() + ", " + operations.size() + " operations]";
  }
}
