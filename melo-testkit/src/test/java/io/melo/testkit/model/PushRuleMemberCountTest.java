package io.melo.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code room_member_count}'s {@code is}: {@code (==|<=|>=|<|>)?[0-9]{1,9}}, anything else never matches. */
class PushRuleMemberCountTest {

  @Test
  void comparesWithEveryOperator() {
    assertThat(PushRuleEvaluator.memberCountMatches("2", 2)).isTrue();
    assertThat(PushRuleEvaluator.memberCountMatches("2", 3)).isFalse();
    assertThat(PushRuleEvaluator.memberCountMatches("==2", 2)).isTrue();
    assertThat(PushRuleEvaluator.memberCountMatches("==2", 1)).isFalse();
    assertThat(PushRuleEvaluator.memberCountMatches("<3", 2)).isTrue();
    assertThat(PushRuleEvaluator.memberCountMatches("<3", 3)).isFalse();
    assertThat(PushRuleEvaluator.memberCountMatches("<=3", 3)).isTrue();
    assertThat(PushRuleEvaluator.memberCountMatches("<=3", 4)).isFalse();
    assertThat(PushRuleEvaluator.memberCountMatches(">3", 4)).isTrue();
    assertThat(PushRuleEvaluator.memberCountMatches(">3", 3)).isFalse();
    assertThat(PushRuleEvaluator.memberCountMatches(">=3", 3)).isTrue();
    assertThat(PushRuleEvaluator.memberCountMatches(">=3", 2)).isFalse();
    assertThat(PushRuleEvaluator.memberCountMatches("999999999", 999_999_999L)).isTrue();
  }

  @Test
  void malformedValuesNeverMatch() {
    for (String bad : new String[] {"", "=2", "<", ">=", "2a", " 2", "+2", "-1", "1234567890", "=<2", "<<2",
        "\u0662"}) {
      for (long count : new long[] {0, 1, 2, 1_234_567_890L}) {
        assertThat(PushRuleEvaluator.memberCountMatches(bad, count)).as(bad + " for " + count).isFalse();
      }
    }
  }
}
