package io.melo.matrix.room;

import io.melo.matrix.event.RoomEvent;
import java.util.List;
import java.util.Optional;

/**
 * A page of {@code GET /rooms/{roomId}/messages}.
 *
 * @param chunk the events, in the requested direction
 * @param start the token the page starts at
 * @param end the token to continue from, or null when there are no more events
 * @param state state events relevant to the chunk (lazy-loaded members)
 */
public record Messages(List<RoomEvent> chunk, String start, String end, List<RoomEvent> state) {

  /**
   * Copies the lists.
   *
   * @param chunk the events, in the requested direction
   * @param start the token the page starts at
   * @param end the token to continue from, or null when there are no more events
   * @param state state events relevant to the chunk (lazy-loaded members)
   */
  public Messages {
    chunk = List.copyOf(chunk);
    state = List.copyOf(state);
  }

  /** {@return the token for the next page, or empty at the end of the timeline} */
  public Optional<String> next() {
    return Optional.ofNullable(end);
  }
}
