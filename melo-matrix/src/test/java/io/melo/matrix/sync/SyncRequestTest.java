package io.melo.matrix.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.matrix.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncRequestTest {

  @Test
  void filterBuilderWritesTheSpecShape() {
    Filter filter = Filter.builder()
        .timelineLimit(20)
        .timelineNotTypes(List.of("m.call.*"))
        .lazyLoadMembers(true)
        .rooms(List.of("!a:hs"))
        .includeLeave(false)
        .unreadThreadNotifications(true)
        .noPresence()
        .accountDataTypes(List.of("m.direct"))
        .eventFields(List.of("type", "content.body"))
        .build();
    assertThat(filter.toJson()).isEqualTo(JsonObject.parseObject("{\"room\":{\"timeline\":{\"limit\":20,"
        + "\"not_types\":[\"m.call.*\"],\"unread_thread_notifications\":true},\"state\":{\"lazy_load_members\":true},"
        + "\"rooms\":[\"!a:hs\"],\"include_leave\":false},\"presence\":{\"not_types\":[\"*\"]},"
        + "\"account_data\":{\"types\":[\"m.direct\"]},\"event_fields\":[\"type\",\"content.body\"]}"));
    assertThat(filter.toBuilder().timelineLimit(5).build().toJson().getObjectOrEmpty("room")
        .getObjectOrEmpty("timeline").getLong("limit")).hasValue(5);
    assertThatThrownBy(() -> Filter.builder().timelineLimit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timelineLimit");
    assertThatThrownBy(() -> Filter.builder().rooms(List.of(""))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queryParameters() {
    SyncRequest request = SyncRequest.builder().filterId("66696p746572").since("s1").timeout(Duration.ofSeconds(30))
        .fullState(true).setPresence(Presence.OFFLINE).useStateAfter(true).build();
    assertThat(request.queryParameters()).containsExactly(
        org.assertj.core.api.Assertions.entry("filter", "66696p746572"),
        org.assertj.core.api.Assertions.entry("since", "s1"),
        org.assertj.core.api.Assertions.entry("timeout", "30000"),
        org.assertj.core.api.Assertions.entry("full_state", "true"),
        org.assertj.core.api.Assertions.entry("set_presence", "offline"),
        org.assertj.core.api.Assertions.entry("use_state_after", "true"));
    SyncRequest inline = SyncRequest.builder().filter(Filter.builder().timelineLimit(1).build()).build();
    assertThat(inline.filterParameter()).isEqualTo("{\"room\":{\"timeline\":{\"limit\":1}}}");
    assertThat(inline.isInitial()).isTrue();
    assertThat(inline.queryParameters()).containsOnlyKeys("filter", "timeout");
    assertThat(inline.withSince("s9").since()).isEqualTo("s9");
  }

  @Test
  void rejectsInvalidRequests() {
    assertThatThrownBy(() -> new SyncRequest("f", Filter.builder().build(), null, null, false, null, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> SyncRequest.builder().filterId("{x").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyncRequest.builder().since("").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyncRequest.builder().timeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
  }
}
