package io.melo.examples;

import io.melo.core.Message;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ChannelDeleted;
import io.melo.core.event.ChannelUpdated;
import io.melo.core.event.ChannelsReordered;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.InvitedToServer;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MemberBanned;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberKicked;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.PresenceChanged;
import io.melo.core.event.ProfileChanged;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.ReactionRemoved;
import io.melo.core.event.ReceiptReceived;
import io.melo.core.event.RoleChanged;
import io.melo.core.event.ServerDeleted;
import io.melo.core.event.ServerUpdated;
import io.melo.core.event.TypingChanged;
import io.melo.core.event.UnknownEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Renders Melo events as one readable line each, the way the demo and the console print them,
 * for example {@code MessageCreated in #general from alice: "hello"}. It remembers the names of
 * rooms it is told about and the text of recent messages it has seen, so that later events (an
 * edit, a reaction) can say which message they concern. Thread-safe.
 */
public final class EventText {

  private static final int REMEMBERED_MESSAGES = 1000;
  private static final int QUOTE_LENGTH = 40;

  private final Map<String, String> roomNames = new ConcurrentHashMap<>();
  private final Map<String, String> messageTexts =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REMEMBERED_MESSAGES;
        }
      };

  /** Creates a renderer that knows no room names yet (rooms then show by id). */
  public EventText() {}

  /**
   * Names a room for later lines: a channel as {@code #general}, a server as {@code Melo HQ}, a
   * conversation as {@code DM with bob}.
   *
   * @param roomId the room (or space) id
   * @param displayName how lines show it
   */
  public void nameRoom(String roomId, String displayName) {
    roomNames.put(Objects.requireNonNull(roomId, "roomId"), Objects.requireNonNull(displayName, "displayName"));
  }

  /**
   * How lines show a room.
   *
   * @param roomId the room (or space) id
   * @return the name given with {@link #nameRoom}, else the id
   */
  public String room(String roomId) {
    return roomNames.getOrDefault(roomId, roomId);
  }

  /**
   * Remembers a message's text so that later events about it can quote it.
   *
   * @param message the message as it stands now
   */
  public void remember(Message message) {
    synchronized (messageTexts) {
      messageTexts.put(message.id(), message.body());
    }
  }

  /**
   * How lines show a message.
   *
   * @param messageId the message's event id
   * @return its remembered text, quoted and shortened, else the id
   */
  public String quote(String messageId) {
    String text;
    synchronized (messageTexts) {
      text = messageTexts.get(messageId);
    }
    return text == null ? messageId : quoteText(text);
  }

  /**
   * Quotes a text for a line.
   *
   * @param text any text
   * @return {@code "text"} on one line, shortened with an ellipsis when long
   */
  public static String quoteText(String text) {
    String oneLine = text.replace('\n', ' ');
    if (oneLine.codePointCount(0, oneLine.length()) > QUOTE_LENGTH) {
      oneLine = oneLine.substring(0, oneLine.offsetByCodePoints(0, QUOTE_LENGTH - 1)) + "…";
    }
    return "\"" + oneLine + "\"";
  }

  /**
   * The short name of a user.
   *
   * @param userId a Matrix user id
   * @return its localpart: {@code alice} for {@code @alice:example.org}
   */
  public static String user(String userId) {
    if (userId == null || !userId.startsWith("@")) {
      return String.valueOf(userId);
    }
    int colon = userId.indexOf(':');
    return colon > 1 ? userId.substring(1, colon) : userId;
  }

  private static String users(List<String> userIds) {
    return userIds.stream().map(EventText::user).collect(Collectors.joining(", "));
  }

  /**
   * One line for an event, starting with its type's simple name, for example
   * {@code MemberJoined bob in Melo HQ}. Messages it describes are remembered for later quotes.
   *
   * @param event any Melo event
   * @return one line, without a line break
   */
  public String describe(MeloEvent event) {
    String type = event.getClass().getSimpleName();
    return type + " " + details(event);
  }

  private String details(MeloEvent event) {
    if (event instanceof MessageCreated e) {
      Message m = e.message();
      remember(m);
      StringBuilder line = new StringBuilder()
          .append("in ").append(room(e.roomId()))
          .append(" from ").append(user(m.senderId()));
      m.replyToId().ifPresent(id -> line.append(" (reply to ").append(quote(id)).append(')'));
      m.threadRootId().ifPresent(id -> line.append(" (in thread ").append(quote(id)).append(')'));
      line.append(": ");
      m.attachment().ifPresentOrElse(
          a -> line.append('[').append(m.kind()).append(' ').append(a.fileName()).append(']'),
          () -> line.append(quoteText(m.body())));
      return line.toString();
    } else if (event instanceof MessageEdited e) {
      String before = quote(e.message().id());
      remember(e.message());
      return "in " + room(e.roomId()) + " by " + user(e.message().senderId()) + ": " + before + " is now "
          + quoteText(e.message().body());
    } else if (event instanceof MessageDeleted e) {
      return "in " + room(e.roomId()) + ": " + quote(e.messageId()) + " deleted by " + user(e.deletedBy());
    } else if (event instanceof ReactionAdded e) {
      return e.key() + " by " + user(e.senderId()) + " on " + quote(e.messageId()) + " in " + room(e.roomId());
    } else if (event instanceof ReactionRemoved e) {
      return e.key() + " by " + user(e.senderId()) + " taken back from " + quote(e.messageId()) + " in "
          + room(e.roomId());
    } else if (event instanceof MemberJoined e) {
      return user(e.userId()) + " in " + room(e.serverId());
    } else if (event instanceof MemberLeft e) {
      return user(e.userId()) + " from " + room(e.serverId());
    } else if (event instanceof MemberKicked e) {
      return user(e.userId()) + " from " + room(e.serverId()) + " by " + user(e.kickedBy())
          + e.reason().map(r -> " (" + r + ")").orElse("");
    } else if (event instanceof MemberBanned e) {
      return user(e.userId()) + " from " + room(e.serverId()) + " by " + user(e.bannedBy())
          + e.reason().map(r -> " (" + r + ")").orElse("");
    } else if (event instanceof RoleChanged e) {
      return user(e.userId()) + " in " + room(e.serverId()) + ": " + e.oldRole() + " -> " + e.newRole();
    } else if (event instanceof ChannelCreated e) {
      nameRoom(e.channel().id(), "#" + e.channel().name());
      return "#" + e.channel().name() + " (" + e.channel().type() + ") in " + room(e.serverId());
    } else if (event instanceof ChannelUpdated e) {
      nameRoom(e.channel().id(), "#" + e.channel().name());
      return "#" + e.channel().name() + " in " + room(e.serverId())
          + e.channel().topic().map(t -> ", topic " + quoteText(t)).orElse("");
    } else if (event instanceof ChannelDeleted e) {
      return room(e.channelId()) + " in " + room(e.serverId()) + " by " + user(e.deletedBy());
    } else if (event instanceof ChannelsReordered e) {
      return "in " + room(e.serverId()) + ": "
          + e.channelIds().stream().map(this::room).collect(Collectors.joining(", "));
    } else if (event instanceof ServerUpdated e) {
      nameRoom(e.serverId(), e.server().name());
      return e.server().name() + e.server().topic().map(t -> ", topic " + quoteText(t)).orElse("");
    } else if (event instanceof ServerDeleted e) {
      return room(e.serverId()) + " by " + user(e.deletedBy());
    } else if (event instanceof InvitedToServer e) {
      return e.serverName().orElse(e.serverId()) + " by " + user(e.inviterId());
    } else if (event instanceof InvitedToConversation e) {
      return "from " + user(e.inviterId());
    } else if (event instanceof TypingChanged e) {
      return "in " + room(e.roomId()) + ": "
          + (e.userIds().isEmpty()
              ? "nobody is typing"
              : users(e.userIds()) + (e.userIds().size() == 1 ? " is typing" : " are typing"));
    } else if (event instanceof ReceiptReceived e) {
      return "in " + room(e.roomId()) + ": " + user(e.userId()) + " read up to " + quote(e.eventId());
    } else if (event instanceof PresenceChanged e) {
      return user(e.userId()) + " is " + e.presence() + e.statusMessage().map(s -> " (" + s + ")").orElse("");
    } else if (event instanceof ProfileChanged e) {
      return user(e.userId()) + " is now " + e.profile().displayNameOrId();
    } else if (event instanceof ConnectionStateChanged e) {
      return e.state() + e.failure().map(f -> ": " + f.getMessage()).orElse("");
    } else if (event instanceof UnknownEvent e) {
      return e.type() + e.roomId().map(r -> " in " + room(r)).orElse("");
    }
    return event.toString();
  }
}
