package io.melo.core.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import io.melo.core.MeloException;
import io.melo.core.MeloNetworkException;
import io.melo.core.MeloProtocolException;
import io.melo.core.ProvisioningException;
import io.melo.core.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Synapse's shared-secret registration ({@code /_synapse/admin/v1/register}): a nonce, then the
 * account with an HMAC-SHA1 of nonce, user name, password and admin flag keyed by the shared
 * secret. Never logs; secrets go only into the request body and never into messages. Not API.
 */
public final class SharedSecretRegistration {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final String PATH = "_synapse/admin/v1/register";
  private static final long MAX_ANSWER = 64 * 1024;

  private final OkHttpClient http;
  private final HttpUrl homeserver;
  private final String sharedSecret;

  /**
   * Registration on {@code homeserver} with {@code sharedSecret}.
   *
   * @param http the HTTP client to derive the sending client from (sharing its pool)
   * @param homeserver the homeserver's base URL
   * @param sharedSecret Synapse's {@code registration_shared_secret}
   */
  public SharedSecretRegistration(OkHttpClient http, HttpUrl homeserver, String sharedSecret) {
    // No redirects (a redirected POST would carry the password and MAC to wherever it points) and
    // no silent re-send of the POST by OkHttp: a derived client shares the pool and dispatcher.
    this.http = Objects.requireNonNull(http, "http").newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .build();
    this.homeserver = Objects.requireNonNull(homeserver, "homeserver");
    this.sharedSecret = Objects.requireNonNull(sharedSecret, "sharedSecret");
  }

