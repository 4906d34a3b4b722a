package io.melo.matrix.json;

import java.io.IOException;

/**
 * A JSON value nested deeper than {@link JsonValue#MAX_DEPTH} levels. Thrown only after the whole value
 * was consumed, so a streaming reader can go on with the next one: one hostile event cannot make a
 * whole {@code /sync} answer unreadable. {@link #partial()} holds what was read, with each too-deep
 * part kept as a string of its raw JSON text.
 */
public final class JsonNestingException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient JsonValue partial;

  /**
   * Creates the exception with a message naming where and the value read.
   *
   * @param message where the nesting limit was hit
   * @param partial the value as read, too-deep parts replaced by strings of their raw JSON
   */
  public JsonNestingException(String message, JsonValue partial) {
    super(message);
    this.partial = partial;
  }

  /** {@return the value as read, too-deep parts replaced by strings holding their raw JSON} */
  public JsonValue partial() {
    return partial;
  }
}
