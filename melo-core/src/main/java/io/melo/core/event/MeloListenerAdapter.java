package io.melo.core.event;

/**
 * A {@link MeloListener} with one empty method per kind of event and one per family; override
 * the ones you need. For each event, {@link #onGenericEvent(MeloEvent)} runs first, then the
 * family method (such as {@link #onMessageEvent(MessageEvent)}), then the method of the event's
 * own type (such as {@link #onMessageCreated(MessageCreated)}).
 *
 * <p>Routing is one {@code instanceof} chain over the sealed {@link MeloEvent} tree; a test proves
 * that every leaf reaches its method.
 */
public abstract class MeloListenerAdapter implements MeloListener {

  /** Creates an adapter. */
  protected MeloListenerAdapter() {}

  /** Routes {@code event} to the generic, family and type methods. */
  @Override
  public final void onEvent(MeloEvent event) {
    onGenericEvent(event);
    if (event instanceof MessageEvent family) {
      onMessageEvent(family);
      if (event instanceof MessageCreated e) {
        onMessageCreated(e);
      } else if (event instanceof MessageEdited e) {
        onMessageEdited(e);
      } else if (event instanceof MessageDeleted e) {
        onMessageDeleted(e);
      } else if (event instanceof ReactionAdded e) {
        onReactionAdded(e);
      } else if (event instanceof ReactionRemoved e) {
        onReactionRemoved(e);
      } else if (event instanceof HistoryGap e) {
        onHistoryGap(e);
      }
    } else if (event instanceof MemberEvent family) {
      onMemberEvent(family);
      if (event instanceof MemberJoined e) {
        onMemberJoined(e);
      } else if (event instanceof MemberLeft e) {
        onMemberLeft(e);
      } else if (event instanceof MemberKicked e) {
        onMemberKicked(e);
      } else if (event instanceof MemberBanned e) {
        onMemberBanned(e);
      } else if (event instanceof RoleChanged e) {
        onRoleChanged(e);
      }
    } else if (event instanceof ChannelEvent family) {
      onChannelEvent(family);
      if (event instanceof ChannelCreated e) {
        onChannelCreated(e);
      } else if (event instanceof ChannelUpdated e) {
        onChannelUpdated(e);
      } else if (event instanceof ChannelDeleted e) {
        onChannelDeleted(e);
      } else if (event instanceof ChannelsReordered e) {
        onChannelsReordered(e);
      }
    } else if (event instanceof ServerEvent family) {
      onServerEvent(family);
      if (event instanceof ServerUpdated e) {
        onServerUpdated(e);
      } else if (event instanceof ServerDeleted e) {
        onServerDeleted(e);
      }
    } else if (event instanceof InviteEvent family) {
      onInviteEvent(family);
      if (event instanceof InvitedToServer e) {
        onInvitedToServer(e);
      } else if (event instanceof InvitedToConversation e) {
        onInvitedToConversation(e);
      }
    } else if (event instanceof RoomActivityEvent family) {
      onRoomActivityEvent(family);
      if (event instanceof TypingChanged e) {
        onTypingChanged(e);
      } else if (event instanceof ReceiptReceived e) {
        onReceiptReceived(e);
      }
    } else if (event instanceof UserEvent family) {
      onUserEvent(family);
      if (event instanceof PresenceChanged e) {
        onPresenceChanged(e);
      } else if (event instanceof ProfileChanged e) {
        onProfileChanged(e);
      }
    } else if (event instanceof ConnectionStateChanged e) {
      onConnectionStateChanged(e);
    } else if (event instanceof UnknownEvent e) {
      onUnknownEvent(e);
    }
  }

  /**
   * Called for every event, before any other method.
   *
   * @param event the event, of any type
   */
  public void onGenericEvent(MeloEvent event) {}

  /**
   * Called for every {@link MessageEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onMessageEvent(MessageEvent event) {}

  /**
   * Called for each {@link MessageCreated}.
   *
   * @param event the event
   */
  public void onMessageCreated(MessageCreated event) {}

  /**
   * Called for each {@link MessageEdited}.
   *
   * @param event the event
   */
  public void onMessageEdited(MessageEdited event) {}

