package io.melo.matrix.sync;

/** The {@code set_presence} of a sync request: how polling marks the user. */
public enum Presence {
  /** {@code online}: polling marks the user online (the server's default). */
  ONLINE("online"),
  /** {@code offline}: polling does not mark the user online. */
  OFFLINE("offline"),
  /** {@code unavailable}: polling marks the user idle. */
  UNAVAILABLE("unavailable");

  private final String value;

  Presence(String value) {
    this.value = value;
  }

  /** {@return the wire string} */
  public String value() {
    return value;
  }
}
