package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PowerLevelTemplateTest {

  private static final Namespace NS = new Namespace("io.melo");

  @Test
  void spaceLevelsAreExactlyTheDesignsTemplate() {
    PowerLevelTemplate space = PowerLevelTemplate.space(NS, "@owner:hs");
    assertThat(space.usersDefault()).isZero();
    assertThat(space.eventsDefault()).isZero();
    assertThat(space.stateDefault()).isEqualTo(100);
    assertThat(space.invite()).isZero();
    assertThat(space.kick()).isEqualTo(50);
    assertThat(space.ban()).isEqualTo(50);
    assertThat(space.redact()).isEqualTo(50);
    assertThat(space.events())
        .containsExactly(
            entry("m.room.name", 50L),
            entry("m.room.avatar", 50L),
            entry("m.room.topic", 50L),
            entry("m.space.child", 50L),
            entry("io.melo.channel", 50L),
            entry("io.melo.channel_order", 50L),
            entry("io.melo.channel_deleted", 50L),
            entry("io.melo.server", 100L),
            entry("io.melo.server_deleted", 100L),
            entry("m.room.power_levels", 100L));
    assertThat(space.users()).containsExactly(entry("@owner:hs", 101L));
  }

  @Test
  void theNamespaceNamesTheCustomTypes() {
    PowerLevelTemplate space = PowerLevelTemplate.space(new Namespace("io.haos"), "@owner:hs");
    assertThat(space.events()).containsKeys("io.haos.server", "io.haos.channel_order").doesNotContainKey("io.melo.server");
  }

  @Test
  void aChannelCopiesTheSpaceUsersAndInvitesAtFifty() {
    Map<String, Long> spaceUsers = new LinkedHashMap<>();
    spaceUsers.put("@owner:hs", 101L);
    spaceUsers.put("@mod:hs", 50L);
    spaceUsers.put("@other-client-user:hs", 30L);
    PowerLevelTemplate.Channel channel = PowerLevelTemplate.channel(NS, spaceUsers, "@owner:hs");
    assertThat(channel.initial().invite()).isEqualTo(50);
    assertThat(channel.initial().stateDefault()).isEqualTo(100);
    assertThat(channel.initial().events()).isEqualTo(PowerLevelTemplate.space(NS, "@x:hs").events());
    assertThat(channel.initial().users()).isEqualTo(spaceUsers);
    assertThat(channel.lowerCreatorTo()).isEmpty();
  }

  @Test
  void aModeratorCreatesAtHundredThenLowersItselfToItsSpaceLevel() {
    Map<String, Long> spaceUsers = Map.of("@owner:hs", 101L, "@mod:hs", 50L);
    PowerLevelTemplate.Channel channel = PowerLevelTemplate.channel(NS, spaceUsers, "@mod:hs");
    assertThat(channel.initial().users()).containsEntry("@mod:hs", 100L).containsEntry("@owner:hs", 101L);
    assertThat(channel.lowerCreatorTo()).hasValue(50);
  }

  @Test
  void anAdminAtHundredNeedsNoLoweringStep() {
    PowerLevelTemplate.Channel channel = PowerLevelTemplate.channel(NS, Map.of("@admin:hs", 100L), "@admin:hs");
    assertThat(channel.lowerCreatorTo()).isEmpty();
    assertThat(channel.initial().users()).containsEntry("@admin:hs", 100L);
  }

  @Test
  void theTemplateIsImmutable() {
    PowerLevelTemplate space = PowerLevelTemplate.space(NS, "@owner:hs");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> space.users().put("@x:hs", 100L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theTemplateIsSentAsExactIntegersWithNoOtherFields() {
    String json = PowerLevelTemplate.space(NS, "@owner:hs").toContent().toJson().toJson();
    assertThat(json)
        .contains("\"users\":{\"@owner:hs\":101}")
        .contains("\"state_default\":100")
        .contains("\"invite\":0")
        .contains("\"io.melo.server\":100")
        .doesNotContain("100.0")
        .doesNotContain("notifications");
  }
}
