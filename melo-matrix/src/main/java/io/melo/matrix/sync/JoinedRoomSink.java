package io.melo.matrix.sync;

/**
 * Takes the joined rooms of a {@code /sync} answer one at a time, while the answer is still being
 * read, so that a large answer (an initial sync of many rooms) is never in memory as a whole: each
 * room can be applied and dropped before the next one is parsed. See
 * {@link SyncResponseParser#parse(okio.BufferedSource, JoinedRoomSink)} and
 * {@code MatrixClient.syncSource(JoinedRoomSink)}.
 *
 * <p>A room handed to the sink is not yet part of a complete answer: reading may still fail after
 * it (the connection drops, the rest is not JSON). The fetch then fails, its token is never
 * delivered, and the next attempt hands the rooms again, so a sink should take a room it has seen
 * before as a fresh copy that replaces what it had (an initial sync's rooms hold the full state).
 */
@FunctionalInterface
public interface JoinedRoomSink {

  /**
   * One joined room, in the order the server sent it, on the thread reading the answer.
   *
   * @param room the room, complete (its timeline, state, ephemeral events and counts)
   * @throws RuntimeException to abort reading the answer; the fetch then fails
   */
  void joinedRoom(JoinedRoom room);
}
