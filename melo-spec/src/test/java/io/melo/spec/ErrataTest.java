package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.spec.internal.Json;
import io.melo.spec.internal.SpecFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream mistakes melo-spec corrects, and proof each correction is still needed. */
class ErrataTest {
  private final Spec spec = Spec.load();

  @Test
  @SuppressWarnings("unchecked")
  void stateEventWithFormatEventValidatesAndTheErratumIsStillNeeded() throws IOException {
    assertThat(SpecFiles.ERRATA).hasSize(1);
    Map<String, Object> raw = (Map<String, Object>) Json.parse(Files.readString(
        spec.directory().resolve("json/client-server/rooms.json")));
    String rawSchema = Json.write(((Map<String, Object>) ((Map<String, Object>) raw.get("paths"))
        .get("/rooms/{roomId}/state/{eventType}/{stateKey}")).get("get"));
    assertThat(rawSchema).as("upstream still has the ambiguous oneOf; drop the erratum once it is fixed")
        .contains("\"oneOf\":[{\"type\":\"object\"},{\"$ref\":\"../event-schemas/schema/core-event-schema/"
            + "state_event.json\"}]");

    Operation get = spec.operationById("getRoomStateWithKey");
    get.assertValidResponse(200, "{\"name\":\"General\"}");
    Map<String, Object> event = EventSchemasTest.map(EventSchemas.example("m.room.name").tree());
    get.assertValidResponse(200, Json.write(event));
    assertThat(get.validateResponse(200, "[]")).isNotEmpty();
  }

  @Test
  void errorStatusesDeclaredWithoutBodyUseTheStandardErrorSchema() {
    Operation getFilter = spec.operationById("getFilter");
    assertThat(getFilter.responseStatuses()).contains("404");
    getFilter.assertValidResponse(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"No such filter\"}");
    assertThat(getFilter.validateResponse(404, "{\"error\":\"No such filter\"}")).extracting(Violation::message)
        .containsExactly("required property 'errcode' is missing");
    // A success status declared without a JSON body stays a violation.
    Operation download = spec.operationById("getContentAuthed");
    assertThat(download.validateResponse(200, "{}")).extracting(Violation::message)
        .allSatisfy(m -> assertThat(m).contains("has no JSON body"));
  }
}
