package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of {@code m.room.encrypted}, kept opaque: Melo does not decrypt.
 *
 * @param algorithm the algorithm, such as {@code m.megolm.v1.aes-sha2}; null when absent
 * @param raw the whole content
 */
public record EncryptedContent(String algorithm, JsonObject raw) {

  /**
   * Replaces a null {@code raw} with an empty object.
   *
   * @param algorithm the algorithm, such as {@code m.megolm.v1.aes-sha2}; null when absent
   * @param raw the whole content
   */
  public EncryptedContent {
    raw = ContentReader.orEmpty(raw);
  }

  /**
   * Reads the content. Never throws.
   *
   * @param json the event's {@code content} object
   * @return the content: its {@code algorithm} (null when absent) and the whole object
   */
  public static EncryptedContent from(JsonObject json) {
    return new EncryptedContent(json.getStringOrNull("algorithm"), json);
  }

  /** {@return the content as received} */
  public JsonObject toJson() {
    return raw;
  }
}
