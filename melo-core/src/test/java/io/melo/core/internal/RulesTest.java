package io.melo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Role;
import io.melo.core.RuleViolationException;
import io.melo.core.RuleViolationException.Rule;
import io.melo.core.testing.Samples;
import org.junit.jupiter.api.Test;

class RulesTest {

  @Test
  void channelManagementNeedsModerator() {
    assertThatThrownBy(() -> Rules.requireChannelManager("renaming a channel", "@bob:hs", 0))
        .isInstanceOfSatisfying(
            RuleViolationException.class,
            e -> {
              assertThat(e).hasMessage("renaming a channel needs MODERATOR; @bob:hs is GUEST");
              assertThat(e.rule()).isEqualTo(Rule.ROLE_REQUIRED);
              assertThat(e.requiredRole()).contains(Role.MODERATOR);
              assertThat(e.actualRole()).contains(Role.GUEST);
              assertThat(e.userId()).isEqualTo("@bob:hs");
              assertThat(e.refusedByHomeserver()).isFalse();
            });
    assertThatThrownBy(() -> Rules.requireChannelManager("creating a channel", "@bob:hs", 49))
        .isInstanceOf(RuleViolationException.class);
    assertThatCode(() -> Rules.requireChannelManager("creating a channel", "@mod:hs", 50)).doesNotThrowAnyException();
    assertThatCode(() -> Rules.requireChannelManager("creating a channel", "@owner:hs", 101)).doesNotThrowAnyException();
  }

  @Test
  void regeneratingAnInviteIsForUsersOfTheOwnersHomeserver() {
    assertThatCode(() -> Rules.requireOwnersHomeserver("regenerating the invite code", "@admin:hs", "@owner:hs"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Rules.requireOwnersHomeserver("regenerating the invite code", "@admin:other.org", "@owner:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> {
          assertThat(e.rule()).isEqualTo(Rule.OWNERS_HOMESERVER_ONLY);
          assertThat(e).hasMessage("regenerating the invite code is only for users of the owner's homeserver hs, "
              + "where its alias lives; @admin:other.org is on other.org");
        });
    // The server name is everything after the first colon, port included.
    assertThatThrownBy(() -> Rules.requireOwnersHomeserver("regenerating", "@a:hs:8448", "@o:hs"))
        .isInstanceOf(RuleViolationException.class);
  }

  @Test
  void serverManagementNeedsAdmin() {
    assertThatThrownBy(() -> Rules.requireAdmin("deleting the server", "@mod:hs", 50))
        .hasMessage("deleting the server needs ADMIN; @mod:hs is MODERATOR");
    assertThatCode(() -> Rules.requireAdmin("regenerating the invite code", "@admin:hs", 100)).doesNotThrowAnyException();
  }

  @Test
  void onlyTheOwnerChangesRolesAndNeverTheirOwn() {
    assertThatThrownBy(() -> Rules.requireCanChangeRole("@admin:hs", "@owner:hs", "@bob:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY))
        .hasMessageContaining("@owner:hs")
        .hasMessageContaining("@admin:hs");
    assertThatThrownBy(() -> Rules.requireCanChangeRole("@owner:hs", "@owner:hs", "@owner:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NOT_ON_SELF));
    assertThatCode(() -> Rules.requireCanChangeRole("@owner:hs", "@owner:hs", "@bob:hs")).doesNotThrowAnyException();
  }

  @Test
  void onlyTheOwnerRemovesMembersAndNeverThemself() {
    assertThatThrownBy(() -> Rules.requireCanRemoveMember("kicking a member", "@mod:hs", "@owner:hs", "@bob:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_ONLY));
    assertThatThrownBy(() -> Rules.requireCanRemoveMember("kicking a member", "@owner:hs", "@owner:hs", "@owner:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NOT_ON_SELF))
        .hasMessage("kicking a member: @owner:hs cannot do this to themself");
    assertThatCode(() -> Rules.requireCanRemoveMember("banning a member", "@owner:hs", "@owner:hs", "@bob:hs"))
        .doesNotThrowAnyException();
  }

  @Test
  void generalIsReservedInAnyCaseAndBlankNamesAreAppBugs() {
    for (String name : new String[] {"general", "General", " GENERAL "}) {
      assertThatThrownBy(() -> Rules.requireChannelName(name, "@mod:hs"))
          .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
    }
    assertThatThrownBy(() -> Rules.requireChannelName("  ", "@mod:hs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channel name must not be blank");
    assertThat(Rules.requireChannelName("  design ", "@mod:hs")).isEqualTo("design");
    assertThat(Rules.requireChannelName("general-chat", "@mod:hs")).isEqualTo("general-chat");
  }

  @Test
  void theGeneralChannelIsNeitherRenamedNorDeleted() {
    assertThatThrownBy(() -> Rules.requireNotGeneral("deleting a channel", Samples.channel("!g:hs", "general"), "@owner:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_RESERVED));
    assertThatCode(() -> Rules.requireNotGeneral("deleting a channel", Samples.channel("!r:hs", "random"), "@owner:hs"))
        .doesNotThrowAnyException();
  }

  @Test
  void editOnlyByTheAuthor() {
    assertThatThrownBy(() -> Rules.requireCanEdit("@owner:hs", "@bob:hs"))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.AUTHOR_ONLY))
        .hasMessage("editing a message is only for its author @bob:hs; @owner:hs is not");
    assertThatCode(() -> Rules.requireCanEdit("@bob:hs", "@bob:hs")).doesNotThrowAnyException();
  }

  @Test
  void deleteByTheAuthorOrAModerator() {
    assertThatCode(() -> Rules.requireCanDelete("@bob:hs", "@bob:hs", 0)).doesNotThrowAnyException();
    assertThatCode(() -> Rules.requireCanDelete("@mod:hs", "@bob:hs", 50)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Rules.requireCanDelete("@carol:hs", "@bob:hs", 0))
        .hasMessage("deleting another user's message needs MODERATOR; @carol:hs is GUEST");
  }

  @Test
  void theOwnerCannotLeaveUntilTheServerIsDeleted() {
    assertThatThrownBy(() -> Rules.requireCanLeave("@owner:hs", "@owner:hs", false))
        .isInstanceOfSatisfying(RuleViolationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.OWNER_CANNOT_LEAVE));
    assertThatCode(() -> Rules.requireCanLeave("@bob:hs", "@owner:hs", false)).doesNotThrowAnyException();
    assertThatCode(() -> Rules.requireCanLeave("@owner:hs", "@owner:hs", true)).doesNotThrowAnyException();
  }
}
