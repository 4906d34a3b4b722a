package io.melo.matrix.sync;

import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import java.util.List;

/**
 * A room the user left, was kicked or banned from, with the events up to that point.
 *
 * @param roomId the room
 * @param state state between the previous sync and the start of the timeline
 * @param stateAfter {@code state_after} when sent; null otherwise
 * @param timeline the events up to the leave
 * @param accountData the user's account data for this room
 * @param extra every other field, as received
 */
public record LeftRoom(String roomId, List<RoomEvent> state, List<RoomEvent> stateAfter, Timeline timeline,
    List<BasicEvent> accountData, JsonObject extra) {

  /**
   * Copies the lists and replaces null parts with empty ones (except {@code stateAfter}).
   *
   * @param roomId the room
   * @param state state between the previous sync and the start of the timeline
   * @param stateAfter {@code state_after} when sent; null otherwise
   * @param timeline the events up to the leave
   * @param accountData the user's account data for this room
   * @param extra every other field, as received
   */
  public LeftRoom {
    if (roomId == null) {
      throw new IllegalArgumentException("roomId must not be null");
    }
    state = Lists.copy(state);
    stateAfter = stateAfter == null ? null : Lists.copy(stateAfter);
    timeline = timeline == null ? Timeline.EMPTY : timeline;
    accountData = Lists.copy(accountData);
    extra = extra == null ? JsonObject.EMPTY : extra;
  }
}
