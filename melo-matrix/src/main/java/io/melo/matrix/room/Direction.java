package io.melo.matrix.room;

/** Which way to paginate a room's timeline. */
public enum Direction {
  /** Backwards, to older events ({@code dir=b}). */
  BACKWARD,
  /** Forwards, to newer events ({@code dir=f}). */
  FORWARD;

  /** {@return the query value, {@code b} or {@code f}} */
  public String wireName() {
    return this == BACKWARD ? "b" : "f";
  }
}
