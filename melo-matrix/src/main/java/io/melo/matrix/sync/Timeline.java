package io.melo.matrix.sync;

import io.melo.matrix.event.RoomEvent;
import java.util.List;

/**
 * The new events of a room in one sync, oldest first.
 *
 * @param events the events
 * @param limited true when the server left out events before these (there is a gap; paginate back from {@code prevBatch})
 * @param prevBatch a token for {@code /messages} to fetch earlier events; null when not given
 */
public record Timeline(List<RoomEvent> events, boolean limited, String prevBatch) {

  /** No events. */
  public static final Timeline EMPTY = new Timeline(List.of(), false, null);

  /**
   * Copies the list.
   *
   * @param events the events
   * @param limited true when the server left out events before these (there is a gap; paginate back
   *     from {@code prevBatch})
   * @param prevBatch a token for {@code /messages} to fetch earlier events; null when not given
   */
  public Timeline {
    events = Lists.copy(events);
  }
}
