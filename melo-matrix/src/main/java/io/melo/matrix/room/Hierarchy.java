package io.melo.matrix.room;

import java.util.List;
import java.util.Optional;

/**
 * A page of a space hierarchy.
 *
 * @param rooms the rooms, the space itself first on the first page
 * @param nextBatch the token for the next page, or null at the end
 */
public record Hierarchy(List<HierarchyRoom> rooms, String nextBatch) {

  /**
   * Copies the list.
   *
   * @param rooms the rooms, the space itself first on the first page
   * @param nextBatch the token for the next page, or null at the end
   */
  public Hierarchy {
    rooms = List.copyOf(rooms);
  }

  /** {@return the token for the next page, or empty at the end} */
  public Optional<String> next() {
    return Optional.ofNullable(nextBatch);
  }
}
