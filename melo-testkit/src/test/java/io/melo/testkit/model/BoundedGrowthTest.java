package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a long standalone run accumulates stays bounded the way Synapse bounds it, without changing
 * what clients see: notifications (deleted after a day or beyond a per-user cap, with unread counts
 * kept until a receipt covers them), transaction ids (24 hours, a cap), identical filters (one id), media (a byte
 * budget, least recently used purged).
 */
class BoundedGrowthTest {
  private Scene scene;
  private Homeserver hs;
  private Scene.User alice;
  private Scene.User bob;
  private Scene.User carol;
  private String room;

  @BeforeEach
  void setUp() {
    scene = new Scene();
    hs = scene.hs;
    alice = scene.user("alice");
    bob = scene.user("bob");
    carol = scene.user("carol");
    room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    carol.join(room); // three members: plain messages notify through .m.rule.message
  }

  private Map<String, Object> counts(Scene.User user) {
    return Scene.obj(user.sync(null), "rooms", "join", room, "unread_notifications");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> listed(Scene.User user) {
    return (List<Map<String, Object>>) hs.notifications(user.req, null, 1000L, null).get("notifications");
  }

  private int stored(String user) {
    return hs.locked(() -> hs.notifications.storedCount(user));
  }

  @Test
  void deletedUnreadNotificationsCountUntilAReceiptCoversThem() {
    String early = bob.send(room, "before the flood");
    hs.sendReceipt(alice.req, room, "m.read", early, null);
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < Notifications.TRIM_AT; i++) {
      ids.add(bob.send(room, "message " + i));
    }
    // At TRIM_AT stored ("early" included) the oldest were deleted down to MAX_PER_USER, then one more
    // came; a receipt before all the deleted unread ones keeps them counted.
    assertThat(stored(alice.id())).isEqualTo(Notifications.MAX_PER_USER + 1);
    assertThat(counts(alice)).containsEntry("notification_count", (long) Notifications.TRIM_AT);
    hs.sendReceipt(alice.req, room, "m.read", ids.get(ids.size() - 1), null);
    assertThat(counts(alice)).containsEntry("notification_count", 0L);
    // carol never read: the same flood counts in full for her.
    assertThat(counts(carol)).containsEntry("notification_count", (long) Notifications.TRIM_AT + 1);
  }

  @Test
  void aUserWhoNeverReadsKeepsTheCapButTheirCountsStayExact() {
    int sent = Notifications.TRIM_AT + 10;
    String last = null;
    for (int i = 0; i < sent; i++) {
      last = bob.send(room, i == 0 ? "alice, first" : "message " + i); // the first one highlights
    }
    assertThat(stored(alice.id())).isBetween(Notifications.MAX_PER_USER, Notifications.TRIM_AT - 1);
    assertThat(listed(alice)).hasSizeLessThanOrEqualTo(Notifications.MAX_PER_USER);
    assertThat(((Map<?, ?>) listed(alice).get(0).get("event")).get("event_id")).isEqualTo(last);
    // The deleted ones still count until alice reads: the summary carries them.
    assertThat(counts(alice)).containsEntry("notification_count", (long) sent).containsEntry("highlight_count", 1L);

    hs.sendReceipt(alice.req, room, "m.read", last, null);
    assertThat(counts(alice)).containsEntry("notification_count", 0L).containsEntry("highlight_count", 0L);
    assertThat(listed(alice)).allSatisfy(n -> assertThat(n).containsEntry("read", true));
  }

  @Test
  void nonHighlightNotificationsExpireAfterADayAndStillCountUntilRead() {
    bob.send(room, "old");
    bob.send(room, "old alice");             // highlight: kept past a day
    scene.advance(Notifications.RETENTION_MS + Notifications.SWEEP_INTERVAL_MS);
    String fresh = bob.send(room, "fresh");  // an arriving event runs the sweep
    assertThat(listed(alice)).hasSize(2);
    assertThat(listed(alice)).extracting(n -> (Object) ((Map<?, ?>) n.get("event")).get("event_id")).contains(fresh);
    assertThat(counts(alice)).containsEntry("notification_count", 3L).containsEntry("highlight_count", 1L);
    hs.sendReceipt(alice.req, room, "m.read", fresh, null);
    assertThat(counts(alice)).containsEntry("notification_count", 0L);
    scene.advance(Notifications.RETENTION_MS + Notifications.SWEEP_INTERVAL_MS);
    bob.send(room, "later");
    assertThat(listed(alice)).hasSize(2); // the old highlight and the new one; "fresh" expired
    assertThat(counts(alice)).containsEntry("notification_count", 1L);
  }

