package io.melo.testkit.model;

import static io.melo.testkit.model.Scene.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code unread_thread_notifications} in the filter, counts are split by thread and threaded receipts reset one thread. */
class ThreadNotificationsTest {
  private static final String THREADED = "{\"room\":{\"timeline\":{\"unread_thread_notifications\":true}}}";

  @Test
  void countsAreSplitByThreadAndReadPerThread() {
    Scene scene = new Scene();
    Homeserver hs = scene.hs;
    Scene.User alice = scene.user("alice");
    Scene.User bob = scene.user("bob");
    Scene.User carol = scene.user("carol");
    String room = alice.createRoom("preset", "public_chat");
    bob.join(room);
    carol.join(room);
    String root = bob.send(room, "root");
    String other = bob.send(room, "another root");
    String inThread = bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "reply for alice",
        "m.relates_to", map("rel_type", "m.thread", "event_id", root)));
    bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "second reply",
        "m.relates_to", map("rel_type", "m.thread", "event_id", root)));
    bob.sendEvent(room, "m.room.message", map("msgtype", "m.text", "body", "in the other thread",
        "m.relates_to", map("rel_type", "m.thread", "event_id", other)));

    Map<String, Object> joined = Scene.obj(alice.sync(null, THREADED), "rooms", "join", room);
    assertThat(Scene.obj(joined, "unread_notifications")).containsEntry("notification_count", 2L)
        .containsEntry("highlight_count", 0L);
    assertThat(Scene.obj(joined, "unread_thread_notifications", root)).containsEntry("notification_count", 2L)
        .containsEntry("highlight_count", 1L);
    assertThat(Scene.obj(joined, "unread_thread_notifications", other)).containsEntry("notification_count", 1L);
    // Without the filter option, one count for everything.
    assertThat(Scene.obj(alice.sync(null), "rooms", "join", room, "unread_notifications"))
        .containsEntry("notification_count", 5L).containsEntry("highlight_count", 1L);
    assertThat(Scene.obj(alice.sync(null), "rooms", "join", room)).doesNotContainKey("unread_thread_notifications");

    // A receipt in the thread reads that thread only; one for "main" the main timeline only.
    hs.sendReceipt(alice.req, room, "m.read", inThread, root);
    joined = Scene.obj(alice.sync(null, THREADED), "rooms", "join", room);
    assertThat(Scene.obj(joined, "unread_thread_notifications", root)).containsEntry("notification_count", 1L)
        .containsEntry("highlight_count", 0L);
    assertThat(Scene.obj(joined, "unread_notifications")).containsEntry("notification_count", 2L);
    hs.sendReceipt(alice.req, room, "m.read.private", other, "main");
    joined = Scene.obj(alice.sync(null, THREADED), "rooms", "join", room);
    assertThat(Scene.obj(joined, "unread_notifications")).containsEntry("notification_count", 0L);
    assertThat(Scene.obj(joined, "unread_thread_notifications")).containsOnlyKeys(root, other);
    // An unthreaded receipt on the latest event reads everything.
    String latest = (String) hs.timeline(room).get(hs.timeline(room).size() - 1).eventId();
    hs.sendReceipt(alice.req, room, "m.read", latest, null);
    joined = Scene.obj(alice.sync(null, THREADED), "rooms", "join", room);
    assertThat(Scene.obj(joined, "unread_notifications")).containsEntry("notification_count", 0L);
    assertThat(joined).doesNotContainKey("unread_thread_notifications");
  }
}
