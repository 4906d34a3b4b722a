package io.melo.testkit;

import io.melo.testkit.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A small HTTP client for tests: real requests over loopback, JSON answers parsed. */
final class TestHttp {
  static final MediaType JSON = MediaType.get("application/json");
  static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .addInterceptor(new SpecContract())
      .retryOnConnectionFailure(false)
      .readTimeout(Duration.ofSeconds(20))
      .build();

  /** An answer: status, headers and body. */
  record Answer(int status, okhttp3.Headers headers, String text, byte[] bytes) {
    /** The body as a JSON object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) Json.parse(text);
    }

    String errcode() {
      return (String) json().get("errcode");
    }
  }

  private final String baseUrl;
  private String token;
  private boolean unchecked;

  TestHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  TestHttp withToken(String token) {
    TestHttp h = new TestHttp(baseUrl);
    h.token = token;
    h.unchecked = unchecked;
    return h;
  }

  /** A client whose requests are deliberately invalid: only the responses are checked against the spec. */
  TestHttp unchecked() {
    TestHttp h = new TestHttp(baseUrl);
    h.token = token;
    h.unchecked = true;
    return h;
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer post(String path, String json) {
    return send("POST", path, json);
  }

  Answer put(String path, String json) {
    return send("PUT", path, json);
  }

  Answer send(String method, String path, String json) {
    try (Response r = call(method, path, json)) {
      byte[] bytes = r.body().bytes();
      return new Answer(r.code(), r.headers(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends raw bytes (media upload). */
  Answer upload(String path, byte[] content, String contentType) {
    Request.Builder b = new Request.Builder().url(baseUrl + path)
        .post(RequestBody.create(content, MediaType.get(contentType)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = CLIENT.newCall(b.build()).execute()) {
      byte[] bytes = r.body().bytes();
      return new Answer(r.code(), r.headers(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends raw bytes with PUT (asynchronous media upload). */
  Answer uploadPut(String path, byte[] content, String contentType) {
    Request.Builder b = new Request.Builder().url(baseUrl + path)
        .put(RequestBody.create(content, MediaType.get(contentType)));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try (Response r = CLIENT.newCall(b.build()).execute()) {
      byte[] bytes = r.body().bytes();
      return new Answer(r.code(), r.headers(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Response call(String method, String path, String json) throws IOException {
    RequestBody body = json == null
        ? (method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0], null) : null)
        : RequestBody.create(json, JSON);
    Request.Builder b = new Request.Builder().url(baseUrl + path).method(method, body);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (unchecked) {
      b.tag(SpecContract.Unchecked.class, SpecContract.Unchecked.INSTANCE);
    }
    return CLIENT.newCall(b.build()).execute();
  }
}
