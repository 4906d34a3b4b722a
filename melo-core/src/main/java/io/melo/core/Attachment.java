package io.melo.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The file of an image, file, video or audio message.
 *
 * @param url the file's {@code mxc://} URL
 * @param fileName the file's name as sent
 * @param mimeType its MIME type ({@code info.mimetype}), if given
 * @param size its size in bytes ({@code info.size}), if given
 */
public record Attachment(String url, String fileName, Optional<String> mimeType, OptionalLong size) {

  /**
   * Validates the fields.
   *
   * @param url the file's {@code mxc://} URL
   * @param fileName the file's name as sent
   * @param mimeType its MIME type ({@code info.mimetype}), if given
   * @param size its size in bytes ({@code info.size}), if given
   */
  public Attachment {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(size, "size");
    if (size.isPresent() && size.getAsLong() < 0) {
      throw new IllegalArgumentException("size must not be negative, was: " + size.getAsLong());
    }
  }
}
