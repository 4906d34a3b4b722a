package io.melo.matrix.room;

import io.melo.matrix.event.RoomEvent;
import java.util.List;
import java.util.Optional;

/**
 * A page of events from {@code /v1/.../relations} or {@code /v1/.../threads}.
 *
 * @param chunk the events
 * @param nextBatch the token for the next page, or null at the end
 * @param prevBatch the token for the previous page, or null
 */
public record EventPage(List<RoomEvent> chunk, String nextBatch, String prevBatch) {

  /**
   * Copies the list.
   *
   * @param chunk the events
   * @param nextBatch the token for the next page, or null at the end
   * @param prevBatch the token for the previous page, or null
   */
  public EventPage {
    chunk = List.copyOf(chunk);
  }

  /** {@return the token for the next page, or empty at the end} */
  public Optional<String> next() {
    return Optional.ofNullable(nextBatch);
  }
}
