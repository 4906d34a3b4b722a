package io.melo.matrix.sync;

import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.event.EventTypes;
import io.melo.matrix.event.RoomEvent;
import io.melo.matrix.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The updates of one joined room in a sync.
 *
 * @param roomId the room
 * @param summary the summary (fields null when not sent)
 * @param state state between the previous sync and the start of the timeline
 * @param stateAfter state up to the end of the timeline, when the server sent {@code state_after}; null otherwise
 * @param timeline the new events
 * @param ephemeral ephemeral events: typing, receipts
 * @param accountData the user's account data for this room
 * @param unreadNotifications unread counts of the room (main timeline and threads); null when not sent
 * @param unreadThreadNotifications unread counts per thread root event id
 * @param extra every other field, as received
 */
public record JoinedRoom(
    String roomId,
    RoomSummary summary,
    List<RoomEvent> state,
    List<RoomEvent> stateAfter,
    Timeline timeline,
    List<BasicEvent> ephemeral,
    List<BasicEvent> accountData,
    UnreadCounts unreadNotifications,
    Map<String, UnreadCounts> unreadThreadNotifications,
    JsonObject extra) {

  /**
   * Copies the lists and replaces null parts with empty ones (except {@code stateAfter} and {@code
   * unreadNotifications}).
   *
   * @param roomId the room
   * @param summary the summary (fields null when not sent)
   * @param state state between the previous sync and the start of the timeline
   * @param stateAfter state up to the end of the timeline, when the server sent {@code
   *     state_after}; null otherwise
   * @param timeline the new events
   * @param ephemeral ephemeral events: typing, receipts
   * @param accountData the user's account data for this room
   * @param unreadNotifications unread counts of the room (main timeline and threads); null when not
   *     sent
   * @param unreadThreadNotifications unread counts per thread root event id
   * @param extra every other field, as received
   */
  public JoinedRoom {
    if (roomId == null) {
      throw new IllegalArgumentException("roomId must not be null");
    }
    summary = summary == null ? RoomSummary.EMPTY : summary;
    state = Lists.copy(state);
    stateAfter = stateAfter == null ? null : Lists.copy(stateAfter);
    timeline = timeline == null ? Timeline.EMPTY : timeline;
    ephemeral = Lists.copy(ephemeral);
    accountData = Lists.copy(accountData);
    unreadThreadNotifications = Lists.copy(unreadThreadNotifications);
    extra = extra == null ? JsonObject.EMPTY : extra;
  }

  /**
   * {@return the users typing now, when this sync carried an {@code m.typing} event (an empty list
   * then means nobody types); empty when it carried none (no change)}
   */
  public Optional<List<String>> typingUserIds() {
    for (BasicEvent event : ephemeral) {
      if (EventTypes.TYPING.equals(event.type())) {
        return Optional.of(event.content().getStringList("user_ids"));
      }
    }
    return Optional.empty();
  }

  /**
   * {@return every read receipt in this sync's {@code m.receipt} events, in order} Malformed
   * entries are skipped.
   */
  public List<Receipt> receipts() {
    List<Receipt> out = new ArrayList<>();
    for (BasicEvent event : ephemeral) {
      if (!EventTypes.RECEIPT.equals(event.type())) {
        continue;
      }
      event.content().forEach((eventId, byType) -> {
        if (!(byType instanceof JsonObject types)) {
          return;
        }
        types.forEach((receiptType, byUser) -> {
          if (!(byUser instanceof JsonObject users)) {
            return;
          }
          users.forEach((userId, receipt) -> {
            JsonObject r = receipt.asObject().orElse(JsonObject.EMPTY);
            Long ts = r.getLong("ts").isPresent() ? r.getLong("ts").getAsLong() : null;
            out.add(new Receipt(eventId, receiptType, userId, ts, r.getStringOrNull("thread_id")));
          });
        });
      });
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * {@return the state events to apply: {@code state_after} when sent, else {@code state} then the
   * timeline's state events}
   */
  public List<RoomEvent> stateChanges() {
    if (stateAfter != null) {
      return stateAfter;
    }
    List<RoomEvent> out = new ArrayList<>(state);
    for (RoomEvent event : timeline.events()) {
      if (event.isState()) {
        out.add(event);
      }
    }
    return Collections.unmodifiableList(out);
  }

}
