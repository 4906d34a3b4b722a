package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.spec.internal.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecFixturesTest {
  @Test
  @SuppressWarnings("unchecked")
  void syncResponseWithAllExamplesIsValidAndHoldsEveryExample() {
    String json = SpecFixtures.syncResponseWithAllExamples();
    Operation sync = Spec.load().operationById("sync");
    sync.assertValidResponseAndEvents(200, json);

    Map<String, Object> tree = (Map<String, Object>) Json.parse(json);
    Map<String, Object> rooms = (Map<String, Object>) tree.get("rooms");
    Map<String, Object> room = (Map<String, Object>) ((Map<String, Object>) rooms.get("join"))
        .get(SpecFixtures.JOINED_ROOM_ID);
    int events = 0;
    for (String section : List.of("state", "timeline", "ephemeral", "account_data")) {
      List<Map<String, Object>> list = (List<Map<String, Object>>) ((Map<String, Object>) room.get(section))
          .get("events");
      assertThat(list).as(section).isNotEmpty();
      assertThat(list).allSatisfy(e -> assertThat(e).doesNotContainKey("room_id"));
      events += list.size();
    }
    for (String section : List.of("account_data", "presence", "to_device")) {
      List<?> list = (List<?>) ((Map<String, Object>) tree.get(section)).get("events");
      assertThat(list).as(section).isNotEmpty();
      events += list.size();
    }
    assertThat(events).isEqualTo(EventSchemas.exampleEvents().size());
    assertThat(json).contains("\"invite_state\"").contains("\"knock_state\"").doesNotContain("$ref");
  }
}
