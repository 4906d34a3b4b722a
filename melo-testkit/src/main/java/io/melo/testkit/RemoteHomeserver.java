package io.melo.testkit;

import io.melo.testkit.json.Json;
import io.melo.testkit.model.Event;
import io.melo.testkit.model.MatrixError;
import io.melo.testkit.model.RoomVersion;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A homeserver reached only over HTTP (a real one, or the testkit's standalone server in another
 * process): registers fresh users with random suffixes and acts for them over the client API.
 */
final class RemoteHomeserver {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, RemoteHomeserver> BY_TARGET = new ConcurrentHashMap<>();
  /** The longest wait for one request, and for rate-limit retries of it together. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final String baseUrl;
  private final HttpUrl base;
  private final OkHttpClient http;
  private final Process standalone;
  private volatile String serverName;

  private RemoteHomeserver(String baseUrl, Process standalone) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.base = HttpUrl.parse(this.baseUrl);
    if (base == null) {
      throw new IllegalArgumentException(HomeserverExtension.VARIABLE + " is not an http(s) URL: " + baseUrl);
    }
    this.standalone = standalone;
    this.http = new OkHttpClient.Builder().callTimeout(PATIENCE).readTimeout(PATIENCE).build();
  }

  /**
   * The homeserver for a target: a base URL, or {@code standalone} for the testkit's standalone jar
   * started once per JVM in its own process (stopped when the JVM exits).
   */
  static RemoteHomeserver of(String target) {
    return BY_TARGET.computeIfAbsent(target, t ->
        HomeserverExtension.STANDALONE.equals(t) ? startStandalone() : new RemoteHomeserver(t, null));
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The server name, from the user id of a user registered to learn it (once). */
  String serverName() {
    String name = serverName;
    if (name == null) {
      name = domainOf(register("probe").userId());
    }
    return name;
  }

  static String domainOf(String userId) {
    return userId.substring(userId.indexOf(':') + 1);
  }

  /** Registers {@code <name>-<random>} with open registration (UIA {@code m.login.dummy}), logged in. */
  TestUser register(String name) {
    String localpart = name.toLowerCase(java.util.Locale.ROOT) + "-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    String password = "pw-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36) + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", localpart);
    body.put("password", password);
    body.put("initial_device_display_name", "melo-it");
    Map<String, Object> reply;
    try {
      reply = call("POST", null, List.of("register"), body);
    } catch (MatrixError uia) {
      if (uia.status() != 401 || !(uia.extra().get("session") instanceof String)) {
        throw uia;
      }
      body.put("auth", Map.of("type", "m.login.dummy", "session", uia.extra().get("session")));
      reply = call("POST", null, List.of("register"), body);
    }
    String userId = (String) reply.get("user_id");
    if (serverName == null) {
      serverName = domainOf(userId);
    }
    return new TestUser(this, userId, (String) reply.get("device_id"), (String) reply.get("access_token"), password);
  }

  /**
   * One request of the client API ({@code /_matrix/client/v3/<segments>}); retries on 429
   * {@code M_LIMIT_EXCEEDED} after the server's {@code retry_after_ms}, up to {@link #PATIENCE}.
   *
   * @throws MatrixError the server's refusal, with its status, errcode and extra fields
   */
  Map<String, Object> call(String method, String token, List<String> segments, Object body) {
    return call(method, token, segments, Map.of(), body);
  }

