package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OperationValidationTest {
  private final Spec spec = Spec.load();

  @Test
  void createRoomRequestIsCheckedAgainstItsSchema() {
    Operation create = spec.operation("POST", "/_matrix/client/v3/createRoom");
    create.assertValidRequest("{\"name\":\"General\",\"preset\":\"private_chat\",\"is_direct\":false,"
        + "\"invite\":[\"@a:x\"],\"power_level_content_override\":{\"users\":{\"@a:x\":100}}}");
    List<Violation> bad = create.validateRequest("{\"preset\":\"secret_chat\",\"is_direct\":\"no\",\"invite\":\"@a:x\"}");
    assertThat(bad).extracting(Violation::instancePath).containsExactlyInAnyOrder("/preset", "/is_direct", "/invite");
    assertThat(create.validateRequest("[]")).extracting(Violation::message)
        .containsExactly("expected object but found array");
    assertThat(create.validateRequest("{\"name\":")).singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("not JSON"));
  }

  @Test
  void responsesAreCheckedPerStatus() {
    Operation send = spec.operationById("sendMessage");
    send.assertValidResponse(200, "{\"event_id\":\"$abc:example.org\"}");
    assertThat(send.validateResponse(200, "{}")).extracting(Violation::message)
        .containsExactly("required property 'event_id' is missing");
    assertThat(send.validateResponse(200, "{\"event_id\":\"abc\"}")).singleElement()
        .satisfies(v -> assertThat(v.toString()).contains("/event_id").contains("does not match pattern ^\\$"));
    assertThatThrownBy(() -> send.assertValidResponse(200, "{\"event_id\":7}"))
        .isInstanceOf(SpecViolationsError.class)
        .hasMessageContaining("response 200 of PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}"
            + " (sendMessage) breaks the Matrix spec (1 violation)")
        .hasMessageContaining("/event_id: expected string but found number 7")
        .satisfies(e -> assertThat(((SpecViolationsError) e).violations()).hasSize(1));
  }

  @Test
  void undeclaredErrorStatusesUseTheStandardErrorSchemas() {
    Operation whoami = spec.operationById("getTokenOwner");
    assertThat(whoami.responseStatuses()).doesNotContain("500");
    whoami.assertValidResponse(500, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"boom\"}");
    assertThat(whoami.validateResponse(500, "{\"error\":\"boom\"}")).extracting(Violation::message)
        .containsExactly("required property 'errcode' is missing");
    Operation versions = spec.operationById("getVersions");
    assertThat(versions.validateResponse(429, "{\"errcode\":\"M_LIMIT_EXCEEDED\",\"retry_after_ms\":\"soon\"}"))
        .extracting(Violation::instancePath).containsExactly("/retry_after_ms");
    assertThat(versions.validateResponse(201, "{}")).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("status 201 is not declared"));
  }

  @Test
  void nonJsonResponsesAndBodilessRequestsAreReported() {
    Operation download = spec.operation("GET", "/_matrix/client/v1/media/download/example.org/abc");
    assertThat(download.validateResponse(200, "{}")).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("has no JSON body").contains("application/octet-stream"));
    Operation logout = spec.operationById("logout");
    assertThat(logout.hasJsonRequestBody()).isFalse();
    assertThat(logout.validateRequest("")).isEmpty();
    assertThat(logout.validateRequest("{}")).isEmpty();
    assertThat(logout.validateRequest("{\"a\":1}")).extracting(Violation::message)
        .containsExactly("the operation takes no JSON request body");
    assertThat(logout.requestContentTypes()).isEmpty();
    Operation upload = spec.operation("POST", "/_matrix/media/v3/upload?filename=a.png");
    assertThat(upload.requestContentTypes()).containsExactly("application/octet-stream");
    assertThat(upload.hasJsonRequestBody()).isFalse();
    assertThat(upload.validateRequest("\u0089PNG binary")).isEmpty();
    assertThat(spec.validateRequest("POST", "/_matrix/media/v3/upload?filename=a.png", "\u0089PNG")).isEmpty();
    assertThat(spec.operationById("createRoom").requestContentTypes()).containsExactly("application/json");
  }

  @Test
  void syncResponseChecksNestedEventsThroughTheOpenApiSchema() {
    Operation sync = spec.operationById("sync");
    Example example = sync.responseExamples(200).get(0);
    sync.assertValidResponse(200, example.json());
    String broken = example.json().replaceFirst("\"limited\":(true|false)", "\"limited\":\"yes\"");
    assertThat(broken).isNotEqualTo(example.json());
    assertThat(sync.validateResponse(200, broken)).extracting(Violation::message)
        .containsExactly("expected boolean but found string 'yes'");
  }

  @Test
  void anySchemaOfTheSpecCanBeUsedByReference() {
    spec.assertValid("client-server/definitions/sync_filter.json", "{\"room\":{\"timeline\":{\"limit\":10}}}");
    assertThat(spec.validate("client-server/definitions/sync_filter.json", "{\"event_format\":\"xml\"}"))
        .extracting(Violation::instancePath).containsExactly("/event_format");
    assertThat(spec.validate(
        "client-server/sync.json#/paths/~1sync/get/responses/200/content/application~1json/schema", "{}"))
        .extracting(Violation::message).containsExactly("required property 'next_batch' is missing");
  }

  @Test
  void responseExamplesAreFixturesWithEventReferencesResolved() {
    Operation getEvent = spec.operationById("getOneRoomEvent");
    List<Example> examples = getEvent.responseExamples(200);
    assertThat(examples).isNotEmpty();
    assertThat(examples.get(0).json()).doesNotContain("$ref").contains("\"event_id\"");
    assertThat(getEvent.responseExamples(404)).allSatisfy(e -> assertThat(e.json()).contains("M_NOT_FOUND"));
    assertThat(getEvent.responseExamples(599)).isEmpty();
    assertThat(spec.operationById("createRoom").requestExamples()).isNotEmpty();
    // The example sits in the referenced schema file (definitions/wellknown/full.json).
    assertThat(spec.operationById("getWellknown").responseExamples(200)).singleElement()
        .satisfies(e -> assertThat(e.json()).contains("\"m.homeserver\"").contains("base_url"));
  }
}
