package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HomeserverExtension} in its default mode: the fake, exactly as {@link FakeHomeserverExtension}. */
class HomeserverExtensionTest {

  @RegisterExtension final HomeserverExtension hs = new HomeserverExtension();

  @Test
  @FakeOnly("checks the fake's own users and internals")
  void withoutTheVariableItIsAFreshFakePerTestWithItsInternals() {
    assumeThat(HomeserverExtension.target()).as(HomeserverExtension.VARIABLE).isNull();
    assertThat(hs.isReal()).isFalse();

    TestUser alice = hs.register("alice");
    String roomId = alice.createRoom();
    alice.setAccountData("org.example.setting", Map.of("on", true));

    assertThat(alice.userId()).isEqualTo("@alice:" + hs.serverName());
    assertThat(hs.baseUrl()).isEqualTo(hs.fake().baseUrl());
    assertThat(hs.room(roomId).membership(alice.userId())).isEqualTo("join");
    assertThat(hs.requests()).as("the fake's own users act without HTTP").isEmpty();
    assertThat(hs.faults().pending()).isEmpty();
    assertThat(alice.accountData("org.example.setting")).containsEntry("on", true);
  }
}
