package io.melo.testkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The spec's push-rule evaluation for one event and one user: the rules of the user's ruleset in
 * priority order (override, content, room, sender, underride), the first enabled rule whose
 * conditions all hold gives the actions. Conditions: {@code event_match} (glob, case-insensitive,
 * whole value; on {@code content.body} at word boundaries, as content rules), {@code
 * event_property_is}, {@code event_property_contains} (dot-separated keys with {@code \.} and {@code
 * \\} escapes), {@code contains_display_name} (the user's display name in the room, at word
 * boundaries), {@code room_member_count} ({@code ==, <, >, <=, >=}) and {@code
 * sender_notification_permission}; an unknown condition never matches. An event with {@code
 * m.mentions} skips the legacy mention rules ({@code .m.rule.contains_display_name}, {@code
 * .m.rule.contains_user_name}, {@code .m.rule.roomnotif}), as the spec asks since v1.7.
 */
final class PushRuleEvaluator {
  private static final List<String> KINDS = List.of("override", "content", "room", "sender", "underride");
  private static final List<String> LEGACY_MENTION_RULES =
      List.of(".m.rule.contains_display_name", ".m.rule.contains_user_name", ".m.rule.roomnotif");

  /** What a user's rules decided for an event: the matching rule's actions, whether it notifies and highlights. */
  record Outcome(List<Object> actions, boolean notifies, boolean highlight) {}

  /** The facts about the room at the event that conditions read. */
  record RoomFacts(int joinedMembers, String displayName, long senderLevel, Map<?, ?> notificationLevels) {
    /** The power level {@code notifications.<key>} asks of a sender (the spec's default: 50). */
    long notificationLevel(String key) {
      Long v = notificationLevels == null ? null : PowerLevels.asLevel(notificationLevels.get(key));
      return v == null ? 50 : v;
    }
  }

  private PushRuleEvaluator() {}

  /**
   * Evaluates {@code ruleset} (the {@code m.push_rules} content: {@code {"global": {...}}}) for an
   * event; null when no enabled rule matches.
   */
  static Outcome evaluate(Map<String, Object> ruleset, Event event, RoomFacts facts) {
    Object global = ruleset.get("global");
    if (!(global instanceof Map)) {
      return null;
    }
    boolean hasMentions = event.content().get("m.mentions") instanceof Map;
    for (int k = 0; k < KINDS.size(); k++) {
      String kind = KINDS.get(k);
      Object rules = ((Map<?, ?>) global).get(kind);
      if (!(rules instanceof List)) {
        continue;
      }
      List<?> ruleList = (List<?>) rules;
      for (int i = 0, n = ruleList.size(); i < n; i++) {
        Object o = ruleList.get(i);
        if (!(o instanceof Map)) {
          continue;
        }
        Map<?, ?> rule = (Map<?, ?>) o;
        if (!Boolean.TRUE.equals(rule.get("enabled"))) {
          continue;
        }
        Object ruleId = rule.get("rule_id");
        if (hasMentions && LEGACY_MENTION_RULES.contains(ruleId)) {
          continue;
        }
        if (matches(kind, rule, event, facts)) {
          return outcome(rule.get("actions"));
        }
      }
    }
    return null;
  }

  /**
   * Outcomes by the identity of a rule's actions list: a rule's actions are replaced, never changed
   * in place (PUT .../actions puts a new list), so every member's evaluation of the same rule shares
   * one immutable outcome instead of copying the actions each time. Bounded.
   */
  private static final Map<Object, Outcome> OUTCOMES = new java.util.IdentityHashMap<>();

  private static Outcome outcome(Object actionsValue) {
    synchronized (OUTCOMES) {
      Outcome cached = OUTCOMES.get(actionsValue);
      if (cached != null) {
        return cached;
      }
    }
    Outcome computed = computeOutcome(actionsValue);
    synchronized (OUTCOMES) {
      if (OUTCOMES.size() >= 4096) {
        OUTCOMES.clear();
      }
      OUTCOMES.put(actionsValue, computed);
    }
    return computed;
  }

  private static Outcome computeOutcome(Object actionsValue) {
    List<Object> actions = actionsValue instanceof List ? new ArrayList<>((List<?>) actionsValue) : List.of();
    boolean notify = false;
    boolean highlight = false;
    for (Object a : actions) {
      if ("notify".equals(a) || "coalesce".equals(a)) {
        notify = true;
      } else if (a instanceof Map && "highlight".equals(((Map<?, ?>) a).get("set_tweak"))) {
        Map<?, ?> tweak = (Map<?, ?>) a;
        highlight = !tweak.containsKey("value") || Boolean.TRUE.equals(tweak.get("value"));
      }
    }
    return new Outcome(List.copyOf(actions), notify, notify && highlight);
  }

