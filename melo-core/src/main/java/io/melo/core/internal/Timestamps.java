package io.melo.core.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code createdAt} / {@code deletedAt} fields of Melo's state: ISO-8601 in UTC with
 * milliseconds ({@code 2026-12-01T02:50:29.123Z}), as JavaScript's {@code toISOString()} writes
 * them, so apps on other stacks read the same value. Reading also accepts a number of
 * milliseconds since the epoch. Not API.
 */
public final class Timestamps {

  private Timestamps() {}

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** {@code instant} truncated to milliseconds, as ISO-8601 UTC with three fraction digits. */
  public static String format(Instant instant) {
    return ISO_MILLIS.format(instant);
  }

  /** The instant an ISO-8601 text names, or empty when it is not one. */
  public static Optional<Instant> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The instant {@code epochMillis} milliseconds after the epoch. */
  public static Instant fromMillis(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }
}
