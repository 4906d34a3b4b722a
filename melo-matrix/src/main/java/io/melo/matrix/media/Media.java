package io.melo.matrix.media;

import java.util.Optional;

/**
 * Downloaded media: its bytes and what the server said about them.
 *
 * @param bytes the content (at most the configured response size)
 * @param contentType the {@code Content-Type}, or null
 * @param fileName the file name from {@code Content-Disposition}, or null
 */
public record Media(byte[] bytes, String contentType, String fileName) {

  /** {@return the content type, when the server sent one} */
  public Optional<String> type() {
    return Optional.ofNullable(contentType);
  }

  /** Shows the size and type, not the bytes. */
  @Override
  public String toString() {
    return "Media{" + bytes.length + " bytes, contentType=" + contentType + ", fileName=" + fileName + "}";
  }
}
