package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestChecksTest {
  private final Spec spec = Spec.load();

  @Test
  void queryParametersAreCheckedByTypeRequirednessAndDeclaration() {
    Operation messages = spec.operationById("getRoomEvents");
    assertThat(messages.queryParameterNames()).contains("from", "dir", "limit", "filter");
    assertThat(messages.validateQuery("?dir=b&limit=10&from=s1%2B2&filter=%7B%7D")).isEmpty();
    assertThat(messages.validateQuery("limit=ten")).extracting(Violation::toString).containsExactlyInAnyOrder(
        "?dir: required query parameter 'dir' is missing  [client-server/message_pagination.json"
            + "#/paths/~1rooms~1{roomId}~1messages/get/parameters/3]",
        "?limit: expected integer but found string 'ten'  [client-server/message_pagination.json"
            + "#/paths/~1rooms~1{roomId}~1messages/get/parameters/4/schema/type]");
    assertThat(messages.validateQuery("dir=sideways")).extracting(Violation::instancePath).containsExactly("?dir");
    assertThat(messages.validateQuery("dir=b&dir=f")).extracting(Violation::message)
        .containsExactly("query parameter 'dir' given 2 times but is not an array");
    assertThat(messages.validateQuery("dir=b&bogus=1&access_token=t&user_id=%40as%3Ax")).extracting(
        Violation::message).containsExactly("query parameter 'bogus' is not declared by " + messages);
    assertThat(messages.validateQuery("dir=%zz")).extracting(Violation::message)
        .containsExactly("malformed percent-escape in query parameter", "required query parameter 'dir' is missing");

    Operation join = spec.operationById("joinRoom");
    assertThat(join.validateQuery(Map.of("via", List.of("a.example", "b.example")))).isEmpty();
    Operation sync = spec.operationById("sync");
    assertThat(sync.validateQuery("full_state=true&timeout=30000&set_presence=offline")).isEmpty();
    assertThat(sync.validateQuery("full_state=yes&set_presence=away")).extracting(Violation::instancePath)
        .containsExactlyInAnyOrder("?full_state", "?set_presence");
  }

  @Test
  void wholeRequestCheckCoversPathQueryAndBody() {
    Operation op = spec.assertValidRequest("PUT",
        "/_matrix/client/v3/rooms/%21r%3Ax/send/m.room.message/m1.2?user_id=%40bot%3Ax",
        "{\"msgtype\":\"m.text\",\"body\":\"hi\"}");
    assertThat(op.operationId()).isEqualTo("sendMessage");
    assertThat(spec.validateRequest("PUT", "/_matrix/client/v3/rooms/r/send/m.room.message/1?x=1", "[]"))
        .extracting(Violation::instancePath).containsExactlyInAnyOrder("{roomId}", "?x", "");
    assertThatThrownBy(() -> spec.assertValidRequest("POST", "/_matrix/client/v3/createRoom", "{\"preset\":1}"))
        .isInstanceOf(SpecViolationsError.class)
        .hasMessageContaining("request POST /_matrix/client/v3/createRoom to POST /_matrix/client/v3/createRoom")
        .hasMessageContaining("/preset");
    assertThatThrownBy(() -> spec.validateRequest("GET", "/_matrix/client/v3/nope", null))
        .isInstanceOf(AssertionError.class).hasMessageContaining("no operation");
  }

  @Test
  void securityTellsWhichOperationsNeedAToken() {
    assertThat(spec.operationById("sync").requiresAuthentication()).isTrue();
    assertThat(spec.operationById("sync").securityAlternatives())
        .containsExactly(List.of("accessTokenQuery"), List.of("accessTokenBearer"));
    assertThat(spec.operationById("getVersions").requiresAuthentication()).isFalse();
    assertThat(spec.operationById("login").requiresAuthentication()).isFalse();
    long required = spec.operations().stream().filter(Operation::requiresAuthentication).count();
    assertThat(required).isEqualTo(137);
  }
}
