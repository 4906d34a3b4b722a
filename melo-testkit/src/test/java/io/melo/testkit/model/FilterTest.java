package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FilterTest {
  @Test
  void typePatternsUseStarAsWildcardOnly() {
    assertThat(Filter.EventFilter.glob("m.room.*", "m.room.message")).isTrue();
    assertThat(Filter.EventFilter.glob("m.room.*", "m.reaction")).isFalse();
    assertThat(Filter.EventFilter.glob("*", "anything")).isTrue();
    assertThat(Filter.EventFilter.glob("m.*.message", "m.room.message")).isTrue();
    assertThat(Filter.EventFilter.glob("m.room.message", "m.roomXmessage")).isFalse();
    assertThat(Filter.EventFilter.glob("a.(b)+", "a.(b)+")).isTrue();
    assertThat(Filter.EventFilter.glob("a.(b)+", "a.bb")).isFalse();
  }

  @Test
  void notTypesWinOverTypesAndRoomsNarrow() {
    Filter f = Filter.parse(map("room", map("not_rooms", List.of("!b:x"),
        "timeline", map("types", List.of("m.*"), "not_types", List.of("m.room.member"), "limit", 7L))));
    assertThat(f.timeline.matchesType("m.room.message")).isTrue();
    assertThat(f.timeline.matchesType("m.room.member")).isFalse();
    assertThat(f.timeline.matchesType("io.melo.x")).isFalse();
    assertThat(f.includesRoom("!a:x")).isTrue();
    assertThat(f.includesRoom("!b:x")).isFalse();
    assertThat(f.timeline.limitOr(10, 1000)).isEqualTo(7);
    assertThat(Filter.EMPTY.timeline.limitOr(10, 1000)).isEqualTo(10);
  }

  @Test
  void malformedFiltersNameTheField() {
    assertThatThrownBy(() -> Filter.parse(map("room", map("timeline", map("limit", 0L)))))
        .hasMessageContaining("'limit'");
    assertThatThrownBy(() -> Filter.parse(map("presence", map("types", "m.presence"))))
        .hasMessageContaining("'types'");
    assertThatThrownBy(() -> Filter.parse(map("event_format", "xml"))).hasMessageContaining("'event_format'");
    assertThatThrownBy(() -> Filter.parse(map("room", map("include_leave", "yes")))).hasMessageContaining("'include_leave'");
  }

  @Test
  void eventFieldsProjectDottedPathsWithEscapes() {
    Filter f = Filter.parse(map("event_fields", List.of("type", "content.body", "content.m\\.relates_to")));
    assertThat(f.project(map("type", "m.room.message", "sender", "@a:x",
        "content", map("body", "hi", "msgtype", "m.text", "m.relates_to", map("rel_type", "x")))))
        .isEqualTo(map("type", "m.room.message", "content", map("body", "hi", "m.relates_to", map("rel_type", "x"))));
  }
}