  /**
   * Called for each {@link MessageDeleted}.
   *
   * @param event the event
   */
  public void onMessageDeleted(MessageDeleted event) {}

  /**
   * Called for each {@link ReactionAdded}.
   *
   * @param event the event
   */
  public void onReactionAdded(ReactionAdded event) {}

  /**
   * Called for each {@link ReactionRemoved}.
   *
   * @param event the event
   */
  public void onReactionRemoved(ReactionRemoved event) {}

  /**
   * Called for every {@link MemberEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onMemberEvent(MemberEvent event) {}

  /**
   * Called for each {@link HistoryGap}.
   *
   * @param event the event
   */
  public void onHistoryGap(HistoryGap event) {}

  /**
   * Called for each {@link MemberJoined}.
   *
   * @param event the event
   */
  public void onMemberJoined(MemberJoined event) {}

  /**
   * Called for each {@link MemberLeft}.
   *
   * @param event the event
   */
  public void onMemberLeft(MemberLeft event) {}

  /**
   * Called for each {@link MemberKicked}.
   *
   * @param event the event
   */
  public void onMemberKicked(MemberKicked event) {}

  /**
   * Called for each {@link MemberBanned}.
   *
   * @param event the event
   */
  public void onMemberBanned(MemberBanned event) {}

  /**
   * Called for each {@link RoleChanged}.
   *
   * @param event the event
   */
  public void onRoleChanged(RoleChanged event) {}

  /**
   * Called for every {@link ChannelEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onChannelEvent(ChannelEvent event) {}

  /**
   * Called for each {@link ChannelCreated}.
   *
   * @param event the event
   */
  public void onChannelCreated(ChannelCreated event) {}

  /**
   * Called for each {@link ChannelUpdated}.
   *
   * @param event the event
   */
  public void onChannelUpdated(ChannelUpdated event) {}

  /**
   * Called for each {@link ChannelDeleted}.
   *
   * @param event the event
   */
  public void onChannelDeleted(ChannelDeleted event) {}

  /**
   * Called for each {@link ChannelsReordered}.
   *
   * @param event the event
   */
  public void onChannelsReordered(ChannelsReordered event) {}

  /**
   * Called for every {@link ServerEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onServerEvent(ServerEvent event) {}

  /**
   * Called for each {@link ServerUpdated}.
   *
   * @param event the event
   */
  public void onServerUpdated(ServerUpdated event) {}

  /**
   * Called for each {@link ServerDeleted}.
   *
   * @param event the event
   */
  public void onServerDeleted(ServerDeleted event) {}

  /**
   * Called for every {@link InviteEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onInviteEvent(InviteEvent event) {}

  /**
   * Called for each {@link InvitedToServer}.
   *
   * @param event the event
   */
  public void onInvitedToServer(InvitedToServer event) {}

  /**
   * Called for each {@link InvitedToConversation}.
   *
   * @param event the event
   */
  public void onInvitedToConversation(InvitedToConversation event) {}

  /**
   * Called for every {@link RoomActivityEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onRoomActivityEvent(RoomActivityEvent event) {}

  /**
   * Called for each {@link TypingChanged}.
   *
   * @param event the event
   */
  public void onTypingChanged(TypingChanged event) {}

  /**
   * Called for each {@link ReceiptReceived}.
   *
   * @param event the event
   */
  public void onReceiptReceived(ReceiptReceived event) {}

  /**
   * Called for every {@link UserEvent}, before the method for its kind.
   *
   * @param event the event, of any kind in the family
   */
  public void onUserEvent(UserEvent event) {}

  /**
   * Called for each {@link PresenceChanged}.
   *
   * @param event the event
   */
  public void onPresenceChanged(PresenceChanged event) {}

  /**
   * Called for each {@link ProfileChanged}.
   *
   * @param event the event
   */
  public void onProfileChanged(ProfileChanged event) {}

  /**
   * Called for each {@link ConnectionStateChanged}.
   *
   * @param event the event
   */
  public void onConnectionStateChanged(ConnectionStateChanged event) {}

  /**
   * Called for each {@link UnknownEvent}.
   *
   * @param event the event
   */
  public void onUnknownEvent(UnknownEvent event) {}
}
