package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.spec.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class EventSchemasTest {

  @Test
  void examplesAreAllThereWithInheritanceResolved() {
    List<Example> all = EventSchemas.examples();
    assertThat(all).hasSize(85);
    assertThat(EventSchemas.exampleEvents()).hasSize(83);
    assertThat(all).extracting(Example::name).contains("invite_room_state", "knock_room_state",
        "m.room.member$invite_room_state", "m.room.message$m.text");
    // m.room.member$invite_room_state = m.room.member (= core state_event + own keys) + overlay, nested $ref too.
    Map<String, Object> invite = map(EventSchemas.example("m.room.member$invite_room_state").tree());
    assertThat(invite).containsKeys("event_id", "room_id", "sender", "state_key", "origin_server_ts")
        .doesNotContainKey("$ref");
    assertThat(map(invite.get("content"))).containsEntry("membership", "invite");
    assertThat(map(invite.get("unsigned")).get("invite_room_state")).isInstanceOf(List.class);
    assertThat(EventSchemas.example("invite_room_state").json()).startsWith("[");
    assertThatThrownBy(() -> EventSchemas.example("m.nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @TestFactory
  Stream<DynamicTest> everyExampleValidatesAgainstItsSchema() {
    return EventSchemas.examples().stream().map(example -> DynamicTest.dynamicTest(example.name(), () -> {
      String schema = EventSchemas.schemaNameForExample(example.name());
      if (example.json().startsWith("[")) {
        List<?> elements = (List<?>) example.tree();
        assertThat(elements).isNotEmpty();
        for (Object element : elements) {
          assertThat(EventSchemas.validate(schema, Json.write(element))).isEmpty();
        }
      } else {
        assertThat(EventSchemas.validate(schema, example.json())).as(example.source()).isEmpty();
      }
    }));
  }

  /**
   * Checks the choice of schema by type and variant. One example is left out: m.key.verification.start is the
   * spec's generic illustration with {@code method: m.sas.v1} but without the fields the m.sas.v1 variant schema
   * requires (a real m.sas.v1 start event must have them, so dispatching it to the variant is right); it does
   * validate against the generic schema it is paired with (see the test above).
   */
  @TestFactory
  Stream<DynamicTest> everyExampleEventFindsItsSchemaByType() {
    return EventSchemas.exampleEvents().stream()
        .filter(e -> !e.name().equals("m.key.verification.start"))
        .map(example -> DynamicTest.dynamicTest(example.name(), () -> {
          assertThat(EventSchemas.validate(example.json())).as(example.source()).isEmpty();
        }));
  }

  @TestFactory
  Stream<DynamicTest> everyExampleWithoutContentIsRejected() {
    return EventSchemas.exampleEvents().stream().map(example -> DynamicTest.dynamicTest(example.name(), () -> {
      Map<String, Object> event = map(example.tree());
      event.remove("content");
      List<Violation> violations =
          EventSchemas.validate(EventSchemas.schemaNameForExample(example.name()), Json.write(event));
      assertThat(violations).extracting(Violation::message).contains("required property 'content' is missing");
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyExampleWithContentOfTheWrongTypeIsRejected() {
    return EventSchemas.exampleEvents().stream().map(example -> DynamicTest.dynamicTest(example.name(), () -> {
      Map<String, Object> event = map(example.tree());
      event.put("content", List.of("not", "an", "object"));
      List<Violation> violations =
          EventSchemas.validate(EventSchemas.schemaNameForExample(example.name()), Json.write(event));
      assertThat(violations).isNotEmpty();
      assertThat(violations).anySatisfy(v -> {
        assertThat(v.instancePath()).isEqualTo("/content");
        assertThat(v.message()).isEqualTo("expected object but found array");
      });
    }));
  }

  @Test
  void memberEventMutationsAreRejectedWithPreciseMessages() {
    Map<String, Object> member = map(EventSchemas.example("m.room.member").tree());
    map(member.get("content")).put("membership", "partying");
    assertThat(EventSchemas.validate(Json.write(member))).singleElement().satisfies(v -> {
      assertThat(v.instancePath()).isEqualTo("/content/membership");
      assertThat(v.message()).startsWith("string 'partying' is not one of [");
      assertThat(v.schemaLocation()).startsWith("event-schemas/schema/m.room.member.json#");
    });
    map(member.get("content")).remove("membership");
    assertThat(EventSchemas.validate(Json.write(member))).extracting(Violation::message)
        .containsExactly("required property 'membership' is missing");
    member.put("state_key", 5);
    assertThat(EventSchemas.validate(Json.write(member))).extracting(Violation::instancePath).contains("/state_key");
  }

  @Test
  void powerLevelsMustBeIntegers() {
    Map<String, Object> pl = map(EventSchemas.example("m.room.power_levels").tree());
    assertThat(EventSchemas.validate(Json.write(pl))).isEmpty();
    map(pl.get("content")).put("ban", "50");
    assertThat(EventSchemas.validate(Json.write(pl))).extracting(Violation::toString)
        .anySatisfy(s -> assertThat(s).startsWith("/content/ban: expected integer but found string '50'"));
    map(pl.get("content")).put("ban", 50.5);
    assertThat(EventSchemas.validate(Json.write(pl))).isNotEmpty();
    map(pl.get("content")).put("ban", 50);
    map(map(pl.get("content")).get("users")).put("@x:y", true);
    assertThat(EventSchemas.validate(Json.write(pl))).extracting(Violation::instancePath)
        .containsExactly("/content/users/@x:y");
  }

  @Test
  void messageVariantIsChosenByMsgtype() {
    assertThat(EventSchemas.schemaNameFor("m.room.message", Map.of("msgtype", "m.image"))).hasValue(
        "m.room.message$m.image");
    assertThat(EventSchemas.schemaNameFor("m.room.message", Map.of("msgtype", "org.custom"))).hasValue(
        "m.room.message");
    assertThat(EventSchemas.schemaNameFor("m.key.verification.start", Map.of("method", "m.sas.v1"))).hasValue(
        "m.key.verification.start$m.sas.v1");
    assertThat(EventSchemas.schemaNameFor("org.custom.event", Map.of())).isEmpty();
    assertThat(EventSchemas.hasSchema("m.room.member")).isTrue();
    assertThat(EventSchemas.schemaNames()).contains("m.room.message$m.text").doesNotContain(
        "m.key.verification.m.relates_to");

    // A location without geo_uri (required by the m.location variant only) fails; as plain text it passes.
    Map<String, Object> location = map(EventSchemas.example("m.room.message$m.location").tree());
    map(location.get("content")).remove("geo_uri");
    assertThat(EventSchemas.validate(Json.write(location))).extracting(Violation::message)
        .containsExactly("required property 'geo_uri' is missing");
    map(location.get("content")).put("msgtype", "m.text");
    assertThat(EventSchemas.validate(Json.write(location))).isEmpty();
  }

  @Test
  void syncEventsWithoutRoomIdValidateThroughThePlaceholder() {
    Map<String, Object> text = map(EventSchemas.example("m.room.message$m.text").tree());
    text.remove("room_id");
    assertThat(EventSchemas.validate(Json.write(text))).extracting(Violation::message)
        .containsExactly("required property 'room_id' is missing");
    assertThat(EventSchemas.validateWithoutRoomId(Json.write(text))).isEmpty();
    EventSchemas.assertValidWithoutRoomId(Json.write(text));
  }

  @Test
  void badInputGivesOneClearViolation() {
    assertThat(EventSchemas.validate("{\"type\":\"org.custom\",\"content\":{}}")).singleElement()
        .satisfies(v -> assertThat(v.message()).isEqualTo("the spec has no event schema for type 'org.custom'"));
    assertThat(EventSchemas.validate("[1]")).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("JSON object"));
    assertThat(EventSchemas.validate("{\"content\":{}}")).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("'type'"));
    assertThat(EventSchemas.validate("{\"type\":")).singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("not JSON"));
    assertThatThrownBy(() -> EventSchemas.assertValid("{\"type\":\"m.room.name\",\"content\":{\"name\":1}}"))
        .isInstanceOf(SpecViolationsError.class)
        .hasMessageContaining("event breaks the Matrix spec")
        .hasMessageContaining("/content/name: expected string but found number 1")
        .hasMessageContaining("required property 'event_id' is missing");
    assertThatThrownBy(() -> EventSchemas.validate("m.nope", "{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }

  static Map<String, Object> obj() {
    return new LinkedHashMap<>();
  }
}
