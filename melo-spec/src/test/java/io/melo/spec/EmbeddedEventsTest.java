package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.spec.internal.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Per-type checks of events inside responses and of event content inside send/state requests. */
class EmbeddedEventsTest {
  private final Spec spec = Spec.load();

  /**
   * Every response example passes the per-type event checks too, except where the spec's own examples are
   * inconsistent with its event schemas:
   * <ul>
   *   <li>GET /thirdparty/protocols: the gitter protocol lacks the required {@code icon} (fails plain checks too);
   *   <li>the three GET /relations operations share an example that overlays
   *       {@code m.room.message$m.text} with a {@code content} holding only {@code m.relates_to}: the spec's
   *       example convention is a shallow replace, so the message loses its required {@code msgtype} and
   *       {@code body};
   *   <li>GET /rooms/{roomId}/initialSync (deprecated): an {@code m.tag} account-data event with
   *       {@code order: "1"}, a string where the tag schema says number.
   * </ul>
   */
  @Test
  void everyResponseExampleAlsoPassesThePerTypeEventChecks() {
    Map<String, List<Violation>> failures = new TreeMap<>();
    int checked = 0;
    for (Operation op : spec.operations()) {
      for (String status : op.responseStatuses()) {
        for (Example e : op.responseExamples(Integer.parseInt(status))) {
          checked++;
          List<Violation> v = op.validateResponseAndEvents(Integer.parseInt(status), e.json());
          if (!v.isEmpty()) {
            failures.put(op.operationId() + " " + status + " " + e.name(), v);
          }
        }
      }
    }
    System.out.println("deep-checked " + checked + " response examples; failures " + failures);
    assertThat(failures.keySet()).containsExactly("getProtocols 200 schema example",
        "getRelatingEvents 200 response", "getRelatingEventsWithRelType 200 response",
        "getRelatingEventsWithRelTypeAndEventType 200 response", "roomInitialSync 200 response");
    assertThat(failures.get("getRelatingEvents 200 response")).extracting(Violation::message).containsExactly(
        "(as m.room.message event) required property 'msgtype' is missing",
        "(as m.room.message event) required property 'body' is missing");
    assertThat(failures.get("roomInitialSync 200 response")).extracting(Violation::toString).containsExactly(
        "/account_data/0/content/tags/work/order: (as m.tag event) expected number but found string '1'"
            + "  [client-server/definitions/tag.json#/properties/order/type]");
  }

  @Test
  void syncTimelineEventWithBadContentIsCaughtOnlyByTheDeepCheck() {
    Operation sync = spec.operationById("sync");
    String example = sync.responseExamples(200).get(0).json();
    assertThat(example).contains("\"membership\":\"join\"");
    String broken = example.replaceFirst("\"membership\":\"join\"", "\"membership\":\"dancing\"");
    assertThat(sync.validateResponse(200, broken)).isEmpty();
    List<Violation> deep = sync.validateResponseAndEvents(200, broken);
    assertThat(deep).singleElement().satisfies(v -> {
      assertThat(v.instancePath()).startsWith("/rooms/join/").endsWith("/content/membership");
      assertThat(v.message()).startsWith("(as m.room.member event) string 'dancing' is not one of");
    });
    assertThatThrownBy(() -> sync.assertValidResponseAndEvents(200, broken))
        .isInstanceOf(SpecViolationsError.class).hasMessageContaining("dancing");
  }

  @Test
  void redactedAndUnknownEventsAreNotJudgedByType() {
    Operation messages = spec.operationById("getRoomEvents");
    String chunk = "{\"start\":\"t1\",\"chunk\":["
        + "{\"type\":\"m.room.member\",\"event_id\":\"$1\",\"room_id\":\"!r:x\",\"sender\":\"@a:x\","
        + "\"origin_server_ts\":1,\"state_key\":\"@a:x\",\"content\":{},"
        + "\"unsigned\":{\"redacted_because\":{\"type\":\"m.room.redaction\"}}},"
        + "{\"type\":\"org.custom\",\"event_id\":\"$2\",\"room_id\":\"!r:x\",\"sender\":\"@a:x\","
        + "\"origin_server_ts\":1,\"content\":{\"anything\":[1]}},"
        + "{\"type\":\"m.room.name\",\"event_id\":\"$3\",\"room_id\":\"!r:x\",\"sender\":\"@a:x\","
        + "\"origin_server_ts\":1,\"state_key\":\"\",\"content\":{\"name\":false}}]}";
    assertThat(messages.validateResponse(200, chunk)).isEmpty();
    assertThat(messages.validateResponseAndEvents(200, chunk)).extracting(Violation::instancePath)
        .containsExactly("/chunk/2/content/name");
  }

  /** No false alarms: the content of every room example event, sent the way a client sends it, passes. */
  @Test
  void everyExampleRoomEventsContentPassesWhenSent() {
    int sent = 0;
    for (Example example : EventSchemas.exampleEvents()) {
      Map<String, Object> event = EventSchemasTest.map(example.tree());
      if (!event.containsKey("event_id")) {
        continue;
      }
      String type = (String) event.get("type");
      String target = event.containsKey("state_key")
          ? "/_matrix/client/v3/rooms/!r:x/state/" + type + "/"
              + URLEncoder.encode((String) event.get("state_key"), StandardCharsets.UTF_8)
          : "/_matrix/client/v3/rooms/!r:x/send/" + type + "/t1";
      assertThat(spec.validateRequest("PUT", target, Json.write(event.get("content")))).as(example.name()).isEmpty();
      sent++;
    }
    assertThat(sent).isEqualTo(50);
  }

  @Test
  void sentContentIsCheckedAgainstTheEventTypesSchema() {
    String target = "/_matrix/client/v3/rooms/%21r%3Ax/send/m.room.message/txn1";
    spec.assertValidRequest("PUT", target, "{\"msgtype\":\"m.text\",\"body\":\"hi\"}");
    assertThat(spec.validateRequest("PUT", target, "{\"msgtype\":\"m.text\"}")).extracting(Violation::toString)
        .singleElement().asString().startsWith("(root): (as content of m.room.message$m.text) required property 'body'");
    assertThat(spec.validateRequest("PUT", target, "{\"msgtype\":\"m.image\",\"body\":\"b\",\"info\":{\"w\":\"wide\"}}"))
        .extracting(Violation::instancePath).containsExactly("/info/w");
    assertThat(spec.validateRequest("PUT", "/_matrix/client/v3/rooms/!r:x/send/org.custom/t", "{\"x\":1}")).isEmpty();

    String name = "/_matrix/client/v3/rooms/!r:x/state/m.room.name/";
    spec.assertValidRequest("PUT", name, "{\"name\":\"General\"}");
    assertThat(spec.validateRequest("PUT", name, "{\"name\":7}")).extracting(Violation::instancePath)
        .containsExactly("/name");
    spec.assertValidRequest("PUT", "/_matrix/client/v3/rooms/!r:x/state/m.room.member/%40u%3Ax",
        "{\"membership\":\"join\"}");
    assertThat(spec.validateRequest("PUT", "/_matrix/client/v3/rooms/!r:x/state/m.room.power_levels",
        "{\"users\":{\"@a:x\":\"100\"}}")).extracting(Violation::instancePath).containsExactly("/users/@a:x");
  }
}
