package io.melo.matrix.internal;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import io.melo.matrix.AccountRestrictedException;
import io.melo.matrix.ForbiddenException;
import io.melo.matrix.MatrixErrorException;
import io.melo.matrix.NotFoundException;
import io.melo.matrix.RateLimitedException;
import io.melo.matrix.TooLargeException;
import io.melo.matrix.UnknownTokenException;
import io.melo.matrix.UnrecognizedException;
import io.melo.matrix.UserInteractiveAuthException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import okio.Buffer;

/** Maps an error answer (status, headers, body) to the matching {@link MatrixErrorException}. */
final class ErrorMapper {

  private ErrorMapper() {}

  /** What an error body said; every field may be absent. */
  static final class ErrorBody {
    String errcode;
    String error;
    Long retryAfterMs;
    boolean softLogout;
    String session;
    List<List<String>> flows;
    List<String> completed = List.of();
    String params;
    boolean json;
  }

  /**
   * Builds the exception.
   *
   * @param body the raw body (already size-limited)
   * @param retryAfterHeader the {@code Retry-After} header, or null
   * @param now the current time, for HTTP-date headers
   * @param secrets secrets to scrub from the server's text (the access token, a password or
   *     refresh token the request carried)
   */
  static MatrixErrorException map(
      int status, Buffer body, String retryAfterHeader, Instant now, Collection<String> secrets) {
    ErrorBody parsed = parse(body);
    String errcode = parsed.errcode != null ? parsed.errcode : status == 429 ? "M_LIMIT_EXCEEDED" : "M_UNKNOWN";
    String error = parsed.error != null ? parsed.error : parsed.json ? "" : "(no Matrix error body)";
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty() && error.contains(secret)) {
        error = error.replace(secret, "<redacted>");
      }
    }
    Duration retryAfter = null;
    if (parsed.retryAfterMs != null && parsed.retryAfterMs >= 0) {
      retryAfter = Duration.ofMillis(parsed.retryAfterMs);
    } else if (retryAfterHeader != null) {
      retryAfter = parseRetryAfter(retryAfterHeader, now);
    }
    if (status == 401 && parsed.flows != null) {
      return new UserInteractiveAuthException(
          status, errcode, error, parsed.session, parsed.flows, parsed.completed, parsed.params);
    }
    switch (errcode) {
      case "M_LIMIT_EXCEEDED":
        return new RateLimitedException(status, error, retryAfter);
      case "M_UNKNOWN_TOKEN":
        return new UnknownTokenException(status, error, parsed.softLogout);
      case "M_FORBIDDEN":
        return new ForbiddenException(status, error, retryAfter);
      case "M_NOT_FOUND":
        return new NotFoundException(status, error, retryAfter);
      case "M_UNRECOGNIZED":
        return new UnrecognizedException(status, error, retryAfter);
      case "M_TOO_LARGE":
        return new TooLargeException(status, error, retryAfter);
      case "M_USER_LOCKED":
      case "M_USER_SUSPENDED":
      case "M_USER_DEACTIVATED":
        return new AccountRestrictedException(status, errcode, error, retryAfter, parsed.softLogout);
      default:
        return new MatrixErrorException(status, errcode, error, retryAfter);
    }
  }

  /** Reads {@code Retry-After}: delta seconds or an HTTP date; null when unreadable. */
  static Duration parseRetryAfter(String header, Instant now) {
    String value = header.trim();
    if (value.isEmpty()) {
      return null;
    }
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Duration.ofSeconds(Long.parseLong(value));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(now, at);
      return delay.isNegative() ? Duration.ZERO : delay;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static ErrorBody parse(Buffer body) {
    ErrorBody out = new ErrorBody();
    if (body.size() == 0) {
      return out;
    }
    try {
      JsonReader reader = JsonReader.of(body);
      if (reader.peek() != JsonReader.Token.BEGIN_OBJECT) {
        return out;
      }
      Json.readObject(
          reader,
          (name, r) -> {
            switch (name) {
              case "errcode":
                out.errcode = stringOrSkip(r);
                break;
              case "error":
                out.error = stringOrSkip(r);
                break;
              case "retry_after_ms":
                if (r.peek() == JsonReader.Token.NUMBER) {
                  out.retryAfterMs = (long) r.nextDouble();
                } else {
                  r.skipValue();
                }
                break;
              case "soft_logout":
                out.softLogout = r.peek() == JsonReader.Token.BOOLEAN ? r.nextBoolean() : skipFalse(r);
                break;
              case "session":
                out.session = stringOrSkip(r);
                break;
              case "completed":
                out.completed = Json.stringList(r);
                break;
              case "params":
                out.params = Json.rawValue(r);
                break;
              case "flows":
                out.flows = readFlows(r);
                break;
              default:
                r.skipValue();
            }
          });
      out.json = true;
    } catch (IOException | JsonDataException e) {
      // A body that is not a Matrix error object: keep what was read, status still tells.
      out.json = out.errcode != null;
    }
    return out;
  }

  private static List<List<String>> readFlows(JsonReader reader) throws IOException {
    return new ArrayList<>(Json.list(reader, ErrorMapper::readFlow));
  }

  private static List<String> readFlow(JsonReader reader) throws IOException {
    List<String> stages = new ArrayList<>();
    Json.readObject(
        reader,
        (name, v) -> {
          if (name.equals("stages")) {
            stages.addAll(Json.stringList(v));
          } else {
            v.skipValue();
          }
        });
    return stages;
  }

  private static String stringOrSkip(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.STRING) {
      return reader.nextString();
    }
    reader.skipValue();
    return null;
  }

  private static boolean skipFalse(JsonReader reader) throws IOException {
    reader.skipValue();
    return false;
  }
}
