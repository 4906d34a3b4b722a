package io.melo.core.event;


/** A server changed. */
public sealed interface ServerEvent extends MeloEvent
    permits ServerUpdated, ServerDeleted {

  /** {@return the server (space room id)} */
  String serverId();
}
