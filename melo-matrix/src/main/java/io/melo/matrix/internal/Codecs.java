package io.melo.matrix.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import io.melo.matrix.auth.LoginFlow;
import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.LoginResponse;
import io.melo.matrix.auth.RefreshResponse;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.RegisterResponse;
import io.melo.matrix.auth.UserInteractiveAuth;
import io.melo.matrix.auth.Whoami;
import io.melo.matrix.discovery.Versions;
import io.melo.matrix.discovery.WellKnown;
import io.melo.matrix.room.AliasResolution;
import io.melo.matrix.room.JoinedMember;
import io.melo.matrix.room.Visibility;
import io.melo.matrix.user.Presence;
import io.melo.matrix.user.Profile;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Hand-written JSON codecs for the records of melo-matrix's non-event endpoints. */
public final class Codecs {

  private Codecs() {}

  // ---- discovery ----

  /** Reads {@code /versions}. */
  public static Versions versions(JsonReader reader) throws IOException {
    Object[] f = new Object[2];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "versions":
              f[0] = Json.stringList(r);
              break;
            case "unstable_features":
              f[1] = Json.map(r, v -> v.peek() == JsonReader.Token.BOOLEAN ? v.nextBoolean() : skipFalse(v));
              break;
            default:
              r.skipValue();
          }
        });
    @SuppressWarnings("unchecked")
    List<String> versions = (List<String>) Json.require(f[0], "versions", "versions response");
    @SuppressWarnings("unchecked")
    Map<String, Boolean> features = f[1] == null ? Map.of() : (Map<String, Boolean>) f[1];
    return new Versions(versions, features);
  }

  private static Boolean skipFalse(JsonReader reader) throws IOException {
    reader.skipValue();
    return Boolean.FALSE;
  }

  /** Reads {@code /.well-known/matrix/client}. */
  public static WellKnown wellKnown(JsonReader reader) throws IOException {
    String[] f = new String[2];
    Json.readObject(
        reader,
        (name, r) -> {
          if (name.equals("m.homeserver") || name.equals("m.identity_server")) {
            int index = name.equals("m.homeserver") ? 0 : 1;
            if (r.peek() != JsonReader.Token.BEGIN_OBJECT) {
              r.skipValue();
              return;
            }
            Json.readObject(
                r,
                (n, v) -> {
                  if (n.equals("base_url")) {
                    f[index] = Json.stringOrNull(v);
                  } else {
                    v.skipValue();
                  }
                });
          } else {
            r.skipValue();
          }
        });
    return new WellKnown(Json.require(f[0], "m.homeserver.base_url", "well-known"), f[1]);
  }

  // ---- auth ----

  /** Reads {@code GET /login}. */
  public static List<LoginFlow> loginFlows(JsonReader reader) throws IOException {
    Object[] flows = new Object[1];
    Json.readObject(
        reader,
        (name, r) -> {
          if (name.equals("flows")) {
            flows[0] =
                Json.list(
                    r,
                    v -> {
                      Object[] g = new Object[2];
                      Json.readObject(
                          v,
                          (n, w) -> {
                            if (n.equals("type")) {
                              g[0] = Json.stringOrNull(w);
                            } else if (n.equals("get_login_token")) {
                              g[1] = Json.booleanOrNull(w);
                            } else {
                              w.skipValue();
                            }
                          });
                      return new LoginFlow(
                          (String) Json.require(g[0], "type", "login flow"), Boolean.TRUE.equals(g[1]));
                    });
          } else {
            r.skipValue();
          }
        });
    @SuppressWarnings("unchecked")
    List<LoginFlow> result = (List<LoginFlow>) Json.require(flows[0], "flows", "login flows");
    return result;
  }

  /** Writes a {@code POST /login} body. */
  public static void login(JsonWriter w, LoginRequest request) throws IOException {
    w.name("type").value(request.type());
    if (request.user() != null) {
      w.name("identifier").beginObject();
      w.name("type").value("m.id.user");
      w.name("user").value(request.user());
      w.endObject();
    }
    if (LoginRequest.PASSWORD.equals(request.type())) {
      w.name("password").value(request.secret());
    } else if (LoginRequest.TOKEN.equals(request.type())) {
      w.name("token").value(request.secret());
    }
    Json.field(w, "device_id", request.deviceId());
    Json.field(w, "initial_device_display_name", request.initialDeviceDisplayName());
    if (request.refreshToken()) {
      w.name("refresh_token").value(true);
    }
  }

  /** Reads a {@code /login} answer. */
  public static LoginResponse loginResponse(JsonReader reader) throws IOException {
    Object[] f = new Object[6];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "user_id":
              f[0] = Json.stringOrNull(r);
              break;
            case "access_token":
              f[1] = Json.stringOrNull(r);
              break;
            case "device_id":
              f[2] = Json.stringOrNull(r);
              break;
            case "refresh_token":
              f[3] = Json.stringOrNull(r);
              break;
            case "expires_in_ms":
              f[4] = Json.longOrNull(r);
              break;
            case "well_known":
              f[5] = r.peek() == JsonReader.Token.BEGIN_OBJECT ? wellKnown(r) : skipNull(r);
              break;
            default:
              r.skipValue();
          }
        });
    String what = "login response";
    return new LoginResponse(
        (String) Json.require(f[0], "user_id", what),
        (String) Json.require(f[1], "access_token", what),
        (String) Json.require(f[2], "device_id", what),
        (String) f[3],
        f[4] == null ? null : Duration.ofMillis((Long) f[4]),
        f[5] == null ? null : ((WellKnown) f[5]).homeserverBaseUrl());
  }

  private static Object skipNull(JsonReader reader) throws IOException {
    reader.skipValue();
    return null;
  }

  /** Writes a {@code POST /register} body. */
  public static void register(JsonWriter w, RegisterRequest request) throws IOException {
    if (request.isAppService()) {
      w.name("type").value("m.login.application_service");
    }
    Json.field(w, "username", request.username());
    Json.field(w, "password", request.password());
    Json.field(w, "device_id", request.deviceId());
    Json.field(w, "initial_device_display_name", request.initialDeviceDisplayName());
    if (request.inhibitLogin()) {
      w.name("inhibit_login").value(true);
    }
    if (request.refreshToken()) {
      w.name("refresh_token").value(true);
    }
    if (request.auth() != null) {
      w.name("auth");
      auth(w, request.auth());
    }
  }

  /** Writes a user-interactive {@code auth} object. */
  public static void auth(JsonWriter w, UserInteractiveAuth auth) throws IOException {
    w.beginObject();
    w.name("type").value(auth.type());
    Json.field(w, "session", auth.session());
    if (auth.type().equals("m.login.registration_token")) {
      w.name("token").value(auth.secret());
    } else if (auth.type().equals("m.login.password")) {
      w.name("identifier").beginObject();
      w.name("type").value("m.id.user");
      w.name("user").value(auth.user());
      w.endObject();
      w.name("password").value(auth.secret());
    }
    w.endObject();
  }

  /** Reads a {@code /register} answer. */
  public static RegisterResponse registerResponse(JsonReader reader) throws IOException {
    Object[] f = new Object[5];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "user_id":
              f[0] = Json.stringOrNull(r);
              break;
            case "access_token":
              f[1] = Json.stringOrNull(r);
              break;
            case "device_id":
              f[2] = Json.stringOrNull(r);
              break;
            case "refresh_token":
              f[3] = Json.stringOrNull(r);
              break;
            case "expires_in_ms":
              f[4] = Json.longOrNull(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new RegisterResponse(
        (String) Json.require(f[0], "user_id", "register response"),
        (String) f[1],
        (String) f[2],
        (String) f[3],
        f[4] == null ? null : Duration.ofMillis((Long) f[4]));
  }

  /** Reads a {@code /refresh} answer. */
  public static RefreshResponse refreshResponse(JsonReader reader) throws IOException {
    Object[] f = new Object[3];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "access_token":
              f[0] = Json.stringOrNull(r);
              break;
            case "refresh_token":
              f[1] = Json.stringOrNull(r);
              break;
            case "expires_in_ms":
              f[2] = Json.longOrNull(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new RefreshResponse(
        (String) Json.require(f[0], "access_token", "refresh response"),
        (String) f[1],
        f[2] == null ? null : Duration.ofMillis((Long) f[2]));
  }

  /** Reads {@code /account/whoami}. */
  public static Whoami whoami(JsonReader reader) throws IOException {
    Object[] f = new Object[3];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "user_id":
              f[0] = Json.stringOrNull(r);
              break;
            case "device_id":
              f[1] = Json.stringOrNull(r);
              break;
            case "is_guest":
              f[2] = Json.booleanOrNull(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new Whoami(
        (String) Json.require(f[0], "user_id", "whoami response"), (String) f[1], Boolean.TRUE.equals(f[2]));
  }

  // ---- rooms ----

  /** Reads a single string member {@code field} of an object, required. */
  public static Json.Decoder<String> stringField(String field, String what) {
    return reader -> {
      String[] value = new String[1];
      Json.readObject(
          reader,
          (name, r) -> {
            if (name.equals(field)) {
              value[0] = Json.stringOrNull(r);
            } else {
              r.skipValue();
            }
          });
      return Json.require(value[0], field, what);
    };
  }

  /** Reads a single string-list member {@code field} of an object, required. */
  public static Json.Decoder<List<String>> stringListField(String field, String what) {
    return reader -> {
      Object[] value = new Object[1];
      Json.readObject(
          reader,
          (name, r) -> {
            if (name.equals(field)) {
              value[0] = Json.stringList(r);
            } else {
              r.skipValue();
            }
          });
      @SuppressWarnings("unchecked")
      List<String> list = (List<String>) Json.require(value[0], field, what);
      return list;
    };
  }

  /** Reads {@code GET /directory/room/{alias}}. */
  public static AliasResolution aliasResolution(JsonReader reader) throws IOException {
    Object[] f = new Object[2];
    Json.readObject(
        reader,
        (name, r) -> {
          if (name.equals("room_id")) {
            f[0] = Json.stringOrNull(r);
          } else if (name.equals("servers")) {
            f[1] = Json.stringList(r);
          } else {
            r.skipValue();
          }
        });
    @SuppressWarnings("unchecked")
    List<String> servers = f[1] == null ? List.of() : (List<String>) f[1];
    return new AliasResolution((String) Json.require(f[0], "room_id", "alias resolution"), servers);
  }

  /** Reads {@code GET /rooms/{roomId}/joined_members}. */
  public static Map<String, JoinedMember> joinedMembers(JsonReader reader) throws IOException {
    Object[] f = new Object[1];
    Json.readObject(
        reader,
        (name, r) -> {
          if (name.equals("joined")) {
            f[0] =
                Json.map(
                    r,
                    v -> {
                      String[] g = new String[2];
                      Json.readObject(
                          v,
                          (n, w) -> {
                            if (n.equals("display_name")) {
                              g[0] = Json.stringOrNull(w);
                            } else if (n.equals("avatar_url")) {
                              g[1] = Json.stringOrNull(w);
                            } else {
                              w.skipValue();
                            }
                          });
                      return new JoinedMember(g[0], g[1]);
                    });
          } else {
            r.skipValue();
          }
        });
    @SuppressWarnings("unchecked")
    Map<String, JoinedMember> joined = (Map<String, JoinedMember>) Json.require(f[0], "joined", "joined members");
    return joined;
  }

  /** Reads {@code GET /directory/list/room/{roomId}}. */
  public static Visibility visibility(JsonReader reader) throws IOException {
    return Visibility.fromWire(stringField("visibility", "directory visibility").read(reader));
  }

  // ---- users ----

  /** Reads {@code GET /profile/{userId}}. */
  public static Profile profile(JsonReader reader) throws IOException {
    String[] f = new String[2];
    Json.readObject(
        reader,
        (name, r) -> {
          if (name.equals("displayname")) {
            f[0] = r.peek() == JsonReader.Token.STRING ? r.nextString() : (String) skipNull(r);
          } else if (name.equals("avatar_url")) {
            f[1] = r.peek() == JsonReader.Token.STRING ? r.nextString() : (String) skipNull(r);
          } else {
            r.skipValue();
          }
        });
    return new Profile(f[0], f[1]);
  }

  /** Reads {@code GET /presence/{userId}/status}. */
  public static Presence presence(JsonReader reader) throws IOException {
    Object[] f = new Object[4];
    Json.readObject(
        reader,
        (name, r) -> {
          switch (name) {
            case "presence":
              f[0] = Json.stringOrNull(r);
              break;
            case "last_active_ago":
              f[1] = Json.longOrNull(r);
              break;
            case "status_msg":
              f[2] = Json.stringOrNull(r);
              break;
            case "currently_active":
              f[3] = Json.booleanOrNull(r);
              break;
            default:
              r.skipValue();
          }
        });
    return new Presence(
        (String) Json.require(f[0], "presence", "presence"), (Long) f[1], (String) f[2], (Boolean) f[3]);
  }
}
