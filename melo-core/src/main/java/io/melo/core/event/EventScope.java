package io.melo.core.event;

import java.util.Objects;
import java.util.Optional;

/**
 * Which events a listener receives: all of a client's events, those of one server (its space,
 * members and all its channels), or those of one room (a channel or a conversation).
 *
 * <p>A server scope receives every event whose {@link #serverOf(MeloEvent) server} is that
 * server; a room scope every event whose {@link #roomOf(MeloEvent) room} is that room. Events that
 * belong to no server or room (presence, profiles, connection state) reach only {@link #all()}.
 */
public final class EventScope {

  private static final EventScope ALL = new EventScope(null, null);

  private final String serverId;
  private final String roomId;

  private EventScope(String serverId, String roomId) {
    this.serverId = serverId;
    this.roomId = roomId;
  }

  /** {@return every event of the client} */
  public static EventScope all() {
    return ALL;
  }

  /**
   * {@return the events of one server: its own, its members' and those of each of its channels}
   *
   * @param serverId the server's id; not null
   */
  public static EventScope server(String serverId) {
    return new EventScope(Objects.requireNonNull(serverId, "serverId"), null);
  }

  /**
   * {@return the events of one channel (or conversation) room}
   *
   * @param roomId the room's id; not null
   */
  public static EventScope channel(String roomId) {
    return new EventScope(null, Objects.requireNonNull(roomId, "roomId"));
  }

  /**
   * {@return true when {@code event} is within this scope}
   *
   * @param event the event to test
   */
  public boolean matches(MeloEvent event) {
    if (serverId != null) {
      return serverOf(event).map(serverId::equals).orElse(false);
    }
    if (roomId != null) {
      return roomOf(event).map(roomId::equals).orElse(false);
    }
    return true;
  }

  /**
   * {@return the server an event belongs to, if any}
   *
   * @param event any event
   */
  public static Optional<String> serverOf(MeloEvent event) {
    if (event instanceof MessageEvent e) {
      return e.serverId();
    } else if (event instanceof MemberEvent e) {
      return Optional.of(e.serverId());
    } else if (event instanceof ChannelEvent e) {
      return Optional.of(e.serverId());
    } else if (event instanceof ServerEvent e) {
      return Optional.of(e.serverId());
    } else if (event instanceof InvitedToServer e) {
      return Optional.of(e.serverId());
    } else if (event instanceof InvitedToConversation) {
      return Optional.empty();
    } else if (event instanceof RoomActivityEvent e) {
      return e.serverId();
    } else if (event instanceof UserEvent || event instanceof ConnectionStateChanged) {
      return Optional.empty();
    } else if (event instanceof UnknownEvent e) {
      return e.serverId();
    }
    throw new AssertionError("no scope rule for " + event.getClass().getName());
  }

  /**
   * {@return the room an event happened in, if any: the channel or conversation for messages and
   * activity, the channel for a created, updated or deleted channel, the space for server and
   * member events}
   *
   * @param event any event
   */
  public static Optional<String> roomOf(MeloEvent event) {
    if (event instanceof MessageEvent e) {
      return Optional.of(e.roomId());
    } else if (event instanceof MemberEvent e) {
      return Optional.of(e.serverId());
    } else if (event instanceof ChannelCreated e) {
      return Optional.of(e.channel().id());
    } else if (event instanceof ChannelUpdated e) {
      return Optional.of(e.channel().id());
    } else if (event instanceof ChannelDeleted e) {
      return Optional.of(e.channelId());
    } else if (event instanceof ChannelsReordered e) {
      return Optional.of(e.serverId());
    } else if (event instanceof ServerEvent e) {
      return Optional.of(e.serverId());
    } else if (event instanceof InvitedToServer e) {
      return Optional.of(e.serverId());
    } else if (event instanceof InvitedToConversation e) {
      return Optional.of(e.roomId());
    } else if (event instanceof RoomActivityEvent e) {
      return Optional.of(e.roomId());
    } else if (event instanceof UserEvent || event instanceof ConnectionStateChanged) {
      return Optional.empty();
    } else if (event instanceof UnknownEvent e) {
      return e.roomId();
    }
    throw new AssertionError("no scope rule for " + event.getClass().getName());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventScope s
        && Objects.equals(serverId, s.serverId)
        && Objects.equals(roomId, s.roomId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serverId, roomId);
  }

  @Override
  public String toString() {
    return serverId != null
        ? "EventScope.server(" + serverId + ")"
        : roomId != null ? "EventScope.channel(" + roomId + ")" : "EventScope.all()";
  }
}