  @Test
  void threadedCountsKeepDeletedUnreadNotificationsPerThread() {
    String root = bob.send(room, "root");
    for (int i = 0; i < Notifications.TRIM_AT; i++) {
      bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "in thread " + i,
          "m.relates_to", map("rel_type", "m.thread", "event_id", root)));
    }
    String filter = (String) hs.createFilter(alice.req, alice.id(),
        map("room", map("timeline", map("unread_thread_notifications", true)))).get("filter_id");
    Map<String, Object> joined = Scene.obj(alice.sync(null, filter), "rooms", "join", room);
    assertThat(Scene.obj(joined, "unread_notifications")).containsEntry("notification_count", 1L);
    assertThat(Scene.obj(joined, "unread_thread_notifications", root))
        .containsEntry("notification_count", (long) Notifications.TRIM_AT);
  }

  @Test
  void transactionIdsAreRememberedForADay() {
    String first = hs.sendEvent(alice.req, room, "m.room.message", "txn-1", map("msgtype", "m.text", "body", "a"));
    scene.advance(Transactions.RETENTION_MS - 1);
    assertThat(hs.sendEvent(alice.req, room, "m.room.message", "txn-1", map("msgtype", "m.text", "body", "a")))
        .isEqualTo(first);
    scene.advance(1);
    assertThat(hs.sendEvent(alice.req, room, "m.room.message", "txn-1", map("msgtype", "m.text", "body", "a")))
        .isNotEqualTo(first);
    assertThat(hs.locked(() -> hs.transactions.size())).isEqualTo(1); // the expired one was replaced
  }

  @Test
  void transactionIdsBeyondTheCapForgetTheOldestFirst() {
    Transactions t = new Transactions(scene.clock);
    for (int i = 0; i <= Transactions.MAX_ENTRIES; i++) {
      t.put("scope-" + i, "$event" + i);
    }
    assertThat(t.size()).isEqualTo(Transactions.MAX_ENTRIES);
    assertThat(t.get("scope-0")).isNull();
    assertThat(t.get("scope-1")).isEqualTo("$event1");
    assertThat(t.get("scope-" + Transactions.MAX_ENTRIES)).isEqualTo("$event" + Transactions.MAX_ENTRIES);
  }

  @Test
  void theSameFilterTwiceGetsOneId() {
    Map<String, Object> filter = map("room", map("timeline", map("limit", 10L)));
    Object first = hs.createFilter(alice.req, alice.id(), filter).get("filter_id");
    assertThat(hs.createFilter(alice.req, alice.id(), map("room", map("timeline", map("limit", 10L))))
        .get("filter_id")).isEqualTo(first);
    assertThat(hs.createFilter(alice.req, alice.id(), map("room", map("timeline", map("limit", 11L))))
        .get("filter_id")).isNotEqualTo(first);
    assertThat(hs.createFilter(bob.req, bob.id(), filter)).containsKey("filter_id");
  }

  @Test
  void mediaBeyondTheBudgetPurgesTheLeastRecentlyUsed() {
    Scene small = new Scene(HomeserverConfig.builder().serverName("test.local").maxUploadBytes(100)
        .mediaStoreBytes(250));
    Scene.User u = small.user("uploader");
    String a = mediaId(small.hs.upload(u.req, new byte[100], "application/octet-stream", null));
    String b = mediaId(small.hs.upload(u.req, new byte[100], "application/octet-stream", null));
    small.hs.media("test.local", a); // a is now more recently used than b
    String c = mediaId(small.hs.upload(u.req, new byte[100], "application/octet-stream", null));
    assertThat(small.hs.media("test.local", a).bytes()).hasSize(100);
    assertThat(small.hs.media("test.local", c).bytes()).hasSize(100);
    MatrixError gone = catchThrowableOfType(() -> small.hs.media("test.local", b), MatrixError.class);
    assertThat(gone.errcode()).isEqualTo("M_NOT_FOUND");
  }

  @Test
  void aMediaBudgetBelowTheUploadLimitIsRefused() {
    IllegalArgumentException e = catchThrowableOfType(() -> HomeserverConfig.builder().maxUploadBytes(100)
        .mediaStoreBytes(99).build(), IllegalArgumentException.class);
    assertThat(e).hasMessageContaining("mediaStoreBytes");
  }

  private static String mediaId(Map<String, Object> upload) {
    String uri = (String) upload.get("content_uri");
    return uri.substring(uri.lastIndexOf('/') + 1);
  }
}
