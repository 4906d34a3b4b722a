package io.melo.core.event;


/** Something happened to a member of a server. */
public sealed interface MemberEvent extends MeloEvent
    permits MemberJoined, MemberLeft, MemberKicked, MemberBanned, RoleChanged {

  /** {@return the server (space room id)} */
  String serverId();

  /** {@return the member concerned} */
  String userId();
}
