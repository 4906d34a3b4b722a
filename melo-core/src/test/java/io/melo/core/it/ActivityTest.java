package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Attachment;
import io.melo.core.Message;
import io.melo.core.MessageKind;
import io.melo.core.Presence;
import io.melo.core.UnreadCount;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.PresenceChanged;
import io.melo.core.event.ReceiptReceived;
import io.melo.core.event.UnknownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attachments, threads, receipts, unread counts, presence, unknown events and listener isolation. */
class ActivityTest extends HqScene {

  @Test
  void attachmentsCarryMimeTypeAndSizeAndThreadsTheirRoot() {
    Recorder guestEvents = new Recorder(guest);
    byte[] png = "not really a png".getBytes(StandardCharsets.UTF_8);
    Message image = owner.sendAttachment(general.id(), png, "cat.png", "image/png").execute();
    assertThat(image.kind()).isEqualTo(MessageKind.IMAGE);

    Message live = guestEvents.await(MessageCreated.class).message();
    assertThat(live.kind()).isEqualTo(MessageKind.IMAGE);
    Attachment file = live.attachment().get();
    assertThat(file.url()).startsWith("mxc://");
    assertThat(file.fileName()).isEqualTo("cat.png");
    assertThat(file.mimeType()).contains("image/png");
    assertThat(file.size()).hasValue(png.length);

    Message inThread = guest.sendToThread(general.id(), image.id(), "cute").execute();
    Message seen = guestEvents.await(MessageCreated.class, e -> e.message().id().equals(inThread.id())).message();
    assertThat(seen.threadRootId()).contains(image.id());
    assertThat(seen.replyToId()).isEmpty();
  }

  @Test
  void receiptsUnreadCountsAndPresence() {
    Recorder ownerEvents = new Recorder(owner);
    Recorder guestEvents = new Recorder(guest);
    Message hello = owner.sendText(general.id(), "hello").execute();
    guestEvents.await(MessageCreated.class);
    assertThat(guest.unreadCount(general.id()).notifications()).isGreaterThanOrEqualTo(1);

    guest.markRead(general.id(), hello.id()).execute();
    ReceiptReceived receipt = ownerEvents.await(ReceiptReceived.class, e -> e.userId().equals(bob.userId()));
    assertThat(receipt.eventId()).isEqualTo(hello.id());

    guest.setPresence(Presence.UNAVAILABLE, "lunch").execute();
    PresenceChanged presence = ownerEvents.await(PresenceChanged.class,
        e -> e.userId().equals(bob.userId()) && e.statusMessage().equals(java.util.Optional.of("lunch")));
    // Melo polls with set_presence=offline, which by the spec leaves presence alone; the fake
    // (testkit SyncEngine) sets the user offline instead, so a sync of bob's can race the
    // UNAVAILABLE he set. Reported to the testkit; until fixed, either value is what arrives.
    assertThat(presence.presence()).isIn(Presence.UNAVAILABLE, Presence.OFFLINE);
    assertThat(owner.unreadCount("!unknown:" + hs.serverName())).isEqualTo(UnreadCount.NONE);
  }

  @Test
  void customAndUnknownEventsAreSurfacedRawAndAThrowingListenerStopsNothing() {
    List<String> afterFailure = new ArrayList<>();
    guest.on(MessageCreated.class, e -> {
      throw new IllegalStateException("a listener bug");
    });
    guest.on(MessageCreated.class, e -> afterFailure.add(e.message().body()));
    Recorder guestEvents = new Recorder(guest);

    alice.send(general.id(), "io.haos.poll", Map.of("question", "lunch?"));
    UnknownEvent unknown = guestEvents.await(UnknownEvent.class);
    assertThat(unknown.type()).isEqualTo("io.haos.poll");
    assertThat(unknown.json()).contains("lunch?");
    assertThat(unknown.roomId()).contains(general.id());

    alice.sendText(general.id(), "one");
    alice.sendText(general.id(), "two");
    guestEvents.await(MessageCreated.class, e -> e.message().body().equals("two"));
    assertThat(afterFailure).containsExactly("one", "two");
  }

  @Test
  void aDisplayNameChangeIsAProfileEvent() {
    Recorder ownerEvents = new Recorder(owner);
    guest.setDisplayName("Bobby").execute();
    io.melo.core.event.ProfileChanged changed =
        ownerEvents.await(io.melo.core.event.ProfileChanged.class, e -> e.userId().equals(bob.userId()));
    assertThat(changed.profile().displayName()).contains("Bobby");
    assertThat(ownerEvents.seen(io.melo.core.event.ProfileChanged.class)).hasSize(1);
  }

  @Test
  void aListenerMayCloseItsOwnClientPromptly() throws Exception {
    java.util.concurrent.CompletableFuture<Long> closedIn = new java.util.concurrent.CompletableFuture<>();
    guest.on(MessageCreated.class, e -> {
      long start = System.nanoTime();
      guest.close();
      closedIn.complete(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    });
    owner.sendText(general.id(), "bye").execute();
    assertThat(closedIn.get(20, java.util.concurrent.TimeUnit.SECONDS)).isLessThan(4000L);
  }

  @Test
  void everyOperationRunsAsynchronouslyToo() throws Exception {
    java.util.concurrent.CompletableFuture<Message> viaCallback = new java.util.concurrent.CompletableFuture<>();
    owner.sendText(general.id(), "async").enqueue(new io.melo.core.MeloCallback<>() {
      @Override
      public void onSuccess(Message result) {
        viaCallback.complete(result);
      }

      @Override
      public void onFailure(io.melo.core.MeloException failure) {
        viaCallback.completeExceptionally(failure);
      }
    });
    assertThat(viaCallback.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("async");

    java.util.concurrent.CompletableFuture<io.melo.core.MessagePage> page =
        guest.messages(general.id(), null, 10).future();
    assertThat(page.get(10, java.util.concurrent.TimeUnit.SECONDS).messages()).extracting(Message::body).contains("async");

    java.util.concurrent.CompletableFuture<Message> failing = guest.editMessage(general.id(),
        viaCallback.get().id(), "not mine").future();
    assertThatThrownBy(() -> failing.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(io.melo.core.RuleViolationException.class);
  }
}
