package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens, refusals and bad input over HTTP: the spec's status codes and errcodes, never a 500. */
class AccountsAndErrorsTest {
  @RegisterExtension
  final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  @Test
  void missingAndUnknownTokens() {
    TestHttp anon = new TestHttp(hs.baseUrl());
    TestHttp.Answer missing = anon.get("/_matrix/client/v3/account/whoami");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.errcode()).isEqualTo("M_MISSING_TOKEN");
    TestHttp.Answer unknown = anon.withToken("nope").get("/_matrix/client/v3/account/whoami");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json()).containsEntry("errcode", "M_UNKNOWN_TOKEN").containsKey("error");
  }

  @Test
  void bearerHeaderAndQueryTokenBothWork() {
    TestUser alice = hs.register("alice");
    TestHttp anon = new TestHttp(hs.baseUrl());
    assertThat(anon.withToken(alice.accessToken()).get("/_matrix/client/v3/account/whoami").json())
        .containsEntry("user_id", alice.userId()).containsEntry("device_id", alice.deviceId());
    assertThat(anon.get("/_matrix/client/r0/account/whoami?access_token=" + alice.accessToken()).json())
        .containsEntry("user_id", alice.userId());
  }

  @Test
  void expiredTokenIsSoftLogout() {
    TestUser alice = hs.register("alice");
    alice.expireToken(true);
    TestHttp.Answer a = new TestHttp(hs.baseUrl()).withToken(alice.accessToken()).get("/_matrix/client/v3/account/whoami");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.json()).containsEntry("errcode", "M_UNKNOWN_TOKEN").containsEntry("soft_logout", true);
  }

  @Test
  void oneAccessTokenExpiresAndTheUsersOtherSessionsGoOn() {
    TestUser alice = hs.register("alice");
    TestHttp anon = new TestHttp(hs.baseUrl());
    Map<String, Object> second = anon.post("/_matrix/client/v3/login", "{\"type\":\"m.login.password\",\"identifier\":"
        + "{\"type\":\"m.id.user\",\"user\":\"alice\"},\"password\":\"" + alice.password()
        + "\",\"refresh_token\":true}").json();
    String secondToken = (String) second.get("access_token");

    hs.server().expireAccessToken(secondToken, true);

    TestHttp.Answer expired = anon.withToken(secondToken).unchecked().get("/_matrix/client/v3/account/whoami");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json()).containsEntry("errcode", "M_UNKNOWN_TOKEN").containsEntry("soft_logout", true);
    assertThat(anon.withToken(alice.accessToken()).get("/_matrix/client/v3/account/whoami").json())
        .containsEntry("user_id", alice.userId());
    // Soft: its refresh token still works.
    assertThat(anon.post("/_matrix/client/v3/refresh", "{\"refresh_token\":\"" + second.get("refresh_token") + "\"}")
        .json()).containsKey("access_token");

    hs.server().expireAccessToken(alice.accessToken(), false);
    TestHttp.Answer ended = anon.withToken(alice.accessToken()).unchecked().get("/_matrix/client/v3/account/whoami");
    assertThat(ended.json()).containsEntry("errcode", "M_UNKNOWN_TOKEN").containsEntry("soft_logout", false);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> hs.server().expireAccessToken(alice.accessToken(), true))
        .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(alice.accessToken());
  }

  @Test
  void lockedSuspendedAndDeactivatedAccountsGetTheirErrcodes() {
    TestUser alice = hs.register("alice");
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken()).unchecked();

    alice.lock();
    TestHttp.Answer locked = http.get("/_matrix/client/v3/joined_rooms");
    assertThat(locked.status()).isEqualTo(401);
    assertThat(locked.json()).containsEntry("errcode", "M_USER_LOCKED").containsEntry("soft_logout", true);
    assertThat(http.get("/_matrix/client/v3/account/whoami").status()).isEqualTo(200); // allowed while locked
    String login = "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},"
        + "\"password\":\"" + alice.password() + "\"}";
    assertThat(new TestHttp(hs.baseUrl()).unchecked().post("/_matrix/client/v3/login", login).errcode())
        .isEqualTo("M_USER_LOCKED");
    alice.unlock();
    assertThat(http.get("/_matrix/client/v3/joined_rooms").status()).isEqualTo(200);

    alice.suspend();
    TestHttp.Answer refused = http.post("/_matrix/client/v3/createRoom", "{}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errcode()).isEqualTo("M_USER_SUSPENDED");
    assertThat(http.get("/_matrix/client/v3/joined_rooms").status()).isEqualTo(200); // reads work
    alice.reinstate();
    assertThat(http.post("/_matrix/client/v3/createRoom", "{}").status()).isEqualTo(200);

    alice.deactivate();
    assertThat(http.get("/_matrix/client/v3/joined_rooms").errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    TestHttp.Answer gone = new TestHttp(hs.baseUrl()).unchecked().post("/_matrix/client/v3/login", login);
    assertThat(gone.status()).isEqualTo(403);
    assertThat(gone.errcode()).isEqualTo("M_USER_DEACTIVATED");
  }

  @Test
  void malformedJsonIsNotJsonAndWrongTypesAreBadJson() {
    TestUser alice = hs.register("alice");
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken()).unchecked();
    TestHttp.Answer notJson = http.post("/_matrix/client/v3/createRoom", "{\"name\": ");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
    TestHttp.Answer array = http.post("/_matrix/client/v3/createRoom", "[1,2]");
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.errcode()).isEqualTo("M_BAD_JSON");
    TestHttp.Answer wrongType = http.post("/_matrix/client/v3/createRoom", "{\"name\": 5}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.errcode()).isEqualTo("M_BAD_JSON");
    TestHttp.Answer typing = http.put("/_matrix/client/v3/rooms/!x:localhost/typing/" + alice.userId(),
        "{\"typing\":\"yes\"}");
    assertThat(typing.status()).isEqualTo(400);
  }

  @Test
  void emptyBodiesAreValidWhereNothingIsRequired() {
    TestUser alice = hs.register("alice");
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken());
    TestHttp.Answer room = http.unchecked().send("POST", "/_matrix/client/v3/createRoom", null);
    assertThat(room.status()).isEqualTo(200);
    assertThat(room.json()).containsKey("room_id");
    String roomId = (String) room.json().get("room_id");
    assertThat(http.unchecked().send("POST", "/_matrix/client/v3/rooms/" + roomId + "/leave", null).text())
        .isEqualTo("{}");
  }

  @Test
  void hostileIdsGetErrorsNotServerErrors() {
    TestUser alice = hs.register("alice");
    TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken()).unchecked();
    String[] paths = {
        "/_matrix/client/v3/rooms/not-a-room/state",
        "/_matrix/client/v3/rooms/%00%01/send/m.room.message/t1",
        "/_matrix/client/v3/rooms/!" + "a".repeat(5000) + ":localhost/state",
        "/_matrix/client/v3/profile/%40%40%40",
        "/_matrix/client/v3/join/%23%23%23",
        "/_matrix/media/v3/download/localhost/..%2F..%2Fetc",
    };
    for (String p : paths) {
      String method = p.contains("/send/") ? "PUT" : p.contains("/join/") ? "POST" : "GET";
      TestHttp.Answer a = http.send(method, p, method.equals("GET") ? null : "{}");
      assertThat(a.status()).as(p).isBetween(400, 499);
      assertThat(a.json()).as(p).containsKeys("errcode", "error");
    }
  }

  @Test
  void appliesTheModelAndShowsItInInspection() {
    TestUser alice = hs.register("alice");
    TestUser bob = hs.register("bob");
    String room = alice.createRoom(r -> r.name("lobby").preset("public_chat"));
    bob.join(room);
    bob.sendText(room, "hi");
    RoomView view = hs.room(room);
    assertThat(view.joinedMembers()).containsExactlyInAnyOrder(alice.userId(), bob.userId());
    assertThat(view.state("m.room.name", "")).isEqualTo(Map.of("name", "lobby"));
    assertThat(view.messages()).hasSize(1);
    assertThat(alice.toString()).contains(alice.userId()).doesNotContain(alice.accessToken(), alice.password());
  }

  @Test
  void resetForgetsEverything() {
    TestUser alice = hs.register("alice");
    alice.createRoom();
    hs.server().reset();
    TestHttp.Answer a = new TestHttp(hs.baseUrl()).withToken(alice.accessToken()).get("/_matrix/client/v3/account/whoami");
    assertThat(a.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    assertThat(hs.register("alice").userId()).isEqualTo("@alice:localhost");
  }
}