  Map<String, Object> call(String method, String token, List<String> segments, Map<String, String> query, Object body) {
    HttpUrl.Builder url = base.newBuilder().addPathSegments("_matrix/client/v3");
    segments.forEach(url::addPathSegment);
    query.forEach(url::addQueryParameter);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Request.Builder request = new Request.Builder().url(url.build());
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      request.method(method, body == null ? (method.equals("GET") ? null : RequestBody.create("{}", JSON))
          : RequestBody.create(Json.write(body), JSON));
      try (Response response = http.newCall(request.build()).execute()) {
        ResponseBody rb = response.body();
        String text = rb == null ? "" : rb.string();
        Map<String, Object> json = text.isEmpty() ? Map.of() : Json.parseObject(text);
        if (response.isSuccessful()) {
          return json;
        }
        Object retry = json.get("retry_after_ms");
        if (response.code() == 429 && System.nanoTime() < deadline) {
          long waitMs = retry instanceof Number ? ((Number) retry).longValue() : 1000;
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMs)));
          continue;
        }
        Map<String, Object> extra = new LinkedHashMap<>(json);
        Object errcode = extra.remove("errcode");
        Object error = extra.remove("error");
        throw new MatrixError(response.code(), errcode instanceof String ? (String) errcode : "M_UNKNOWN",
            (error instanceof String ? (String) error : "HTTP " + response.code()) + " (" + method + " "
                + String.join("/", segments) + ")", extra);
      } catch (IOException e) {
        throw new UncheckedIOException(method + " " + String.join("/", segments) + " failed", e);
      }
    }
  }

  private static RemoteHomeserver startStandalone() {
    String jar = System.getProperty(HomeserverExtension.STANDALONE_JAR_PROPERTY);
    File file = new File(jar != null ? jar : "../melo-testkit/target/melo-testkit-standalone.jar");
    if (!file.isFile()) {
      throw new IllegalStateException(HomeserverExtension.VARIABLE + "=standalone needs the standalone jar at "
          + file.getAbsolutePath() + " (build it with mvn -pl melo-testkit package, or set -D"
          + HomeserverExtension.STANDALONE_JAR_PROPERTY + ")");
    }
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process process;
    try {
      process = new ProcessBuilder(java, "-jar", file.getAbsolutePath(), "--port", "0")
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + file, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "melo-it-standalone-stop"));
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String url = null;
    List<String> seen = new ArrayList<>();
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("listening on ")) {
          url = line.substring("listening on ".length()).trim();
          break;
        }
        seen.add(line);
      }
    } catch (IOException e) {
      process.destroy();
      throw new UncheckedIOException("could not read the standalone server's output", e);
    }
    if (url == null) {
      process.destroy();
      throw new IllegalStateException("the standalone server exited before listening: " + seen);
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe flowing; the standalone server's own log is not part of the test output
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "melo-it-standalone-output");
    drain.setDaemon(true);
    drain.start();
    return new RemoteHomeserver(url, process);
  }

  /** {@return whether this server runs in a process this JVM started} */
  boolean isStandalone() {
    return standalone != null && standalone.isAlive();
  }

  /**
   * Reads rooms over HTTP as one of the test's users: the first who is joined, else the first whose
   * {@code /state} read is allowed (a user who left sees the state as of their leaving).
   */
  final class RoomReader {
    private final Supplier<List<TestUser>> users;

    RoomReader(Supplier<List<TestUser>> users) {
      this.users = users;
    }

    private TestUser reader(String roomId) {
      List<TestUser> all = users.get();
      for (TestUser u : all) {
        Object joined = call("GET", u.accessToken(), List.of("joined_rooms"), null).get("joined_rooms");
        if (joined instanceof List && ((List<?>) joined).contains(roomId)) {
          return u;
        }
      }
      MatrixError last = null;
      for (int i = all.size() - 1; i >= 0; i--) {
        try {
          call("GET", all.get(i).accessToken(), List.of("rooms", roomId, "state", "m.room.create", ""), null);
          return all.get(i);
        } catch (MatrixError e) {
          last = e;
        }
      }
      throw new MatrixError(404, "M_NOT_FOUND", "no test user can read room " + roomId
          + (last == null ? "" : ": " + last.getMessage()));
    }

    List<Event> state(String roomId) {
      return stateAs(reader(roomId), roomId);
    }

    @SuppressWarnings("unchecked")
    private List<Event> stateAs(TestUser user, String roomId) {
      HttpUrl.Builder url = base.newBuilder().addPathSegments("_matrix/client/v3/rooms").addPathSegment(roomId)
          .addPathSegment("state");
      Request request = new Request.Builder().url(url.build()).header("Authorization", "Bearer " + user.accessToken())
          .build();
      String text;
      try (Response response = http.newCall(request).execute()) {
        ResponseBody rb = response.body();
        text = rb == null ? "" : rb.string();
        if (!response.isSuccessful()) {
          Map<String, Object> json = Json.parseObject(text);
          throw new MatrixError(response.code(), String.valueOf(json.get("errcode")), String.valueOf(json.get("error")));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("GET state of " + roomId + " failed", e);
      }
      List<Event> out = new ArrayList<>();
      RoomVersion version = null;
      for (Object o : (List<Object>) Json.parse(text)) {
        Map<String, Object> json = (Map<String, Object>) o;
        if ("m.room.create".equals(json.get("type"))) {
          version = knownVersion(json);
        }
      }
      for (Object o : (List<Object>) Json.parse(text)) {
        out.add(Event.fromClientJson(roomId, (Map<String, Object>) o, version));
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    List<Event> timeline(String roomId) {
      TestUser user = reader(roomId);
      RoomVersion version = null;
      for (Event e : stateAs(user, roomId)) {
        if (e.type().equals("m.room.create")) {
          version = e.roomVersion();
        }
      }
      List<Event> newestFirst = new ArrayList<>();
      String from = null;
      while (true) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("dir", "b");
        query.put("limit", "100");
        if (from != null) {
          query.put("from", from);
        }
        Map<String, Object> page = call("GET", user.accessToken(), List.of("rooms", roomId, "messages"), query, null);
        List<Object> chunk = (List<Object>) page.getOrDefault("chunk", List.of());
        for (Object o : chunk) {
          newestFirst.add(Event.fromClientJson(roomId, (Map<String, Object>) o, version));
        }
        Object end = page.get("end");
        if (chunk.isEmpty() || !(end instanceof String) || end.equals(from)) {
          break;
        }
        from = (String) end;
      }
      List<Event> out = new ArrayList<>(newestFirst.size());
      for (int i = newestFirst.size() - 1; i >= 0; i--) {
        out.add(newestFirst.get(i));
      }
      return out;
    }
  }

  private static RoomVersion knownVersion(Map<String, Object> create) {
    Object content = create.get("content");
    Object v = content instanceof Map ? ((Map<?, ?>) content).get("room_version") : null;
    try {
      return RoomVersion.of(v instanceof String ? (String) v : "1");
    } catch (MatrixError unknown) {
      return null;
    }
  }

  static String txnId() {
    return "melo-it." + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
  }

  @Override
  public String toString() {
    return "RemoteHomeserver{" + baseUrl + "}";
  }
}
