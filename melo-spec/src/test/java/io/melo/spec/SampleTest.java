package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTest {
  private final Spec spec = Spec.load();

  @Test
  void operationsWithoutExamplesStillGetValidSampleBodies() {
    Operation defineFilter = spec.operationById("defineFilter");
    assertThat(defineFilter.responseExamples(200)).isEmpty();
    assertThat(defineFilter.sampleResponse(200)).get().extracting(Example::json)
        .isEqualTo("{\"filter_id\":\"66696p746572\"}");
    assertThat(spec.operationById("sync").sampleResponse(200)).get().extracting(Example::json)
        .isEqualTo("{\"next_batch\":\"sample\"}");
    assertThat(spec.operationById("createRoom").sampleRequest()).get()
        .satisfies(e -> spec.operationById("createRoom").assertValidRequest(e.json()));
    assertThat(spec.operationById("getVersions").sampleRequest()).isEmpty();
    assertThat(spec.operationById("getVersions").sampleResponse(204)).isEmpty();
  }

  @Test
  void everySampleIsValidAndOnlyTheUpstreamBadExampleIsWithheld() {
    List<String> missing = new ArrayList<>();
    int samples = 0;
    for (Operation op : spec.operations()) {
      for (String status : op.responseStatuses()) {
        int code = Integer.parseInt(status);
        if (op.validateResponse(code, "{}").toString().contains("no JSON body")) {
          continue;
        }
        var sample = op.sampleResponse(code);
        if (sample.isPresent()) {
          samples++;
          assertThat(op.validateResponse(code, sample.get().json())).isEmpty();
        } else {
          missing.add(op.operationId() + " " + status);
        }
      }
      if (op.hasJsonRequestBody()) {
        assertThat(op.sampleRequest()).as(op.toString()).isPresent();
        assertThat(op.validateRequest(op.sampleRequest().get().json())).isEmpty();
      }
    }
    assertThat(samples).isGreaterThan(380);
    // Its schema example lacks the required icon (see OperationExamplesTest): an invalid sample is never handed out.
    assertThat(missing).containsExactly("getProtocols 200");
  }
}
