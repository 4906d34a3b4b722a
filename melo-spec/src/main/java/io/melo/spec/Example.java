package io.melo.spec;

import io.melo.spec.internal.Json;

/**
 * An example from the spec, ready to use as a test fixture: its {@code $ref} inheritance already applied.
 *
 * @param name the example's name: the file name without extension for event examples (such as
 *     {@code m.room.member$invite_room_state}), the key under {@code examples} (or {@code example}) for OpenAPI ones
 * @param json the example as compact JSON text
 * @param source where it is written, as {@code file#pointer} relative to the spec's json/ tree
 */
public record Example(String name, String json, String source) {

  /**
   * {@return the example parsed into a fresh, modifiable tree} Maps, lists, strings, BigDecimals, booleans and
   * nulls.
   */
  public Object tree() {
    return Json.parse(json);
  }
}