  private static boolean matches(String kind, Map<?, ?> rule, Event event, RoomFacts facts) {
    Object ruleId = rule.get("rule_id");
    switch (kind) {
      case "content":
        {
          Object pattern = rule.get("pattern");
          Object body = event.content().get("body");
          return pattern instanceof String && body instanceof String
              && globAtWordBoundary((String) pattern, (String) body);
        }
      case "room":
        return ruleId instanceof String && ruleId.equals(event.roomId());
      case "sender":
        return ruleId instanceof String && ruleId.equals(event.sender());
      default:
        {
          Object conditions = rule.get("conditions");
          if (conditions != null && !(conditions instanceof List)) {
            return false;
          }
          if (conditions == null) {
            return true;
          }
          List<?> list = (List<?>) conditions;
          for (int i = 0, n = list.size(); i < n; i++) {
            Object c = list.get(i);
            if (!(c instanceof Map) || !condition((Map<?, ?>) c, event, facts)) {
              return false;
            }
          }
          return true;
        }
    }
  }

  private static boolean condition(Map<?, ?> c, Event event, RoomFacts facts) {
    Object kind = c.get("kind");
    if (!(kind instanceof String)) {
      return false;
    }
    switch ((String) kind) {
      case "event_match":
        {
          Object key = c.get("key");
          Object pattern = c.get("pattern");
          if (!(key instanceof String) || !(pattern instanceof String)) {
            return false;
          }
          Object value = property(event, (String) key);
          if (!(value instanceof String)) {
            return false;
          }
          String glob = (String) pattern;
          if (key.equals("content.body")) {
            return globAtWordBoundary(glob, (String) value);
          }
          if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
            return glob.equalsIgnoreCase((String) value); // most rules: a literal type or msgtype
          }
          return glob(glob).matcher((String) value).matches();
        }
      case "event_property_is":
        {
          Object key = c.get("key");
          if (!(key instanceof String) || !c.containsKey("value")) {
            return false;
          }
          Object value = property(event, (String) key);
          return value != MISSING && sameScalar(value, c.get("value"));
        }
      case "event_property_contains":
        {
          Object key = c.get("key");
          if (!(key instanceof String) || !c.containsKey("value")) {
            return false;
          }
          Object value = property(event, (String) key);
          if (!(value instanceof List)) {
            return false;
          }
          for (Object item : (List<?>) value) {
            if (sameScalar(item, c.get("value"))) {
              return true;
            }
          }
          return false;
        }
      case "contains_display_name":
        {
          Object body = event.content().get("body");
          String name = facts.displayName();
          return body instanceof String && name != null && !name.isEmpty()
              && literalAtWordBoundary(name, (String) body);
        }
      case "room_member_count":
        {
          Object is = c.get("is");
          if (!(is instanceof String)) {
            return false;
          }
          return memberCountMatches((String) is, facts.joinedMembers());
        }
      case "sender_notification_permission":
        {
          Object key = c.get("key");
          if (!(key instanceof String)) {
            return false;
          }
          return facts.senderLevel() >= facts.notificationLevel((String) key);
        }
      default:
        return false; // the spec: an unrecognised condition never matches
    }
  }

  /**
   * Whether a {@code room_member_count} {@code is} value, {@code (==|<=|>=|<|>)?[0-9]{1,9}}, holds for
   * {@code count}; false for a malformed one.
   */
  static boolean memberCountMatches(String spec, long count) {
    // (==|<=|>=|<|>)?([0-9]{1,9}), parsed by hand: a Matcher per member per event was the
    // largest allocation of push-rule evaluation.
    String op = memberCountOp(spec);
    int digits = op == null ? 0 : op.length();
    if (op == null) {
      op = "==";
    }
    int len = spec.length() - digits;
    if (len < 1 || len > 9) {
      return false;
    }
    long n = 0;
    for (int i = digits; i < spec.length(); i++) {
      char ch = spec.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
      n = n * 10 + (ch - '0');
    }
    switch (op) {
      case "<":
        return count < n;
      case ">":
        return count > n;
      case "<=":
        return count <= n;
      case ">=":
        return count >= n;
      default:
        return count == n;
    }
  }

  /** The comparison a {@code room_member_count} {@code is} starts with, or null when none. */
  private static String memberCountOp(String spec) {
    for (String op : MEMBER_COUNT_OPS) {
      if (spec.startsWith(op)) {
        return op;
      }
    }
    return null;
  }

  /** Longest first, so that {@code <=} is not read as {@code <}. */
  private static final String[] MEMBER_COUNT_OPS = {"==", "<=", ">=", "<", ">"};

  private static final Object MISSING = new Object();

  /**
   * The split of each condition key seen (immutable lists): every event is evaluated for every
   * member against the same few keys, which would otherwise be split (and their parts allocated)
   * each time.
   */
  private static final Map<String, List<String>> KEY_PARTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The value at a dot-separated path ({@code \.} is a literal dot, {@code \\} a backslash), or MISSING. */
  static Object property(Event event, String key) {
    List<String> parts = KEY_PARTS.get(key);
    if (parts == null) {
      if (KEY_PARTS.size() > 1024) {
        KEY_PARTS.clear(); // keys come from rules: a handful in practice; keep the cache bounded
      }
      parts = splitKey(key);
      KEY_PARTS.put(key, parts);
    }
    Object current;
    switch (parts.get(0)) {
      case "type":
        current = event.type();
        break;
      case "sender":
        current = event.sender();
        break;
      case "room_id":
        current = event.roomId();
        break;
      case "event_id":
        current = event.eventId();
        break;
      case "state_key":
        current = event.stateKey() == null ? MISSING : event.stateKey();
        break;
      case "content":
        current = event.content();
        break;
      default:
        return MISSING;
    }
    for (int i = 1; i < parts.size(); i++) {
      if (!(current instanceof Map) || !((Map<?, ?>) current).containsKey(parts.get(i))) {
        return MISSING;
      }
      current = ((Map<?, ?>) current).get(parts.get(i));
    }
    return current;
  }

  static List<String> splitKey(String key) {
    if (key.indexOf('\\') < 0) {
      int dot = key.indexOf('.');
      if (dot < 0) {
        return List.of(key);
      }
      if (key.indexOf('.', dot + 1) < 0) {
        return List.of(key.substring(0, dot), key.substring(dot + 1));
      }
    }
    List<String> parts = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch == '\\' && i + 1 < key.length() && (key.charAt(i + 1) == '.' || key.charAt(i + 1) == '\\')) {
        sb.append(key.charAt(++i));
      } else if (ch == '.') {
        parts.add(sb.toString());
        sb.setLength(0);
      } else {
        sb.append(ch);
      }
    }
    parts.add(sb.toString());
    return List.copyOf(parts);
  }

  /** Non-compound canonical JSON values: strings, integers, booleans, null (compound values never match). */
  private static boolean sameScalar(Object a, Object b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    if (a instanceof Map || a instanceof List || b instanceof Map || b instanceof List) {
      return false;
    }
    if (a instanceof Number && b instanceof Number) {
      Number x = (Number) a;
      Number y = (Number) b;
      boolean integral = !(x instanceof Double || x instanceof Float) && !(y instanceof Double || y instanceof Float);
      return integral && x.longValue() == y.longValue();
    }
    return a.equals(b);
  }

  /** The spec's glob: {@code *} any run of characters, {@code ?} one character; case-insensitive. */
  static Pattern glob(String pattern) {
    return compiled(globRegex(pattern));
  }

  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL;
  /** Recently used patterns: every event is evaluated for every member against the same few rules. */
  private static final Map<String, Pattern> CACHE = new java.util.LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
      return size() > 512;
    }
  };

  private static Pattern compiled(String regex) {
    synchronized (CACHE) {
      return CACHE.computeIfAbsent(regex, r -> Pattern.compile(r, FLAGS));
    }
  }

  private static String globRegex(String pattern) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '*' || ch == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(ch == '*' ? ".*?" : ".");
      } else {
        literal.append(ch);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return re.toString();
  }

  /**
   * Whether the glob matches a substring of {@code value} that starts and ends at a word boundary
   * (the value's ends or a character outside {@code [A-Za-z0-9_]}).
   */
  static boolean globAtWordBoundary(String pattern, String value) {
    if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
      return literalAtWordBoundary(pattern, value); // the usual case (user name, display name, @room): no regex
    }
    return wordBoundaryFind(globRegex(pattern), value);
  }

  /** Case-insensitive search for {@code needle} starting and ending at word boundaries of {@code hay}. */
  static boolean literalAtWordBoundary(String needle, String hay) {
    int n = needle.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i + n <= hay.length(); i++) {
      if ((i == 0 || !isWordChar(hay.charAt(i - 1)))
          && hay.regionMatches(true, i, needle, 0, n)
          && (i + n == hay.length() || !isWordChar(hay.charAt(i + n)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean wordBoundaryFind(String regex, String value) {
    return compiled("(?:^|(?<=[^A-Za-z0-9_]))" + regex + "(?:$|(?=[^A-Za-z0-9_]))").matcher(value).find();
  }
}
