package io.melo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Profile;
import io.melo.core.Reaction;
import io.melo.core.Role;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.RoleChanged;
import io.melo.core.event.TypingChanged;
import io.melo.core.event.UnknownEvent;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventTextTest {

  private static final String SPACE = "!space:hs";
  private static final String ROOM = "!general:hs";
  private static final MeloClient CLIENT = (MeloClient) Proxy.newProxyInstance(
      MeloClient.class.getClassLoader(), new Class<?>[] {MeloClient.class},
      (proxy, method, args) -> {
        throw new UnsupportedOperationException(method.getName());
      });

  private final EventText text = new EventText();

  private static Message message(String id, String sender, String body, Optional<String> replyTo) {
    return new Message(id, ROOM, sender, Instant.EPOCH, "m.text", body, Optional.empty(), Optional.empty(),
        false, replyTo, Optional.empty(), List.<Reaction>of());
  }

  @Test
  void namesRoomsUsersAndQuotesMessages() {
    text.nameRoom(SPACE, "Melo HQ");
    text.nameRoom(ROOM, "#general");
    Message hello = message("$hello", "@alice:hs", "hello", Optional.empty());

    assertThat(text.describe(new MessageCreated(CLIENT, 1, ROOM, Optional.of(SPACE), hello)))
        .isEqualTo("MessageCreated in #general from alice: \"hello\"");
    assertThat(text.describe(new MessageCreated(CLIENT, 2, ROOM, Optional.of(SPACE),
        message("$reply", "@bob:hs", "hi", Optional.of("$hello")))))
        .isEqualTo("MessageCreated in #general from bob (reply to \"hello\"): \"hi\"");
    assertThat(text.describe(new MessageEdited(CLIENT, 3, ROOM, Optional.of(SPACE),
        message("$hello", "@alice:hs", "hello again", Optional.empty()), "$edit")))
        .isEqualTo("MessageEdited in #general by alice: \"hello\" is now \"hello again\"");
    assertThat(text.describe(new ReactionAdded(CLIENT, 4, ROOM, Optional.of(SPACE), "$hello", "\uD83D\uDC4D", "@bob:hs")))
        .isEqualTo("ReactionAdded \uD83D\uDC4D by bob on \"hello again\" in #general");
    assertThat(text.describe(new MessageDeleted(CLIENT, 5, ROOM, Optional.of(SPACE), "$unknown", "@bob:hs")))
        .isEqualTo("MessageDeleted in #general: $unknown deleted by bob");
    assertThat(text.describe(new MemberJoined(CLIENT, 6, SPACE, "@bob:hs", Profile.of("@bob:hs"))))
        .isEqualTo("MemberJoined bob in Melo HQ");
    assertThat(text.describe(new RoleChanged(CLIENT, 7, SPACE, "@bob:hs", Role.GUEST, Role.MODERATOR, 50)))
        .isEqualTo("RoleChanged bob in Melo HQ: GUEST -> MODERATOR");
    assertThat(text.describe(new TypingChanged(CLIENT, 8, ROOM, Optional.of(SPACE), List.of("@bob:hs", "@carol:hs"))))
        .isEqualTo("TypingChanged in #general: bob, carol are typing");
    assertThat(text.describe(new TypingChanged(CLIENT, 9, ROOM, Optional.of(SPACE), List.of())))
        .isEqualTo("TypingChanged in #general: nobody is typing");
    assertThat(text.describe(new UnknownEvent(CLIENT, 10, Optional.of("!elsewhere:hs"), Optional.empty(),
        "com.example.poll", "{}")))
        .isEqualTo("UnknownEvent com.example.poll in !elsewhere:hs");
  }

  @Test
  void aNewChannelIsNamedForLaterLines() {
    Channel random = new Channel("!random:hs", SPACE, "random", Optional.empty(), ChannelType.TEXT, "TEXT",
        "@alice:hs", Instant.EPOCH);
    assertThat(text.describe(new ChannelCreated(CLIENT, 1, SPACE, random)))
        .isEqualTo("ChannelCreated #random (TEXT) in !space:hs");
    assertThat(text.room("!random:hs")).isEqualTo("#random");
  }

  @Test
  void shortNamesAndQuotes() {
    assertThat(EventText.user("@alice:example.org")).isEqualTo("alice");
    assertThat(EventText.user("not-a-user-id")).isEqualTo("not-a-user-id");
    assertThat(EventText.quoteText("two\nlines")).isEqualTo("\"two lines\"");
    String longText = "\uD83D\uDE00".repeat(50);
    String quoted = EventText.quoteText(longText);
    assertThat(quoted.codePointCount(0, quoted.length())).isEqualTo(42); // 39 emoji, the ellipsis, 2 quotes
    assertThat(quoted).endsWith("…\"");
  }
}
