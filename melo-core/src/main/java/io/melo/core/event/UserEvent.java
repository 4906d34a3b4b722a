package io.melo.core.event;


/** A user's presence or profile changed. */
public sealed interface UserEvent extends MeloEvent
    permits PresenceChanged, ProfileChanged {

  /** {@return the user concerned} */
  String userId();
}
