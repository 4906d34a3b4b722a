package io.melo.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The spec's event schemas and example events, from the spec that {@link Spec#load()} finds. Checks an event
 * against the schema chosen by its {@code type} (and, where the spec has per-variant schemas, by
 * {@code content.msgtype} for {@code m.room.message} or {@code content.method} for
 * {@code m.key.verification.start}), and hands out every example event as a fixture.
 *
 * <p>Room event schemas require {@code room_id}, which events inside {@code /sync} room sections omit:
 * {@link #validateWithoutRoomId} checks those.
 */
public final class EventSchemas {
  private EventSchemas() {}

  /**
   * Checks an event (a whole event: {@code type}, {@code content}, ...) against its schema.
   *
   * @param eventJson the whole event as JSON text
   * @return the violations; an unknown type, a non-object or a missing {@code type} gives one violation
   */
  public static List<Violation> validate(String eventJson) {
    return catalog().validate(eventJson, false);
  }

  /**
   * Like {@link #validate} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param eventJson the whole event as JSON text
   */
  public static void assertValid(String eventJson) {
    Spec.throwIfAny("event", validate(eventJson));
  }

  /**
   * Checks an event as found in {@code /sync} room timelines and state, which carry no {@code room_id}: a
   * placeholder room id is added (if absent) before checking against the per-type schema.
   *
   * @param eventJson the whole event as JSON text
   * @return the violations, empty when valid
   */
  public static List<Violation> validateWithoutRoomId(String eventJson) {
    return catalog().validate(eventJson, true);
  }

  /**
   * Like {@link #validateWithoutRoomId} but throws {@link SpecViolationsError} listing the violations.
   *
   * @param eventJson the whole event as JSON text
   */
  public static void assertValidWithoutRoomId(String eventJson) {
    Spec.throwIfAny("event (without room_id)", validateWithoutRoomId(eventJson));
  }

  /**
   * Checks JSON against a named schema: a file name of {@code event-schemas/schema} without extension (such as
   * {@code m.room.message$m.text}), or {@code core-event-schema/stripped_state}.
   *
   * @param schemaName a schema name, as listed by {@link #schemaNames()}
   * @param eventJson the whole event as JSON text
   * @return the violations, empty when valid
   * @throws IllegalArgumentException if there is no such schema
   */
  public static List<Violation> validate(String schemaName, String eventJson) {
    return catalog().validateAgainst(schemaName, eventJson, false);
  }

  /**
   * {@return whether the spec has a schema for an event type (ignoring variants)}
   *
   * @param type the event type, such as {@code m.room.member}
   */
  public static boolean hasSchema(String type) {
    return catalog().schemaNameFor(type, null) != null;
  }

  /** {@return the names of all event schemas (file names without extension, such as {@code m.room.message$m.text})} */
  public static Set<String> schemaNames() {
    return catalog().schemas().keySet();
  }

  /**
   * The schema name chosen for an event type and content, such as {@code m.room.message$m.image}; empty if none.
   *
   * @param type the event type, such as {@code m.room.member}
   * @param content the event content, or null
   * @return the schema name, or empty when the spec has no schema for the type
   */
  public static Optional<String> schemaNameFor(String type, Map<String, ?> content) {
    return Optional.ofNullable(catalog().schemaNameFor(type, content));
  }

  /**
   * Every example in {@code event-schemas/examples} with its {@code $ref} inheritance resolved, by file name:
   * the 83 example events (such as {@code m.room.member$invite_room_state}) and the stripped-state arrays
   * {@code invite_room_state} and {@code knock_room_state} (JSON arrays). Excludes the {@code core/} bases.
   *
   * @return the examples, in file-name order
   */
  public static List<Example> examples() {
    return catalog().examples();
  }

  /** {@return only the example events (JSON objects), without the stripped-state arrays} */
  public static List<Example> exampleEvents() {
    List<Example> out = new ArrayList<>();
    for (Example e : catalog().examples()) {
      if (e.json().startsWith("{")) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * One example by name, e.g. {@code m.room.message$m.text} or {@code invite_room_state}.
   *
   * @param name the example name
   * @return the example
   * @throws IllegalArgumentException if there is no such example
   */
  public static Example example(String name) {
    for (Example e : catalog().examples()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("no event example named '" + name + "'");
  }

  /**
   * The schema an example is meant to match: the schema of the same name, else the name up to {@code $}
   * ({@code m.room.member$invite_room_state} pairs with {@code m.room.member}); for the stripped-state arrays
   * {@code core-event-schema/stripped_state}, which each element must match.
   *
   * @param exampleName the example name, as in {@link Example#name()}
   * @return the schema name
   */
  public static String schemaNameForExample(String exampleName) {
    String name = catalog().schemaNameForExample(exampleName);
    return name != null ? name : EventCatalog.STRIPPED_STATE;
  }

  private static EventCatalog catalog() {
    return Spec.load().events();
  }
}
