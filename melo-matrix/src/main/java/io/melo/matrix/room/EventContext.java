package io.melo.matrix.room;

import io.melo.matrix.event.RoomEvent;
import java.util.List;

/**
 * The answer of {@code GET /rooms/{roomId}/context/{eventId}}.
 *
 * @param event the requested event
 * @param eventsBefore events before it, newest first
 * @param eventsAfter events after it, oldest first
 * @param start a token to paginate backwards from, or null
 * @param end a token to paginate forwards from, or null
 * @param state the room state at the last returned event
 */
public record EventContext(
    RoomEvent event,
    List<RoomEvent> eventsBefore,
    List<RoomEvent> eventsAfter,
    String start,
    String end,
    List<RoomEvent> state) {

  /**
   * Copies the lists.
   *
   * @param event the requested event
   * @param eventsBefore events before it, newest first
   * @param eventsAfter events after it, oldest first
   * @param start a token to paginate backwards from, or null
   * @param end a token to paginate forwards from, or null
   * @param state the room state at the last returned event
   */
  public EventContext {
    eventsBefore = List.copyOf(eventsBefore);
    eventsAfter = List.copyOf(eventsAfter);
    state = List.copyOf(state);
  }
}
