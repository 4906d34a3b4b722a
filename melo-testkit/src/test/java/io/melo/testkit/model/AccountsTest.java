package io.melo.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountsTest {
  private final Scene scene = new Scene(
      HomeserverConfig.builder()
          .serverName("test.local")
          .accessTokenLifetime(Duration.ofMinutes(1))
          .appservice(new Appservice("bridge", "as-secret", "bridgebot", List.of("@bridge_.*:test\\.local"))));
  private final Homeserver hs = scene.hs;

  private static MatrixError error(Runnable r) {
    try {
      r.run();
    } catch (MatrixError e) {
      return e;
    }
    throw new AssertionError("expected a MatrixError");
  }

  @Test
  void registrationNeedsTheDummyStageThenLogsIn() {
    MatrixError uia = error(() -> hs.register(Scene.map("username", "alice", "password", "pw"), null, null));
    assertThat(uia.status()).isEqualTo(401);
    assertThat(uia.toBody()).containsKeys("flows", "session", "params").doesNotContainKey("errcode");
    Object session = uia.toBody().get("session");
    Map<String, Object> ok = hs.register(Scene.map("username", "alice", "password", "pw",
        "auth", Scene.map("type", "m.login.dummy", "session", session)), null, null);
    assertThat(ok).containsEntry("user_id", "@alice:test.local").containsKeys("access_token", "device_id");
    Requester r = hs.authenticate((String) ok.get("access_token"), null);
    assertThat(r.userId()).isEqualTo("@alice:test.local");
    assertThat(hs.whoami(r)).containsEntry("device_id", ok.get("device_id"));
  }

  @Test
  void usernameRulesAndTakenNames() {
    scene.user("bob");
    Map<String, Object> dummy = Scene.map("type", "m.login.dummy");
    assertThat(error(() -> hs.register(Scene.map("username", "bob", "password", "x", "auth", dummy), null, null))
        .errcode()).isEqualTo("M_USER_IN_USE");
    assertThat(error(() -> hs.register(Scene.map("username", "b b", "password", "x", "auth", dummy), null, null))
        .errcode()).isEqualTo("M_INVALID_USERNAME");
    assertThat(error(() -> hs.register(Scene.map("username", "bridge_x", "password", "x", "auth", dummy), null, null))
        .errcode()).isEqualTo("M_EXCLUSIVE");
    assertThat(error(() -> hs.usernameAvailable("bob")).errcode()).isEqualTo("M_USER_IN_USE");
    assertThat(hs.usernameAvailable("carol")).containsEntry("available", true);
    Map<String, Object> inhibited = hs.register(
        Scene.map("username", "Dave", "password", "x", "inhibit_login", true, "auth", dummy), null, null);
    assertThat(inhibited).containsOnlyKeys("user_id").containsEntry("user_id", "@dave:test.local");
  }

  @Test
  void passwordLoginGivesDistinctDevicesAndChecksPasswords() {
    scene.user("erin");
    Map<String, Object> a = hs.login(Scene.map("type", "m.login.password",
        "identifier", Scene.map("type", "m.id.user", "user", "erin"), "password", "pw-erin"), null);
    Map<String, Object> b = hs.login(Scene.map("type", "m.login.password",
        "user", "@erin:test.local", "password", "pw-erin"), null);
    assertThat(a.get("device_id")).isNotEqualTo(b.get("device_id"));
    assertThat(a.get("access_token")).isNotEqualTo(b.get("access_token"));
    MatrixError wrong = error(() -> hs.login(Scene.map("type", "m.login.password", "user", "erin", "password", "nope"), null));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.getMessage()).doesNotContain("nope");
  }

  @Test
  void accessTokensExpireOnTheClockAndRefreshRotates() {
    scene.user("fay");
    Map<String, Object> login = hs.login(Scene.map("type", "m.login.password", "user", "fay",
        "password", "pw-fay", "refresh_token", true), null);
    assertThat(login).containsEntry("expires_in_ms", 60_000L);
    String access = (String) login.get("access_token");
    hs.authenticate(access, null);
    scene.advance(60_000);
    MatrixError expired = error(() -> hs.authenticate(access, null));
    assertThat(expired.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    assertThat(expired.toBody()).containsEntry("soft_logout", true);
    Map<String, Object> lost = hs.refresh((String) login.get("refresh_token"));
    Map<String, Object> refreshed = hs.refresh((String) login.get("refresh_token"));
    assertThat(refreshed.get("access_token")).isNotEqualTo(lost.get("access_token"));
    assertThat(hs.authenticate((String) refreshed.get("access_token"), null).deviceId())
        .isEqualTo(login.get("device_id"));
    MatrixError reused = error(() -> hs.refresh((String) login.get("refresh_token")));
    assertThat(reused.toBody()).containsEntry("soft_logout", false);
  }

  @Test
  void logoutEndsOneDeviceAndLogoutAllEndsEvery() {
    Scene.User gus = scene.user("gus");
    Map<String, Object> second = hs.login(Scene.map("type", "m.login.password", "user", "gus", "password", "pw-gus"), null);
    hs.logout(gus.req);
    assertThat(error(() -> hs.authenticate(gus.credentials.accessToken(), null)).toBody())
        .containsEntry("soft_logout", false);
    Requester other = hs.authenticate((String) second.get("access_token"), null);
    hs.logoutAll(other);
    assertThat(error(() -> hs.authenticate((String) second.get("access_token"), null)).errcode())
        .isEqualTo("M_UNKNOWN_TOKEN");
    assertThat(error(() -> hs.authenticate(null, null)).errcode()).isEqualTo("M_MISSING_TOKEN");
  }

  @Test
  void deletingDevicesNeedsThePassword() {
    Scene.User pat = scene.user("pat");
    Map<String, Object> other = hs.login(Scene.map("type", "m.login.password", "user", "pat", "password", "pw-pat"), null);
    String otherDevice = (String) other.get("device_id");
    MatrixError first = error(() -> hs.deleteDevices(pat.req, List.of(otherDevice), null));
    assertThat(first.status()).isEqualTo(401);
    assertThat(first.toBody()).containsKeys("flows", "session").doesNotContainKey("errcode");
    Map<String, Object> wrong = Scene.map("type", "m.login.password", "session", first.toBody().get("session"),
        "identifier", Scene.map("type", "m.id.user", "user", "pat"), "password", "nope");
    assertThat(error(() -> hs.deleteDevices(pat.req, List.of(otherDevice), wrong)).toBody())
        .containsEntry("errcode", "M_FORBIDDEN").containsKey("flows");
    Map<String, Object> right = new java.util.LinkedHashMap<>(wrong);
    right.put("password", "pw-pat");
    hs.deleteDevices(pat.req, List.of(otherDevice), right);
    assertThat(Scene.list(hs.devices(pat.req), "devices")).extracting(d -> d.get("device_id"))
        .containsExactly(pat.credentials.deviceId());
    assertThat(error(() -> hs.authenticate((String) other.get("access_token"), null)).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
  }

  @Test
  void appserviceRegistersAndMasqueradesOnlyInItsNamespace() {
    Map<String, Object> reg = hs.register(Scene.map("type", "m.login.application_service", "username", "bridge_42"),
        null, "as-secret");
    assertThat(reg).containsEntry("user_id", "@bridge_42:test.local");
    assertThat(hs.authenticate("as-secret", "@bridge_42:test.local").isAppservice()).isTrue();
    assertThat(hs.authenticate("as-secret", null).userId()).isEqualTo("@bridgebot:test.local");
    scene.user("hal");
    assertThat(error(() -> hs.authenticate("as-secret", "@hal:test.local")).status()).isEqualTo(403);
    assertThat(error(() -> hs.register(Scene.map("username", "nobridge"), null, "as-secret")).errcode())
        .isEqualTo("M_EXCLUSIVE");
    assertThat(new Appservice("x", "secret-token", "bot", List.of()).toString()).doesNotContain("secret-token");
    assertThat(scene.user("ivy").credentials.toString()).doesNotContain("syt_");
  }

  @Test
  void profileAccountDataPresenceAndFilters() {
    Scene.User jo = scene.user("jo");
    Scene.User kim = scene.user("kim");
    hs.setProfileField(jo.req, jo.id(), "displayname", "Jo J");
    assertThat(hs.profile(jo.id())).containsEntry("displayname", "Jo J");
    assertThat(error(() -> hs.setProfileField(kim.req, jo.id(), "displayname", "x")).status()).isEqualTo(403);
    assertThat(error(() -> hs.profile("@nobody:test.local")).status()).isEqualTo(404);
    hs.setProfileValue(jo.req, jo.id(), "m.tz", "Europe/Paris");
    hs.setProfileValue(jo.req, jo.id(), "io.melo.badge", Scene.map("level", 3L));
    assertThat(hs.profile(jo.id())).containsEntry("m.tz", "Europe/Paris").containsKey("io.melo.badge");
    assertThat(hs.profileField(jo.id(), "io.melo.badge")).containsEntry("io.melo.badge", Scene.map("level", 3L));
    hs.deleteProfileField(jo.req, jo.id(), "io.melo.badge");
    assertThat(hs.profile(jo.id())).doesNotContainKey("io.melo.badge");
    assertThat(error(() -> hs.setProfileValue(jo.req, jo.id(), "Bad Key", "x")).errcode()).isEqualTo("M_INVALID_PARAM");
    assertThat(error(() -> hs.setProfileValue(jo.req, jo.id(), "io." + "a".repeat(300), "x")).errcode())
        .isEqualTo("M_KEY_TOO_LARGE");
    assertThat(error(() -> hs.setProfileValue(jo.req, jo.id(), "io.melo.big", "x".repeat(70_000))).errcode())
        .isEqualTo("M_PROFILE_TOO_LARGE");
    assertThat(error(() -> hs.setProfileValue(jo.req, jo.id(), "displayname", 5L)).errcode()).isEqualTo("M_BAD_JSON");

    hs.setAccountData(jo.req, jo.id(), null, "io.melo.profile", Scene.map("email", "j@x"));
    assertThat(hs.accountData(jo.req, jo.id(), null, "io.melo.profile")).containsEntry("email", "j@x");
    assertThat(error(() -> hs.accountData(kim.req, jo.id(), null, "io.melo.profile")).status()).isEqualTo(403);
    assertThat(error(() -> hs.accountData(jo.req, jo.id(), null, "absent")).status()).isEqualTo(404);
    MatrixError pushRules = error(() -> hs.setAccountData(jo.req, jo.id(), null, "m.push_rules", Map.of()));
    assertThat(pushRules.status()).isEqualTo(405);
    assertThat(pushRules.errcode()).isEqualTo("M_BAD_JSON");

    String room = jo.createRoom();
    hs.setTag(jo.req, jo.id(), room, "m.favourite", Scene.map("order", 0.5));
    hs.setTag(jo.req, jo.id(), room, "u.work", Scene.map());
    hs.setTag(jo.req, jo.id(), room, "u.work", null);
    assertThat(Scene.obj(hs.tags(jo.req, jo.id(), room), "tags")).containsOnlyKeys("m.favourite");
    assertThat(hs.accountData(jo.req, jo.id(), room, "m.tag")).containsKey("tags");
    assertThat(error(() -> hs.tags(kim.req, jo.id(), room)).status()).isEqualTo(403);

    hs.setPresence(jo.req, jo.id(), "unavailable", "lunch");
    assertThat(hs.presence(kim.req, jo.id())).containsEntry("presence", "unavailable").containsEntry("status_msg", "lunch");
    assertThat(error(() -> hs.setPresence(jo.req, jo.id(), "busy", null)).errcode()).isEqualTo("M_INVALID_PARAM");

    String filterId = (String) hs.createFilter(jo.req, jo.id(),
        Scene.map("room", Scene.map("timeline", Scene.map("limit", 5L)))).get("filter_id");
    assertThat(hs.filter(jo.req, jo.id(), filterId)).containsKey("room");
    assertThat(error(() -> hs.filter(jo.req, jo.id(), "99")).status()).isEqualTo(404);
    assertThat(error(() -> hs.createFilter(jo.req, jo.id(), Scene.map("room", "x"))).errcode()).isEqualTo("M_BAD_JSON");
    assertThat(Scene.obj(hs.pushRules(jo.req), "global")).containsKeys("override", "underride", "content");
  }

  @Test
  void pushRulesCanBeAddedToggledAndDeletedAndShowInSync() {
    Scene.User quinn = scene.user("quinn");
    String since = (String) quinn.sync(null).get("next_batch");
    hs.putPushRule(quinn.req, "global", "content", "cake", Scene.map("pattern", "cake*", "actions", List.of("notify")),
        null, null);
    hs.putPushRule(quinn.req, "global", "override", "mine", Scene.map("actions", List.of(), "conditions", List.of()),
        null, null);
    hs.putPushRule(quinn.req, "global", "override", "second", Scene.map("actions", List.of()), null, "mine");
    List<Map<String, Object>> override = Scene.list(hs.pushRules(quinn.req), "global", "override");
    assertThat(override).extracting(r -> r.get("rule_id")).startsWith(".m.rule.master", "mine", "second");
    hs.updatePushRule(quinn.req, "global", "override", ".m.rule.master", true, null);
    assertThat(hs.pushRule(quinn.req, "global", "override", ".m.rule.master")).containsEntry("enabled", true);
    assertThat(error(() -> hs.deletePushRule(quinn.req, "global", "override", ".m.rule.master")).status()).isEqualTo(400);
    hs.deletePushRule(quinn.req, "global", "content", "cake");
    assertThat(error(() -> hs.pushRule(quinn.req, "global", "content", "cake")).status()).isEqualTo(404);
    assertThat(error(() -> hs.pushRule(quinn.req, "device", "content", "x")).errcode()).isEqualTo("M_INVALID_PARAM");
    Map<String, Object> sync = quinn.sync(since);
    assertThat(Scene.list(sync, "account_data", "events")).extracting(e -> e.get("type")).containsExactly("m.push_rules");
    assertThat(Scene.list(quinn.sync(null), "account_data", "events")).filteredOn(e -> "m.push_rules".equals(e.get("type")))
        .hasSize(1);
  }

  @Test
  void mediaIsStoredWithTypeAndLimited() {
    Scene.User lou = scene.user("lou");
    String uri = (String) hs.upload(lou.req, new byte[] {1, 2, 3}, "image/png", "a.png").get("content_uri");
    assertThat(uri).matches("mxc://test\\.local/[A-Za-z0-9]+");
    Media m = hs.media("test.local", uri.substring(uri.lastIndexOf('/') + 1));
    assertThat(m.bytes()).containsExactly(1, 2, 3);
    assertThat(m.contentType()).isEqualTo("image/png");
    assertThat(m.filename()).isEqualTo("a.png");
    assertThat(error(() -> hs.media("test.local", "../etc")).status()).isEqualTo(404);
    Scene small = new Scene(HomeserverConfig.builder().serverName("s.local").maxUploadBytes(2));
    Scene.User u = small.user("u");
    MatrixError tooLarge = error(() -> small.hs.upload(u.req, new byte[3], null, null));
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.errcode()).isEqualTo("M_TOO_LARGE");
  }

  @Test
  void userDirectoryFindsUsersSharingARoom() {
    Scene.User mo = scene.user("mo");
    Scene.User nat = scene.user("nat");
    scene.user("oz");
    String room = mo.createRoom("preset", "private_chat");
    mo.invite(room, nat);
    nat.join(room);
    List<Map<String, Object>> results = Scene.list(hs.searchUsers(mo.req, "na", 10), "results");
    assertThat(results).extracting(r -> r.get("user_id")).containsExactly("@nat:test.local");
    assertThat(Scene.list(hs.searchUsers(mo.req, "oz", 10), "results")).isEmpty();
  }
}
