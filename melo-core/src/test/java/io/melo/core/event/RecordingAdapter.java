package io.melo.core.event;

import java.util.List;

/** Overrides every hook of {@link MeloListenerAdapter} and records which ran, in order. */
final class RecordingAdapter extends MeloListenerAdapter {

  private final List<String> calls;

  RecordingAdapter(List<String> calls) {
    this.calls = calls;
  }

  @Override
  public void onGenericEvent(MeloEvent event) {
    calls.add("onGenericEvent");
  }

  @Override
  public void onMessageEvent(MessageEvent event) {
    calls.add("onMessageEvent");
  }

  @Override
  public void onMessageCreated(MessageCreated event) {
    calls.add("onMessageCreated");
  }

  @Override
  public void onMessageEdited(MessageEdited event) {
    calls.add("onMessageEdited");
  }

  @Override
  public void onMessageDeleted(MessageDeleted event) {
    calls.add("onMessageDeleted");
  }

  @Override
  public void onReactionAdded(ReactionAdded event) {
    calls.add("onReactionAdded");
  }

  @Override
  public void onReactionRemoved(ReactionRemoved event) {
    calls.add("onReactionRemoved");
  }

  @Override
  public void onMemberEvent(MemberEvent event) {
    calls.add("onMemberEvent");
  }

  @Override
  public void onMemberJoined(MemberJoined event) {
    calls.add("onMemberJoined");
  }

  @Override
  public void onMemberLeft(MemberLeft event) {
    calls.add("onMemberLeft");
  }

  @Override
  public void onMemberKicked(MemberKicked event) {
    calls.add("onMemberKicked");
  }

  @Override
  public void onMemberBanned(MemberBanned event) {
    calls.add("onMemberBanned");
  }

  @Override
  public void onRoleChanged(RoleChanged event) {
    calls.add("onRoleChanged");
  }

  @Override
  public void onChannelEvent(ChannelEvent event) {
    calls.add("onChannelEvent");
  }

  @Override
  public void onChannelCreated(ChannelCreated event) {
    calls.add("onChannelCreated");
  }

  @Override
  public void onChannelUpdated(ChannelUpdated event) {
    calls.add("onChannelUpdated");
  }

  @Override
  public void onChannelDeleted(ChannelDeleted event) {
    calls.add("onChannelDeleted");
  }

  @Override
  public void onChannelsReordered(ChannelsReordered event) {
    calls.add("onChannelsReordered");
  }

  @Override
  public void onServerEvent(ServerEvent event) {
    calls.add("onServerEvent");
  }

  @Override
  public void onServerUpdated(ServerUpdated event) {
    calls.add("onServerUpdated");
  }

  @Override
  public void onServerDeleted(ServerDeleted event) {
    calls.add("onServerDeleted");
  }

  @Override
  public void onInviteEvent(InviteEvent event) {
    calls.add("onInviteEvent");
  }

  @Override
  public void onInvitedToServer(InvitedToServer event) {
    calls.add("onInvitedToServer");
  }

  @Override
  public void onInvitedToConversation(InvitedToConversation event) {
    calls.add("onInvitedToConversation");
  }

  @Override
  public void onRoomActivityEvent(RoomActivityEvent event) {
    calls.add("onRoomActivityEvent");
  }

  @Override
  public void onTypingChanged(TypingChanged event) {
    calls.add("onTypingChanged");
  }

  @Override
  public void onReceiptReceived(ReceiptReceived event) {
    calls.add("onReceiptReceived");
  }

  @Override
  public void onUserEvent(UserEvent event) {
    calls.add("onUserEvent");
  }

  @Override
  public void onPresenceChanged(PresenceChanged event) {
    calls.add("onPresenceChanged");
  }

  @Override
  public void onProfileChanged(ProfileChanged event) {
    calls.add("onProfileChanged");
  }

  @Override
  public void onConnectionStateChanged(ConnectionStateChanged event) {
    calls.add("onConnectionStateChanged");
  }

  @Override
  public void onUnknownEvent(UnknownEvent event) {
    calls.add("onUnknownEvent");
  }
  @Override
  public void onHistoryGap(HistoryGap event) {
    calls.add("onHistoryGap");
  }
}
