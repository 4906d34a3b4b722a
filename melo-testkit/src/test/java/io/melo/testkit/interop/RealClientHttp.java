package io.melo.testkit.interop;

import io.melo.testkit.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Replays, byte for byte, requests that a real Matrix client (matrix-js-sdk, matrix-nio) was seen to send
 * while running the scripts in interop/: method, path as the client encoded it, query, token style, body.
 */
final class RealClientHttp {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false)
      .readTimeout(Duration.ofSeconds(20))
      .build();

  /** A status and a JSON body. */
  record Answer(int status, String text) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(text);
    }
  }

  private final String baseUrl;
  private final String bearer;

  RealClientHttp(String baseUrl, String bearer) {
    this.baseUrl = baseUrl;
    this.bearer = bearer;
  }

  /** js-sdk's encodeURIComponent: '!' stays literal, ':' '@' '$' '#' are escaped. */
  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!");
  }

  Answer send(String method, String pathAndQuery, String jsonBody) {
    Request.Builder b = new Request.Builder().url(baseUrl + pathAndQuery);
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(method, jsonBody == null ? null : RequestBody.create(jsonBody, JSON));
    try (Response r = CLIENT.newCall(b.build()).execute()) {
      return new Answer(r.code(), r.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
