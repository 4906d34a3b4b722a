package io.melo.matrix.sync;

import java.util.List;

/**
 * A {@link JoinedRoomSink} that takes the plain member state events of each room's {@code state}
 * section in a compact form ({@link JoinedRoomMember}) instead of as JSON trees: a cache that keeps
 * only those fields of a member saves the parse and the garbage of the trees, which in a large
 * initial sync are about half of the answer. The parser calls
 * {@link #joinedRoom(JoinedRoom, List)} instead of {@link #joinedRoom(JoinedRoom)}.
 *
 * <p>What is left out of a compact member is only what its record has no field for: the event's
 * {@code unsigned} data, its {@code room_id} and any other top-level field. An event that breaks
 * the spec, or whose content has anything but string {@code membership}, {@code displayname} and
 * {@code avatar_url}, is not compacted: it is in {@code room.state()} (or set aside in
 * {@link SyncResponse#rejected()}) as with a plain sink.
 */
public interface JoinedRoomCompactSink extends JoinedRoomSink {

  /**
   * One joined room, in the order the server sent it, on the thread reading the answer.
   *
   * @param room the room; its {@code state()} holds the state events that were not compacted, in order
   * @param members the compacted member events of the room's {@code state} section, in the order sent.
   *     Every one of them was sent before every member event in {@code room.state()} (once a member
   *     event cannot be compacted, the members after it stay full events too), so applying
   *     {@code members} first and then {@code room.state()} applies the state in the order sent
   * @throws RuntimeException to abort reading the answer; the fetch then fails
   */
  void joinedRoom(JoinedRoom room, List<JoinedRoomMember> members);

  /** A room without compacted members: {@link #joinedRoom(JoinedRoom, List)} with an empty list. */
  @Override
  default void joinedRoom(JoinedRoom room) {
    joinedRoom(room, List.of());
  }
}
