package io.melo.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.melo.core.Presence;
import io.melo.core.testing.Samples;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventScopeTest {

  @Test
  void everyLeafHasAScopeRule() {
    for (Class<?> type : MeloListenerAdapterTest.leaves()) {
      MeloEvent event = (MeloEvent) Samples.record(type);
      assertThatCode(() -> EventScope.serverOf(event)).as(type.getSimpleName()).doesNotThrowAnyException();
      assertThatCode(() -> EventScope.roomOf(event)).as(type.getSimpleName()).doesNotThrowAnyException();
      assertThat(EventScope.all().matches(event)).isTrue();
    }
  }

  @Test
  void serverScopeTakesEventsOfTheServerAndOfItsChannels() {
    MessageCreated inChannel =
        new MessageCreated(Samples.CLIENT, 1, "!c:hs", Optional.of("!s:hs"), Samples.message("$1"));
    MessageCreated elsewhere =
        new MessageCreated(Samples.CLIENT, 2, "!d:hs", Optional.of("!other:hs"), Samples.message("$2"));
    MessageCreated inConversation =
        new MessageCreated(Samples.CLIENT, 3, "!dm:hs", Optional.empty(), Samples.message("$3"));
    MemberLeft left = new MemberLeft(Samples.CLIENT, 4, "!s:hs", "@bob:hs");
    ChannelsReordered reordered = new ChannelsReordered(Samples.CLIENT, 5, "!s:hs", List.of("!c:hs"));
    PresenceChanged presence =
        new PresenceChanged(Samples.CLIENT, 6, "@bob:hs", Presence.ONLINE, Optional.empty());

    EventScope server = EventScope.server("!s:hs");
    assertThat(server.matches(inChannel)).isTrue();
    assertThat(server.matches(left)).isTrue();
    assertThat(server.matches(reordered)).isTrue();
    assertThat(server.matches(elsewhere)).isFalse();
    assertThat(server.matches(inConversation)).isFalse();
    assertThat(server.matches(presence)).isFalse();
  }

  @Test
  void channelScopeTakesEventsOfThatRoomOnly() {
    EventScope channel = EventScope.channel("!c:hs");
    assertThat(channel.matches(
            new MessageDeleted(Samples.CLIENT, 1, "!c:hs", Optional.of("!s:hs"), "$1", "@bob:hs")))
        .isTrue();
    assertThat(channel.matches(
            new TypingChanged(Samples.CLIENT, 2, "!c:hs", Optional.of("!s:hs"), List.of("@bob:hs"))))
        .isTrue();
    assertThat(channel.matches(
            new ChannelUpdated(Samples.CLIENT, 3, "!s:hs", Samples.channel("!c:hs", "random"))))
        .isTrue();
    assertThat(channel.matches(new ChannelDeleted(Samples.CLIENT, 4, "!s:hs", "!c:hs", "@o:hs"))).isTrue();
    assertThat(channel.matches(
            new MessageCreated(Samples.CLIENT, 5, "!x:hs", Optional.of("!s:hs"), Samples.message("$5"))))
        .isFalse();
    assertThat(channel.matches(new ServerDeleted(Samples.CLIENT, 6, "!s:hs", "@o:hs"))).isFalse();
    assertThat(channel.matches(
            new ConnectionStateChanged(Samples.CLIENT, 7, ConnectionState.CONNECTED, Optional.empty())))
        .isFalse();
  }

  @Test
  void scopesCompareByValue() {
    assertThat(EventScope.server("!s:hs")).isEqualTo(EventScope.server("!s:hs"));
    assertThat(EventScope.server("!s:hs")).isNotEqualTo(EventScope.channel("!s:hs"));
    assertThat(EventScope.all()).hasToString("EventScope.all()");
  }
}
