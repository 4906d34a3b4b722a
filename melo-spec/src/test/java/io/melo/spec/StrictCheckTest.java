package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StrictCheckTest {
  private final Spec spec = Spec.load();

  @Test
  void misspeltOptionalKeysAreCaughtOnlyByTheStrictCheck() {
    Operation create = spec.operationById("createRoom");
    String typo = "{\"name\":\"General\",\"power_level_content_overide\":{},\"creation_content\":{\"m.federate\":false}}";
    assertThat(create.validateRequest(typo)).isEmpty();
    assertThat(create.validateRequestStrict(typo)).extracting(Violation::toString).containsExactly(
        "/power_level_content_overide: property 'power_level_content_overide' is not defined by the spec's schemas"
            + " here (strict check)");
    create.assertValidRequestStrict("{\"name\":\"General\",\"preset\":\"private_chat\",\"initial_state\":"
        + "[{\"type\":\"m.room.topic\",\"state_key\":\"\",\"content\":{\"topic\":\"t\"}}]}");
    assertThatThrownBy(() -> create.assertValidRequestStrict("{\"initial_state\":[{\"type\":\"m.room.topic\","
        + "\"content\":{},\"stateKey\":\"\"}]}"))
        .isInstanceOf(SpecViolationsError.class).hasMessageContaining("/initial_state/0/stateKey");
  }

  @Test
  void keysDefinedInAnyAppliedSchemaOrMatchingBranchCount() {
    Operation login = spec.operationById("login");
    String password = "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},"
        + "\"password\":\"pw\",\"initial_device_display_name\":\"Melo\"}";
    assertThat(login.validateRequestStrict(password)).isEmpty();
    Operation sync = spec.operationById("sync");
    sync.assertValidResponseStrict(200, sync.responseExamples(200).get(0).json());
    assertThat(sync.validateResponseStrict(200, "{\"next_batch\":\"s\",\"nextBatch\":\"s\"}"))
        .extracting(Violation::instancePath).containsExactly("/nextBatch");
    assertThatThrownBy(() -> sync.assertValidResponseStrict(200, "{\"next_batch\":\"s\",\"rooms\":{\"joined\":{}}}"))
        .isInstanceOf(SpecViolationsError.class).hasMessageContaining("/rooms/joined");
  }

  /**
   * The spec's own examples pass the strict check too (besides the known upstream mistake in GET
   * /thirdparty/protocols); before error bodies and event envelopes were left open, it flagged exactly the
   * errcode-specific keys (soft_logout, current_version) and the envelope keys the generic schemas omit (sender
   * of presence events, room_id of notification events).
   */
  @Test
  void strictCheckOverTheSpecsOwnExamples() {
    Map<String, List<Violation>> failures = new TreeMap<>();
    int checked = 0;
    for (Operation op : spec.operations()) {
      for (Example e : op.requestExamples()) {
        checked++;
        List<Violation> v = op.validateRequestStrict(e.json());
        if (!v.isEmpty()) {
          failures.put(op.operationId() + " request " + e.name(), v);
        }
      }
      for (String status : op.responseStatuses()) {
        for (Example e : op.responseExamples(Integer.parseInt(status))) {
          checked++;
          List<Violation> v = op.validateResponseStrict(Integer.parseInt(status), e.json());
          if (!v.isEmpty()) {
            failures.put(op.operationId() + " " + status + " " + e.name(), v);
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    failures.forEach((k, v) -> sb.append(k).append(" -> ").append(v).append('\n'));
    System.out.println("strict-checked " + checked + "; " + failures.size() + " failing\n" + sb);
    assertThat(failures.keySet()).containsExactly("getProtocols 200 schema example");
    spec.operationById("sync").assertValidResponseStrict(200, SpecFixtures.syncResponseWithAllExamples());
  }

  @Test
  void errorBodiesStayOpen() {
    Operation refresh = spec.operationById("refresh");
    refresh.assertValidResponseStrict(401, "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"x\",\"soft_logout\":true}");
    spec.operationById("getVersions").assertValidResponseStrict(500,
        "{\"errcode\":\"M_UNKNOWN\",\"error\":\"x\",\"extra\":1}");
  }
}
