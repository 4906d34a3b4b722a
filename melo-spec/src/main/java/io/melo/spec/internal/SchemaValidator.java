package io.melo.spec.internal;

import io.melo.spec.Violation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a JSON tree against a JSON Schema (draft 2020-12) in the spec files. Covers the keywords the Matrix spec
 * uses and the other validation keywords of the draft: {@code $ref} (relative files and JSON Pointers, siblings
 * applied too), {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if/then/else}, {@code type} (a
 * name or an array, {@code integer} meaning a number without fraction), {@code enum}, {@code const},
 * {@code properties}, {@code required}, {@code additionalProperties} (boolean or schema), {@code patternProperties},
 * {@code propertyNames}, {@code min/maxProperties}, {@code dependentRequired}, {@code items} (and the older array
 * form), {@code prefixItems}, {@code contains}, {@code min/maxItems}, {@code uniqueItems}, {@code pattern} (Java
 * regex, searched, not anchored), {@code min/maxLength}, {@code minimum}, {@code maximum},
 * {@code exclusiveMinimum/Maximum}, {@code multipleOf}, and the {@code format}s with a plain syntax: the Matrix
 * identifiers (user id {@code @local:server}, room id {@code !}, event id {@code $}, alias {@code #local:server},
 * server name, {@code mxc://server/media} URI, (URL-safe) unpadded base64) and {@code int64}; a format is only
 * checked where the schema has no {@code pattern} (the spec's own check, which would repeat it). Other formats
 * ({@code uri}, {@code email}, ...), annotations, OpenAPI's {@code example} and {@code x-} extensions are ignored. A keyword this class cannot evaluate ({@code unevaluatedProperties},
 * {@code $dynamicRef}, ...) makes it throw rather than pass silently. Thread-safe.
 */
public final class SchemaValidator {
  private static final Set<String> UNSUPPORTED = Set.of(
      "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef", "dependentSchemas", "$id",
      "$anchor", "$dynamicAnchor");
  private static final int MAX_DEPTH = 500;
  private static final String SERVER_NAME = "(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9.-]{1,255})(:[0-9]{1,5})?";
  /** The formats with a simple, unambiguous syntax that are checked; all others are annotations only. */
  private static final Map<String, Pattern> FORMATS = Map.of(
      "mx-user-id", Pattern.compile("^@[^:]*:" + SERVER_NAME + "$"),
      "mx-room-id", Pattern.compile("^!"),
      "mx-event-id", Pattern.compile("^\\$"),
      "mx-room-alias", Pattern.compile("^#[^:]*:" + SERVER_NAME + "$"),
      "mx-server-name", Pattern.compile("^" + SERVER_NAME + "$"),
      "mx-mxc-uri", Pattern.compile("^mxc://" + SERVER_NAME + "/[A-Za-z0-9_-]+$"),
      "mx-unpadded-base64", Pattern.compile("^[A-Za-z0-9+/]*$"),
      "mx-urlsafe-unpadded-base64", Pattern.compile("^[A-Za-z0-9_-]*$"));
  private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private final SpecFiles files;
  private final Map<String, Hook> hooks;
  private final boolean strictProperties;
  private final Set<String> openLocations;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  /** An extra check run wherever a given schema is applied (e.g. per-type checks of embedded events). */
  public interface Hook {
    /**
     * Adds violations of {@code instance}, found at {@code instancePath}, to {@code out}.
     *
     * @param instance the JSON tree to check
     * @param instancePath the JSON Pointer of the instance in the checked document
     * @param out where violations are added
     */
    void check(Object instance, String instancePath, List<Violation> out);
  }

  /**
   * A checker that resolves references in {@code files}.
   *
   * @param files the spec files to resolve references in
   */
  public SchemaValidator(SpecFiles files) {
    this(files, Map.of());
  }

  /**
   * A checker that also runs {@code hooks}, keyed by schema file (relative to the json/ tree, as
   * {@link SpecFiles#display} writes it), whenever the whole schema of that file is applied.
   *
   * @param files the spec files to resolve references in
   * @param hooks the hooks by schema location
   */
  public SchemaValidator(SpecFiles files, Map<String, Hook> hooks) {
    this(files, hooks, false, Set.of());
  }

  /**
   * A checker with hooks that, if {@code strictProperties}, also reports every object property that no schema
   * applied at its place defines, wherever some schema there defines properties at all (like
   * {@code unevaluatedProperties: false} everywhere; objects with no defined properties stay free-form).
   *
   * @param files the spec files to resolve references in
   * @param hooks the hooks by schema location
   * @param strictProperties whether properties no schema defines are violations
   * @param openLocations schema files (relative to the json/ tree) that keep an object and everything inside it
   *     free-form even in the strict check, because the spec knowingly under-describes it (generic event
   *     envelopes, error bodies)
   */
  public SchemaValidator(SpecFiles files, Map<String, Hook> hooks, boolean strictProperties,
      Set<String> openLocations) {
    this.files = files;
    this.hooks = Map.copyOf(hooks);
    this.strictProperties = strictProperties;
    this.openLocations = Set.copyOf(openLocations);
  }

  /**
   * {@return all violations of {@code instance} against the schema at {@code schema}; empty when valid}
   *
   * @param schema where the schema is
   * @param instance the JSON tree to check
   */
  public List<Violation> validate(Node schema, Object instance) {
    Out out = new Out();
    check(schema.file(), schema.pointer(), schema.value(), instance, "", out, 0);
    if (strictProperties) {
      for (Map.Entry<String, Map<?, ?>> e : out.objects.entrySet()) {
        if (isOpen(out.open, e.getKey())) {
          continue;
        }
        Set<String> defined = out.evaluated.get(e.getKey());
        for (Object key : e.getValue().keySet()) {
          if (!defined.contains(key)) {
            out.add(new Violation(SpecFiles.child(e.getKey(), (String) key), "property '" + key
                + "' is not defined by the spec's schemas here (strict check)", ""));
          }
        }
      }
    }
    return hooks.isEmpty() ? out : new ArrayList<>(new LinkedHashSet<>(out));
  }

  /**
   * {@return whether {@code instance} is valid against the schema at {@code schema}}
   *
   * @param schema where the schema is
   * @param instance the JSON tree to check
   */
  public boolean isValid(Node schema, Object instance) {
    return validate(schema, instance).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private void check(Path file, String sp, Object schemaValue, Object inst, String ip, List<Violation> out,
      int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("schema recursion deeper than " + MAX_DEPTH + " at " + files.display(file, sp));
    }
    if (schemaValue instanceof Boolean) {
      if (!(Boolean) schemaValue) {
        add(out, ip, "no value is allowed here", file, sp);
      }
      return;
    }
    if (!(schemaValue instanceof Map)) {
      throw new IllegalStateException("not a schema (a " + Json.typeOf(schemaValue) + ") at " + files.display(file, sp));
    }
    Map<String, Object> schema = (Map<String, Object>) schemaValue;
    // Hooks and open locations are whole files, so only document roots need a look-up.
    if (strictProperties && sp.isEmpty() && inst instanceof Map && openLocations.contains(files.display(file, ""))) {
      ((Out) out).open.add(ip);
    }
    if (!hooks.isEmpty() && sp.isEmpty()) {
      Hook hook = hooks.get(files.display(file, ""));
      if (hook != null) {
        hook.check(inst, ip, out);
      }
    }
    for (String keyword : schema.keySet()) {
      if (UNSUPPORTED.contains(keyword)) {
        throw new IllegalStateException("schema keyword '" + keyword + "' is not supported, at "
            + files.display(file, sp));
      }
    }

    Object ref = schema.get("$ref");
    if (ref instanceof String) {
      Node target = files.resolveRef(file, (String) ref);
      check(target.file(), target.pointer(), target.value(), inst, ip, out, depth + 1);
    }

    Object type = schema.get("type");
    if (type != null && !typeMatches(type, inst)) {
      add(out, ip, "expected " + describeType(type) + " but found " + describeValue(inst), file, sp + "/type");
    }
    if (schema.containsKey("enum")) {
      List<Object> values = (List<Object>) schema.get("enum");
      boolean found = false;
      for (Object v : values) {
        if (Json.equal(v, inst)) {
          found = true;
          break;
        }
      }
      if (!found) {
        add(out, ip, describeValue(inst) + " is not one of " + Json.write(values), file, sp + "/enum");
      }
    }
    if (schema.containsKey("const") && !Json.equal(schema.get("const"), inst)) {
      add(out, ip, describeValue(inst) + " is not the constant " + Json.write(schema.get("const")), file,
          sp + "/const");
    }

    if (inst instanceof Map) {
      checkObject(file, sp, schema, (Map<String, Object>) inst, ip, out, depth);
    } else if (inst instanceof List) {
      checkArray(file, sp, schema, (List<Object>) inst, ip, out, depth);
    } else if (inst instanceof String) {
      checkString(file, sp, schema, (String) inst, ip, out);
    } else if (inst instanceof Number) {
      checkNumber(file, sp, schema, Json.toBigDecimal((Number) inst), ip, out);
    }

    Object allOf = schema.get("allOf");
    if (allOf instanceof List) {
      List<Object> subs = (List<Object>) allOf;
      for (int i = 0; i < subs.size(); i++) {
        check(file, sp + "/allOf/" + i, subs.get(i), inst, ip, out, depth + 1);
      }
    }
    Object anyOf = schema.get("anyOf");
    if (anyOf instanceof List) {
      List<List<Violation>> failures = new ArrayList<>();
      boolean any = false;
      List<Object> subs = (List<Object>) anyOf;
      for (int i = 0; i < subs.size() && !any; i++) {
        Out sub = ((Out) out).branch();
        check(file, sp + "/anyOf/" + i, subs.get(i), inst, ip, sub, depth + 1);
        any = sub.isEmpty();
        if (any) {
          ((Out) out).merge(sub);
        }
        failures.add(sub);
      }
      if (!any) {
        add(out, ip, "matches none of the " + subs.size() + " anyOf alternatives: " + summarize(failures), file,
            sp + "/anyOf");
      }
    }
    Object oneOf = schema.get("oneOf");
    if (oneOf instanceof List) {
      List<List<Violation>> failures = new ArrayList<>();
      List<Integer> matched = new ArrayList<>();
      List<Object> subs = (List<Object>) oneOf;
      for (int i = 0; i < subs.size(); i++) {
        Out sub = ((Out) out).branch();
        check(file, sp + "/oneOf/" + i, subs.get(i), inst, ip, sub, depth + 1);
        if (sub.isEmpty()) {
          matched.add(i);
          ((Out) out).merge(sub);
        }
        failures.add(sub);
      }
      if (matched.isEmpty()) {
        add(out, ip, "matches none of the " + subs.size() + " oneOf alternatives: " + summarize(failures), file,
            sp + "/oneOf");
      } else if (matched.size() > 1) {
        add(out, ip, "matches oneOf alternatives " + matched + " but must match exactly one", file, sp + "/oneOf");
      }
    }
    if (schema.containsKey("not")) {
      Out sub = ((Out) out).branch();
      check(file, sp + "/not", schema.get("not"), inst, ip, sub, depth + 1);
      if (sub.isEmpty()) {
        add(out, ip, "must not match the 'not' schema", file, sp + "/not");
      }
    }
    if (schema.containsKey("if")) {
      Out cond = ((Out) out).branch();
      check(file, sp + "/if", schema.get("if"), inst, ip, cond, depth + 1);
      if (cond.isEmpty()) {
        ((Out) out).merge(cond);
      }
      if (cond.isEmpty() && schema.containsKey("then")) {
        check(file, sp + "/then", schema.get("then"), inst, ip, out, depth + 1);
      } else if (!cond.isEmpty() && schema.containsKey("else")) {
        check(file, sp + "/else", schema.get("else"), inst, ip, out, depth + 1);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void checkObject(Path file, String sp, Map<String, Object> schema, Map<String, Object> inst, String ip,
      List<Violation> out, int depth) {
    Object required = schema.get("required");
    if (required instanceof List) {
      for (Object name : (List<Object>) required) {
        if (!inst.containsKey((String) name)) {
          add(out, ip, "required property '" + name + "' is missing", file, sp + "/required");
        }
      }
    }
    Object dependentRequired = schema.get("dependentRequired");
    if (dependentRequired instanceof Map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) dependentRequired).entrySet()) {
        if (inst.containsKey(e.getKey())) {
          for (Object name : (List<Object>) e.getValue()) {
            if (!inst.containsKey((String) name)) {
              add(out, ip, "property '" + name + "' is required when '" + e.getKey() + "' is present", file,
                  sp + "/dependentRequired");
            }
          }
        }
      }
    }
    checkCount(file, sp, schema, "minProperties", inst.size(), true, "properties", ip, out);
    checkCount(file, sp, schema, "maxProperties", inst.size(), false, "properties", ip, out);

    Map<String, Object> properties = schema.get("properties") instanceof Map
        ? (Map<String, Object>) schema.get("properties") : Map.of();
    Map<String, Object> patternProperties = schema.get("patternProperties") instanceof Map
        ? (Map<String, Object>) schema.get("patternProperties") : Map.of();
    Object additional = schema.get("additionalProperties");
    Object propertyNames = schema.get("propertyNames");
    Set<String> defined = null;
    if (strictProperties && (schema.containsKey("properties") || schema.containsKey("patternProperties")
        || additional != null)) {
      defined = ((Out) out).evaluated.computeIfAbsent(ip, k -> new HashSet<>());
      ((Out) out).objects.put(ip, inst);
    }
    for (Map.Entry<String, Object> e : inst.entrySet()) {
      String name = e.getKey();
      String childIp = SpecFiles.child(ip, name);
      boolean covered = false;
      if (properties.containsKey(name)) {
        covered = true;
        check(file, SpecFiles.child(sp + "/properties", name), properties.get(name), e.getValue(), childIp, out,
            depth + 1);
      }
      for (Map.Entry<String, Object> p : patternProperties.entrySet()) {
        if (pattern(p.getKey(), file, sp).matcher(name).find()) {
          covered = true;
          check(file, SpecFiles.child(sp + "/patternProperties", p.getKey()), p.getValue(), e.getValue(), childIp,
              out, depth + 1);
        }
      }
      if (defined != null && (covered || additional != null)) {
        defined.add(name);
      }
      if (!covered && additional != null) {
        if (Boolean.FALSE.equals(additional)) {
          add(out, childIp, "property '" + name + "' is not allowed here", file, sp + "/additionalProperties");
        } else {
          check(file, sp + "/additionalProperties", additional, e.getValue(), childIp, out, depth + 1);
        }
      }
      if (propertyNames != null) {
        Out sub = ((Out) out).branch();
        check(file, sp + "/propertyNames", propertyNames, name, childIp, sub, depth + 1);
        for (Violation v : sub) {
          out.add(new Violation(childIp, "property name '" + name + "': " + v.message(), v.schemaLocation()));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void checkArray(Path file, String sp, Map<String, Object> schema, List<Object> inst, String ip,
      List<Violation> out, int depth) {
    checkCount(file, sp, schema, "minItems", inst.size(), true, "items", ip, out);
    checkCount(file, sp, schema, "maxItems", inst.size(), false, "items", ip, out);
    int prefix = 0;
    Object prefixItems = schema.get("prefixItems");
    Object items = schema.get("items");
    if (items instanceof List) {
      prefixItems = items;
      items = schema.get("additionalItems");
    }
    if (prefixItems instanceof List) {
      List<Object> subs = (List<Object>) prefixItems;
      prefix = Math.min(subs.size(), inst.size());
      for (int i = 0; i < prefix; i++) {
        check(file, sp + "/prefixItems/" + i, subs.get(i), inst.get(i), ip + "/" + i, out, depth + 1);
      }
    }
    if (items != null) {
      for (int i = prefix; i < inst.size(); i++) {
        check(file, sp + "/items", items, inst.get(i), ip + "/" + i, out, depth + 1);
      }
    }
    if (schema.containsKey("contains")) {
      int matches = 0;
      for (Object element : inst) {
        Out sub = ((Out) out).branch();
        check(file, sp + "/contains", schema.get("contains"), element, ip, sub, depth + 1);
        if (sub.isEmpty()) {
          matches++;
        }
      }
      int min = schema.get("minContains") instanceof Number ? ((Number) schema.get("minContains")).intValue() : 1;
      if (matches < min) {
        add(out, ip, "array contains " + matches + " matching items, at least " + min + " required", file,
            sp + "/contains");
      }
    }
    if (Boolean.TRUE.equals(schema.get("uniqueItems"))) {
      for (int i = 0; i < inst.size(); i++) {
        for (int j = i + 1; j < inst.size(); j++) {
          if (Json.equal(inst.get(i), inst.get(j))) {
            add(out, ip, "items " + i + " and " + j + " are equal but must be unique", file, sp + "/uniqueItems");
          }
        }
      }
    }
  }

  private void checkString(Path file, String sp, Map<String, Object> schema, String inst, String ip,
      List<Violation> out) {
    Object pattern = schema.get("pattern");
    if (pattern instanceof String && !pattern((String) pattern, file, sp).matcher(inst).find()) {
      add(out, ip, "'" + abbreviate(inst) + "' does not match pattern " + pattern, file, sp + "/pattern");
    }
    Object format = schema.get("format");
    if (format instanceof String && FORMATS.containsKey(format) && pattern == null
        && !FORMATS.get(format).matcher(inst).find()) {
      add(out, ip, "'" + abbreviate(inst) + "' is not a valid " + format, file, sp + "/format");
    }
    int length = inst.codePointCount(0, inst.length());
    checkCount(file, sp, schema, "minLength", length, true, "characters", ip, out);
    checkCount(file, sp, schema, "maxLength", length, false, "characters", ip, out);
  }

  private void checkNumber(Path file, String sp, Map<String, Object> schema, BigDecimal inst, String ip,
      List<Violation> out) {
    bound(file, sp, schema, "minimum", inst, ip, out, c -> c >= 0, ">=");
    bound(file, sp, schema, "maximum", inst, ip, out, c -> c <= 0, "<=");
    bound(file, sp, schema, "exclusiveMinimum", inst, ip, out, c -> c > 0, ">");
    bound(file, sp, schema, "exclusiveMaximum", inst, ip, out, c -> c < 0, "<");
    if ("int64".equals(schema.get("format")) && (inst.compareTo(INT64_MIN) < 0 || inst.compareTo(INT64_MAX) > 0)) {
      add(out, ip, inst.toPlainString() + " is not a valid int64", file, sp + "/format");
    }
    Object multipleOf = schema.get("multipleOf");
    if (multipleOf instanceof Number) {
      BigDecimal m = Json.toBigDecimal((Number) multipleOf);
      if (m.signum() != 0 && inst.remainder(m).signum() != 0) {
        add(out, ip, inst.toPlainString() + " is not a multiple of " + m.toPlainString(), file, sp + "/multipleOf");
      }
    }
  }

  private interface Comparison {
    boolean ok(int compareResult);
  }

  private void bound(Path file, String sp, Map<String, Object> schema, String keyword, BigDecimal inst, String ip,
      List<Violation> out, Comparison comparison, String op) {
    Object limit = schema.get(keyword);
    if (limit instanceof Number) {
      BigDecimal l = Json.toBigDecimal((Number) limit);
      if (!comparison.ok(inst.compareTo(l))) {
        add(out, ip, inst.toPlainString() + " must be " + op + " " + l.toPlainString(), file, sp + "/" + keyword);
      }
    }
  }

  private void checkCount(Path file, String sp, Map<String, Object> schema, String keyword, int actual,
      boolean isMin, String what, String ip, List<Violation> out) {
    Object limit = schema.get(keyword);
    if (limit instanceof Number) {
      int l = ((Number) limit).intValue();
      if (isMin ? actual < l : actual > l) {
        add(out, ip, "has " + actual + " " + what + ", " + (isMin ? "at least " : "at most ") + l + " allowed",
            file, sp + "/" + keyword);
      }
    }
  }

  private Pattern pattern(String regex, Path file, String sp) {
    return patterns.computeIfAbsent(regex, r -> {
      try {
        return Pattern.compile(r);
      } catch (PatternSyntaxException e) {
        throw new IllegalStateException("schema pattern '" + r + "' at " + files.display(file, sp)
            + " is not a Java regex: " + e.getDescription(), e);
      }
    });
  }

  private static boolean typeMatches(Object type, Object inst) {
    if (type instanceof List) {
      for (Object t : (List<?>) type) {
        if (typeMatches(t, inst)) {
          return true;
        }
      }
      return false;
    }
    switch (String.valueOf(type)) {
      case "object":
        return inst instanceof Map;
      case "array":
        return inst instanceof List;
      case "string":
        return inst instanceof String;
      case "boolean":
        return inst instanceof Boolean;
      case "null":
        return inst == null;
      case "number":
        return inst instanceof Number;
      case "integer":
        if (!(inst instanceof Number)) {
          return false;
        }
        BigDecimal d = Json.toBigDecimal((Number) inst);
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
      default:
        throw new IllegalStateException("unknown JSON Schema type '" + type + "'");
    }
  }

  private static String describeType(Object type) {
    if (type instanceof List) {
      List<String> names = new ArrayList<>();
      for (Object t : (List<?>) type) {
        names.add(String.valueOf(t));
      }
      return String.join(" or ", names);
    }
    return String.valueOf(type);
  }

  private static String describeValue(Object inst) {
    if (inst instanceof Map || inst instanceof List) {
      return Json.typeOf(inst);
    }
    String text = inst instanceof String ? "'" + abbreviate((String) inst) + "'" : String.valueOf(inst);
    return Json.typeOf(inst) + " " + text;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static String summarize(List<List<Violation>> failures) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < failures.size(); i++) {
      List<Violation> f = failures.get(i);
      sb.append(i == 0 ? "" : "; ").append('#').append(i).append(" {");
      for (int j = 0; j < Math.min(3, f.size()); j++) {
        Violation v = f.get(j);
        sb.append(j == 0 ? "" : ", ").append(v.instancePath().isEmpty() ? "(root)" : v.instancePath())
            .append(": ").append(v.message());
      }
      if (f.size() > 3) {
        sb.append(", ... ").append(f.size() - 3).append(" more");
      }
      sb.append('}');
    }
    return sb.toString();
  }

  /** Whether the object at {@code ip} is in a subtree that an open schema location keeps free-form. */
  private static boolean isOpen(Set<String> open, String ip) {
    for (String prefix : open) {
      if (ip.equals(prefix) || ip.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Violations found, plus (for the strict check) which properties the applied schemas define, per object. */
  private static final class Out extends ArrayList<Violation> {
    private static final long serialVersionUID = 1L;
    final Map<String, Set<String>> evaluated = new LinkedHashMap<>();
    final Map<String, Map<?, ?>> objects = new LinkedHashMap<>();
    final Set<String> open = new HashSet<>();

    Out branch() {
      return new Out();
    }

    void merge(Out valid) {
      for (Map.Entry<String, Set<String>> e : valid.evaluated.entrySet()) {
        evaluated.computeIfAbsent(e.getKey(), k -> new HashSet<>()).addAll(e.getValue());
      }
      objects.putAll(valid.objects);
      open.addAll(valid.open);
    }
  }

  private void add(List<Violation> out, String ip, String message, Path file, String sp) {
    out.add(new Violation(ip, message, files.display(file, sp)));
  }
}
