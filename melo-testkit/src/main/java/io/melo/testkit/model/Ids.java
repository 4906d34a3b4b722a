package io.melo.testkit.model;

import io.melo.testkit.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Identifier grammar and generation: user ids, room ids, aliases, tokens and event ids. */
final class Ids {
  private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
  private static final Pattern HISTORICAL_LOCALPART = Pattern.compile("[!-9;-~]+");
  private static final Pattern SERVER_NAME =
      Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}\\]|[0-9A-Za-z.\\-]{1,255})(:[0-9]{1,5})?");
  private static final String ALPHANUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static boolean isValidLocalpart(String localpart) {
    return LOCALPART.matcher(localpart).matches();
  }

  /** Whether the string is a user id: @localpart:server, at most 255 bytes. */
  static boolean isUserId(String id) {
    if (id == null || id.length() > 255 || !id.startsWith("@")) {
      return false;
    }
    int colon = id.indexOf(':');
    if (colon < 2) {
      return false;
    }
    return HISTORICAL_LOCALPART.matcher(id.substring(1, colon)).matches()
        && SERVER_NAME.matcher(id.substring(colon + 1)).matches();
  }

  static boolean isRoomId(String id) {
    return id != null && id.length() <= 255 && id.startsWith("!") && id.indexOf(':') > 1;
  }

  static boolean isRoomAlias(String id) {
    if (id == null || id.length() > 255 || !id.startsWith("#")) {
      return false;
    }
    int colon = id.indexOf(':');
    return colon > 1 && SERVER_NAME.matcher(id.substring(colon + 1)).matches();
  }

  static String domain(String id) {
    int colon = id.indexOf(':');
    return colon < 0 ? "" : id.substring(colon + 1);
  }

  static String localpart(String id) {
    int colon = id.indexOf(':');
    return colon < 1 ? id : id.substring(1, colon);
  }

  /** Whether {@code s} is 1 to {@code max} ASCII digits (cheaper than String.matches, which compiles a regex per call). */
  static boolean isDigits(String s, int max) {
    if (s.isEmpty() || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHANUM.charAt(RANDOM.nextInt(ALPHANUM.length())));
    }
    return sb.toString();
  }

  static String token(String prefix) {
    return prefix + random(32);
  }

  /**
   * The event id of room versions 4 and later: {@code $} + unpadded URL-safe base64 of the
   * SHA-256 reference hash, that is the hash of the canonical JSON of the redacted event without
   * {@code signatures} and {@code unsigned}. The fake signs nothing, so the hashed event has no
   * signatures and a content hash over the same fields: the approximation keeps ids unique and
   * in the real format.
   */
  static String eventId(RoomVersion version, Map<String, Object> pdu) {
    Map<String, Object> forContentHash = new LinkedHashMap<>(pdu);
    forContentHash.remove("unsigned");
    forContentHash.remove("signatures");
    forContentHash.remove("hashes");
    Map<String, Object> hashed = new LinkedHashMap<>(pdu);
    hashed.put("hashes", Map.of("sha256", unpaddedBase64(sha256(Json.canonical(forContentHash)))));
    Map<String, Object> redacted = version.redactEvent(hashed);
    redacted.remove("signatures");
    redacted.remove("unsigned");
    byte[] reference = sha256(Json.canonical(redacted));
    return "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(reference);
  }

  private static String unpaddedBase64(byte[] bytes) {
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] sha256(String text) {
    // digest() resets the instance, so each thread reuses its own (getInstance is a provider lookup).
    return SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is missing", e);
            }
          });

  /**
   * The canonical JSON of each top-level field of a PDU, with the content's given already as
   * canonical JSON text (computed before the lock, see {@link PreparedContent}). Encoding each
   * field once serves both hashes of {@link #eventId(RoomVersion, Map, Map)}.
   */
  static Map<String, String> encodeFields(Map<String, Object> pdu, String contentCanonical) {
    Map<String, String> encoded = new java.util.HashMap<>(32);
    for (Map.Entry<String, Object> e : pdu.entrySet()) {
      encoded.put(e.getKey(), e.getKey().equals("content") ? contentCanonical : Json.canonical(e.getValue()));
    }
    return encoded;
  }

  /** The canonical JSON of an object from its fields' canonical JSON: the same text as {@link Json#canonical}. */
  static String joinCanonical(Map<String, String> encodedFields) {
    String[] keys = encodedFields.keySet().toArray(new String[0]);
    java.util.Arrays.sort(keys, Json::compareCodePoints);
    int length = 2;
    for (String k : keys) {
      length += k.length() + encodedFields.get(k).length() + 4;
    }
    StringBuilder out = new StringBuilder(length);
    out.append('{');
    for (int i = 0; i < keys.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      appendKey(out, keys[i]).append(':').append(encodedFields.get(keys[i]));
    }
    return out.append('}').toString();
  }

  /**
   * As {@link #eventId(RoomVersion, Map)}, from the PDU's fields already encoded by {@link
   * #encodeFields} (the PDU has no {@code hashes}, {@code signatures} or {@code unsigned}): the
   * same id, without encoding any field twice.
   */
  static String eventId(RoomVersion version, Map<String, Object> pdu, Map<String, String> encodedFields) {
    String contentHash = unpaddedBase64(sha256(joinCanonical(encodedFields)));
    Map<String, Object> hashed = new LinkedHashMap<>(pdu);
    hashed.put("hashes", Map.of("sha256", contentHash));
    Map<String, Object> redacted = version.redactEvent(hashed);
    Map<String, String> encoded = new java.util.HashMap<>(32);
    for (Map.Entry<String, Object> e : redacted.entrySet()) {
      String key = e.getKey();
      if (key.equals("signatures") || key.equals("unsigned")) {
        continue;
      }
      // Fields kept by redaction are the PDU's own values: reuse their encoding. The content is
      // the redacted content and the hashes are new, so those two are encoded here.
      String known = key.equals("content") || key.equals("hashes") ? null : encodedFields.get(key);
      encoded.put(key, known != null ? known : Json.canonical(e.getValue()));
    }
    byte[] reference = sha256(joinCanonical(encoded));
    return "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(reference);
  }

  /** A quoted object key: PDU keys are plain names, written as they are; anything else through Json. */
  private static StringBuilder appendKey(StringBuilder out, String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z') && c != '_') {
        return out.append(Json.canonical(key));
      }
    }
    return out.append('"').append(key).append('"');
  }
}
