package io.melo.core.event;


/** This user was invited somewhere. */
public sealed interface InviteEvent extends MeloEvent
    permits InvitedToServer, InvitedToConversation {

  /** {@return who sent the invite} */
  String inviterId();
}
