package io.melo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void rolesReadFromPowerLevels() {
    assertThat(Role.fromPowerLevel(101)).isEqualTo(Role.ADMIN);
    assertThat(Role.fromPowerLevel(100)).isEqualTo(Role.ADMIN);
    assertThat(Role.fromPowerLevel(99)).isEqualTo(Role.MODERATOR);
    assertThat(Role.fromPowerLevel(50)).isEqualTo(Role.MODERATOR);
    assertThat(Role.fromPowerLevel(49)).isEqualTo(Role.GUEST);
    assertThat(Role.fromPowerLevel(0)).isEqualTo(Role.GUEST);
    assertThat(Role.fromPowerLevel(-10)).isEqualTo(Role.GUEST);
    assertThat(Role.ADMIN.powerLevel()).isEqualTo(100);
    assertThat(Role.MODERATOR.powerLevel()).isEqualTo(50);
    assertThat(Role.GUEST.powerLevel()).isZero();
    for (Role role : Role.values()) {
      assertThat(Role.fromPowerLevel(role.powerLevel())).isEqualTo(role);
    }
    assertThat(Role.ADMIN.isAtLeast(Role.MODERATOR)).isTrue();
    assertThat(Role.GUEST.isAtLeast(Role.MODERATOR)).isFalse();
  }

  @Test
  void unknownWireValuesNeverThrow() {
    assertThat(ChannelType.fromWireName("AUDIO")).hasValue(ChannelType.AUDIO);
    assertThat(ChannelType.fromWireName("STAGE")).isEmpty();
    assertThat(ChannelType.fromWireName("audio")).isEmpty();
    assertThat(MessageKind.fromMsgtype("m.image")).isEqualTo(MessageKind.IMAGE);
    assertThat(MessageKind.fromMsgtype("org.example.poll")).isEqualTo(MessageKind.OTHER);
    assertThat(MessageKind.fromMsgtype("")).isEqualTo(MessageKind.OTHER);
    assertThat(MessageKind.IMAGE.isAttachment()).isTrue();
    assertThat(MessageKind.TEXT.isAttachment()).isFalse();
    assertThat(Presence.fromWireName("unavailable")).isEqualTo(Presence.UNAVAILABLE);
    assertThat(Presence.fromWireName("busy")).isEqualTo(Presence.UNKNOWN);
  }

  @Test
  void valuesRejectMalformedIdsByName() {
    assertThatThrownBy(() -> new Conversation("room", "@bob:hs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be a room id like !abc:example.org, was: room");
    assertThatThrownBy(() -> new Conversation("!r:hs", "bob"))
        .hasMessage("otherUserId must be a user id like @alice:example.org, was: bob");
    assertThatThrownBy(() -> Profile.of(null)).isInstanceOf(NullPointerException.class).hasMessage("userId");
    assertThatThrownBy(() -> new Attachment("mxc://hs/a", "a", Optional.empty(), OptionalLong.of(-1)))
        .hasMessage("size must not be negative, was: -1");
    assertThatThrownBy(() -> new UserPresence("bob", Presence.ONLINE, Optional.empty(), Optional.empty(), Optional.empty()))
        .hasMessage("userId must be a user id like @alice:example.org, was: bob");
    assertThatThrownBy(() -> new UserPresence("@bob:hs", Presence.ONLINE, Optional.of(java.time.Duration.ofMillis(-1)),
        Optional.empty(), Optional.empty()))
        .hasMessage("lastActiveAgo must not be negative, was: PT-0.001S");
  }

  @Test
  void listsAreCopied() {
    List<String> senders = new ArrayList<>(List.of("@a:hs"));
    Reaction reaction = new Reaction("👍", senders);
    senders.add("@b:hs");
    assertThat(reaction.count()).isEqualTo(1);
    assertThat(reaction.includes("@a:hs")).isTrue();
    assertThat(reaction.includes("@b:hs")).isFalse();
  }

  @Test
  void profilesShowANameOrTheId() {
    assertThat(Profile.of("@bob:hs").displayNameOrId()).isEqualTo("@bob:hs");
    assertThat(new Profile("@bob:hs", Optional.of("  "), Optional.empty()).displayNameOrId()).isEqualTo("@bob:hs");
    assertThat(new Profile("@bob:hs", Optional.of("Bob"), Optional.empty()).displayNameOrId()).isEqualTo("Bob");
  }

  @Test
  void serversAndChannelsAnswerDomainQuestions() {
    Server server = new Server("!s:hs", "HQ", Optional.empty(), Optional.empty(), "@o:hs", Optional.empty(), Instant.EPOCH);
    assertThat(server.isOwnedBy("@o:hs")).isTrue();
    assertThat(server.isOwnedBy("@x:hs")).isFalse();
    Channel general = new Channel("!g:hs", "!s:hs", "general", Optional.empty(), ChannelType.TEXT, "TEXT", "@o:hs", Instant.EPOCH);
    assertThat(general.isGeneral()).isTrue();
    Member member = new Member("!s:hs", Profile.of("@o:hs"), Role.ADMIN, 101, true);
    assertThat(member.userId()).isEqualTo("@o:hs");
  }
}