  /**
   * The hex HMAC-SHA1, keyed by {@code sharedSecret}, of {@code nonce \0 username \0 password \0
   * ("admin" | "notadmin")}, each part UTF-8: the {@code mac} Synapse checks.
   */
  public static String mac(String sharedSecret, String nonce, String username, String password, boolean admin) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA1");
      hmac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      byte[] separator = {0};
      hmac.update(nonce.getBytes(StandardCharsets.UTF_8));
      hmac.update(separator);
      hmac.update(username.getBytes(StandardCharsets.UTF_8));
      hmac.update(separator);
      hmac.update(password.getBytes(StandardCharsets.UTF_8));
      hmac.update(separator);
      hmac.update((admin ? "admin" : "notadmin").getBytes(StandardCharsets.UTF_8));
      byte[] digest = hmac.doFinal();
      StringBuilder hex = new StringBuilder(digest.length * 2);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available on this platform", e);
    }
  }

  /**
   * Registers {@code username}: fetches a nonce, then posts the account.
   *
   * @param displayName the display name, or null for the server's default (the user name)
   * @return the new account's session (Synapse gives no refresh token here)
   * @throws ProvisioningException when the homeserver refuses
   * @throws MeloNetworkException when no answer arrived
   * @throws MeloProtocolException when an answer is not what Synapse sends
   */
  public Session register(CallContext ctx, String username, String password, boolean admin, String displayName) {
    String what = "registering " + username + " with the shared secret";
    String nonce = send(ctx, what, new Request.Builder().url(url()).get().build(), false, "nonce")[0];
    Buffer body = new Buffer();
    try (JsonWriter w = JsonWriter.of(body)) {
      w.beginObject();
      w.name("nonce").value(nonce);
      w.name("username").value(username);
      if (displayName != null) {
        w.name("displayname").value(displayName);
      }
      w.name("password").value(password);
      w.name("admin").value(admin);
      w.name("mac").value(mac(sharedSecret, nonce, username, password, admin));
      w.endObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    Request post = new Request.Builder().url(url()).post(RequestBody.create(body.readByteString(), JSON)).build();
    String[] answer = send(ctx, what, post, true, "user_id", "access_token", "device_id");
    try {
      return new Session(homeserver.toString(), answer[0], answer[2], answer[1], null);
    } catch (IllegalArgumentException e) {
      throw new MeloProtocolException(what + ": the answer's user_id is not a user id", e);
    }
  }

  private HttpUrl url() {
    return homeserver.newBuilder().addPathSegments(PATH).build();
  }

  /**
   * Sends {@code request} and reads the string fields {@code fields} of its JSON answer, each
   * required.
   *
   * @param mayApply whether a lost answer may mean the request was applied (the POST)
   */
  private String[] send(CallContext ctx, String what, Request request, boolean mayApply, String... fields) {
    ctx.checkCancelled();
    Call call = http.newCall(request);
    AutoCloseable hook = ctx.onCancel(call::cancel);
    try (Response response = call.execute()) {
      if (response.isRedirect()) {
        throw new MeloProtocolException(what + ": the homeserver answered with a redirect (HTTP "
            + response.code() + "), which Melo does not follow with a password; configure the URL it"
            + " points to: " + response.header("Location"), null);
      }
      String text = read(response.body());
      if (!response.isSuccessful()) {
        throw refusal(what, response.code(), text);
      }
      return fields(what, text, fields);
    } catch (IOException e) {
      if (ctx.isCancelled()) {
        throw CallContext.cancelledException(what);
      }
      throw new MeloNetworkException(what + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), mayApply, false, null);
    } finally {
      try {
        hook.close();
      } catch (Exception never) {
        // removing a hook from a list does not fail
      }
    }
  }

  private static String read(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    BufferedSource source = body.source();
    if (!source.request(MAX_ANSWER + 1)) {
      return source.readUtf8();
    }
    throw new IOException("the answer is larger than " + MAX_ANSWER + " bytes");
  }

  private static String[] fields(String what, String text, String... names) {
    String[] values = new String[names.length];
    try {
      JsonReader r = JsonReader.of(new Buffer().writeUtf8(text));
      if (r.peek() != JsonReader.Token.BEGIN_OBJECT) {
        throw new MeloProtocolException(what + ": the answer is not a JSON object", null);
      }
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        int index = -1;
        for (int i = 0; i < names.length; i++) {
          if (names[i] != null && names[i].equals(name)) {
            index = i;
          }
        }
        if (index >= 0 && r.peek() == JsonReader.Token.STRING) {
          values[index] = r.nextString();
        } else {
          r.skipValue();
        }
      }
      r.endObject();
    } catch (IOException | com.squareup.moshi.JsonDataException e) {
      throw new MeloProtocolException(what + ": the answer is not JSON", null);
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i] != null && (values[i] == null || values[i].isEmpty())) {
        throw new MeloProtocolException(what + ": the answer has no " + names[i], null);
      }
    }
    return values;
  }

  /** The typed refusal for an error answer: Synapse's codes and messages, kept as sent. */
  private static MeloException refusal(String what, int status, String text) {
    String errcode = "";
    String error = "";
    try {
      JsonReader r = JsonReader.of(new Buffer().writeUtf8(text));
      if (r.peek() == JsonReader.Token.BEGIN_OBJECT) {
        r.beginObject();
        while (r.hasNext()) {
          String name = r.nextName();
          if (name.equals("errcode") && r.peek() == JsonReader.Token.STRING) {
            errcode = r.nextString();
          } else if (name.equals("error") && r.peek() == JsonReader.Token.STRING) {
            error = r.nextString();
          } else {
            r.skipValue();
          }
        }
      }
    } catch (IOException | com.squareup.moshi.JsonDataException notJson) {
      // a proxy's HTML error page: status only
    }
    ProvisioningException.Reason reason = reason(status, errcode, error);
    String said = error.isEmpty() ? "" : ": " + error;
    return new ProvisioningException(
        what + ": the homeserver refused (" + reason + ", HTTP " + status
            + (errcode.isEmpty() ? "" : " " + errcode) + said + ")",
        reason, status, errcode, null);
  }

  /**
   * Why the homeserver refused to create an account, from its answer: the error code first, then
   * the status (Synapse's wrong shared secret is 403 with {@code M_UNKNOWN}).
   */
  public static ProvisioningException.Reason reason(int status, String errcode, String error) {
    String lower = error == null ? "" : error.toLowerCase(Locale.ROOT);
    if ("M_USER_IN_USE".equals(errcode)) {
      return ProvisioningException.Reason.USER_IN_USE;
    } else if ("M_INVALID_USERNAME".equals(errcode)) {
      return ProvisioningException.Reason.INVALID_USERNAME;
    } else if ("M_EXCLUSIVE".equals(errcode)) {
      return ProvisioningException.Reason.EXCLUSIVE;
    } else if (status == 401 || status == 403
        || "M_UNKNOWN_TOKEN".equals(errcode) || "M_MISSING_TOKEN".equals(errcode)) {
      return ProvisioningException.Reason.CREDENTIALS_REJECTED;
    } else if (status == 404 || status == 405 || "M_UNRECOGNIZED".equals(errcode)
        || lower.contains("not enabled")) {
      return ProvisioningException.Reason.NOT_ENABLED;
    }
    return ProvisioningException.Reason.REFUSED;
  }

  @Override
  public String toString() {
    return "SharedSecretRegistration(" + homeserver.redact() + ", sharedSecret=<redacted>)";
  }
}
