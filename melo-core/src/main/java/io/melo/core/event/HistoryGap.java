package io.melo.core.event;

import io.melo.core.MeloClient;
import java.util.Objects;
import java.util.Optional;

/**
 * The live timeline of a room skipped messages (the homeserver sent a limited sync after a long
 * absence, or the app's sync store was found damaged at start, so what came since its last save is
 * unknown): they are not lost, but no "created" events came for them. Load them with
 * {@code MeloClient.messages(roomId, cursor, limit)}.
 *
 * @param client the client that saw the event
 * @param sequence the event's position in this client's stream, increasing, kept across restarts
 * @param roomId the channel or conversation room
 * @param serverId the server of the channel; empty in a conversation
 * @param cursor the cursor to page backwards from, through the skipped messages; empty when the
 *     homeserver gave none (a limited sync without {@code prev_batch}): then page from the newest
 *     message (a null cursor) on
 */
public record HistoryGap(MeloClient client, long sequence, String roomId, Optional<String> serverId, String cursor)
    implements MessageEvent {

  /**
   * Validates the fields.
   *
   * @param client the client that saw the event
   * @param sequence the event's position in this client's stream, increasing, kept across restarts
   * @param roomId the channel or conversation room
   * @param serverId the server of the channel; empty in a conversation
   * @param cursor the cursor to page backwards from, through the skipped messages; empty when the
   *     homeserver gave none
   */
  public HistoryGap {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(cursor, "cursor");
  }
}
