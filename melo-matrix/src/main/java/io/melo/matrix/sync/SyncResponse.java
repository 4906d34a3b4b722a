package io.melo.matrix.sync;

import io.melo.matrix.event.BasicEvent;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.util.List;

/**
 * One {@code /sync} answer. Parse it with {@link SyncResponseParser}. Fields the model has no type for
 * stay as raw JSON ({@code deviceLists}, {@code extra}); events that were not valid are kept in
 * {@link #rejected()} rather than failing the whole batch.
 *
 * @param nextBatch the token for the next request's {@code since}
 * @param rooms the room updates
 * @param presence presence events
 * @param accountData global account data events
 * @param toDevice to-device messages
 * @param deviceLists {@code device_lists} as received (empty when absent)
 * @param extra every other top-level field, such as {@code device_one_time_keys_count}
 * @param rejected parts of the answer that broke the spec and were set aside, in document order
 */
public record SyncResponse(
    String nextBatch,
    Rooms rooms,
    List<BasicEvent> presence,
    List<BasicEvent> accountData,
    List<BasicEvent> toDevice,
    JsonObject deviceLists,
    JsonObject extra,
    List<Rejected> rejected) {

  /**
   * Checks the token and replaces null parts with empty ones.
   *
   * @param nextBatch the token for the next request's {@code since}
   * @param rooms the room updates
   * @param presence presence events
   * @param accountData global account data events
   * @param toDevice to-device messages
   * @param deviceLists {@code device_lists} as received (empty when absent)
   * @param extra every other top-level field, such as {@code device_one_time_keys_count}
   * @param rejected parts of the answer that broke the spec and were set aside, in document order
   */
  public SyncResponse {
    if (nextBatch == null || nextBatch.isEmpty()) {
      throw new IllegalArgumentException("nextBatch must not be empty");
    }
    rooms = rooms == null ? Rooms.EMPTY : rooms;
    presence = Lists.copy(presence);
    accountData = Lists.copy(accountData);
    toDevice = Lists.copy(toDevice);
    deviceLists = deviceLists == null ? JsonObject.EMPTY : deviceLists;
    extra = extra == null ? JsonObject.EMPTY : extra;
    rejected = Lists.copy(rejected);
  }

  /**
   * {@return an answer with nothing but a token, as a long poll that timed out returns}
   *
   * @param nextBatch the token to continue from
   */
  public static SyncResponse empty(String nextBatch) {
    return new SyncResponse(nextBatch, Rooms.EMPTY, List.of(), List.of(), List.of(), JsonObject.EMPTY, JsonObject.EMPTY, List.of());
  }

  /**
   * A part of the answer that broke the spec (an event without {@code event_id}, a section of the
   * wrong kind, ...), kept as received.
   *
   * @param path where it was, such as {@code rooms.join.!r:hs.timeline.events[3]}
   * @param reason what was wrong
   * @param raw the JSON as received
   */
  public record Rejected(String path, String reason, JsonValue raw) {}
}
