package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.internal.ChannelOrdering.Child;
import io.melo.core.internal.ChannelOrdering.Entry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelOrderingTest {

  private static Child child(String id, long createdSeconds) {
    return new Child(id, Instant.ofEpochSecond(createdSeconds));
  }

  @Test
  void listedChannelsComeByPositionThenTheRestByCreationTime() {
    List<Child> children =
        List.of(child("!general", 1), child("!random", 2), child("!dev", 3), child("!late", 5), child("!new", 4));
    List<Entry> order = List.of(new Entry("!dev", 0), new Entry("!general", 1), new Entry("!random", 2));
    assertThat(ChannelOrdering.order(children, order))
        .containsExactly("!dev", "!general", "!random", "!new", "!late");
  }

  @Test
  void withoutOrderStateChannelsComeByCreationTimeThenId() {
    List<Child> children = List.of(child("!b", 2), child("!c", 1), child("!a", 2));
    assertThat(ChannelOrdering.order(children, List.of())).containsExactly("!c", "!a", "!b");
  }

  @Test
  void entriesForRoomsThatAreNotChildrenAreIgnoredAndDuplicatesKeepTheFirst() {
    List<Child> children = List.of(child("!a", 1), child("!b", 2));
    List<Entry> order =
        List.of(new Entry("!gone", 0), new Entry("!b", 1), new Entry("!a", 5), new Entry("!b", 9));
    assertThat(ChannelOrdering.order(children, order)).containsExactly("!b", "!a");
  }

  @Test
  void reorderPutsTheRequestedFirstAndKeepsTheRestInTheirCurrentOrder() {
    List<Entry> entries = ChannelOrdering.reorder(List.of("!g", "!a", "!b", "!c"), List.of("!c", "!a"));
    assertThat(entries)
        .containsExactly(new Entry("!c", 0), new Entry("!a", 1), new Entry("!g", 2), new Entry("!b", 3));
  }

  @Test
  void reorderRejectsUnknownAndDuplicateIdsByName() {
    assertThatThrownBy(() -> ChannelOrdering.reorder(List.of("!a"), List.of("!a", "!x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not channels of this server: [!x]");
    assertThatThrownBy(() -> ChannelOrdering.reorder(List.of("!a", "!b"), List.of("!a", "!a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels listed more than once: [!a]");
  }

  @Test
  void reorderedEntriesReadBackInTheSameOrder() {
    List<Child> children = List.of(child("!g", 1), child("!a", 2), child("!b", 3));
    List<String> current = ChannelOrdering.order(children, List.of());
    List<Entry> entries = ChannelOrdering.reorder(current, List.of("!b"));
    assertThat(ChannelOrdering.order(children, entries)).containsExactly("!b", "!g", "!a");
  }
}
