package io.melo.matrix.internal;

import io.melo.matrix.media.Media;
import java.io.IOException;
import okhttp3.Response;
import okio.BufferedSource;

/** Reads a media download: all bytes (within the size cap), type and file name. */
public final class MediaReader implements ResponseReader<Media> {

  /** The only instance. */
  public static final MediaReader INSTANCE = new MediaReader();

  private MediaReader() {}

  @Override
  public Media read(BufferedSource body, Response response) throws IOException {
    byte[] bytes = body.readByteArray();
    return new Media(bytes, response.header("Content-Type"), fileName(response.header("Content-Disposition")));
  }

  /** The {@code filename} of a Content-Disposition header (plain or quoted), or null. */
  static String fileName(String disposition) {
    if (disposition == null) {
      return null;
    }
    for (String part : disposition.split(";")) {
      String trimmed = part.trim();
      if (trimmed.regionMatches(true, 0, "filename=", 0, 9)) {
        String value = trimmed.substring(9).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }
}
