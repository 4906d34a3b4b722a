package io.melo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InviteCodeTest {

  @Test
  void aCodeIs22Base64UrlCharactersFrom16RandomBytes() {
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      InviteCode invite = InviteCode.generate("example.org");
      assertThat(invite.code()).hasSize(22).matches("[A-Za-z0-9_-]{22}");
      assertThat(java.util.Base64.getUrlDecoder().decode(invite.code())).hasSize(16);
      codes.add(invite.code());
    }
    assertThat(codes).hasSize(200);
  }

  @Test
  void aSeededSourceGivesARepeatableCode() throws Exception {
    SecureRandom a = SecureRandom.getInstance("SHA1PRNG");
    a.setSeed(42);
    SecureRandom b = SecureRandom.getInstance("SHA1PRNG");
    b.setSeed(42);
    assertThat(InviteCode.generate(a, "hs")).isEqualTo(InviteCode.generate(b, "hs"));
  }

  @Test
  void theAliasCarriesNamespaceCodeAndServer() {
    InviteCode invite = new InviteCode("AAAAAAAAAAAAAAAAAAAAAA", "example.org:8448");
    assertThat(invite.alias("io.melo")).isEqualTo("#io.melo.invite.AAAAAAAAAAAAAAAAAAAAAA:example.org:8448");
    assertThat(invite.alias("io.haos")).isEqualTo("#io.haos.invite.AAAAAAAAAAAAAAAAAAAAAA:example.org:8448");
    assertThat(invite.localpart("io.melo")).isEqualTo("io.melo.invite.AAAAAAAAAAAAAAAAAAAAAA");
  }

  @Test
  void aSharedInviteParsesFromTheAliasOrAMatrixToLink() {
    InviteCode invite = InviteCode.generate("example.org");
    assertThat(InviteCode.parse(invite.alias("io.melo"), "io.melo")).isEqualTo(invite);
    assertThat(InviteCode.parse("  " + invite.alias("io.melo") + "\n", "io.melo")).isEqualTo(invite);
    assertThat(InviteCode.parse("https://matrix.to/#/%23io.melo.invite." + invite.code() + "%3Aexample.org", "io.melo"))
        .isEqualTo(invite);
    assertThat(InviteCode.parse("https://matrix.to/#/#io.melo.invite." + invite.code() + ":example.org?via=x", "io.melo"))
        .isEqualTo(invite);
    InviteCode ipv6 = new InviteCode(invite.code(), "[::1]:8008");
    assertThat(InviteCode.parse(ipv6.alias("io.melo"), "io.melo")).isEqualTo(ipv6);
  }

  @Test
  void badInvitesAreRefusedByName() {
    assertThatThrownBy(() -> InviteCode.parse("#io.haos.invite.AAAAAAAAAAAAAAAAAAAAAA:hs", "io.melo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invite must look like #io.melo.invite.<code>:<server>, was: #io.haos.invite.AAAAAAAAAAAAAAAAAAAAAA:hs");
    assertThatThrownBy(() -> InviteCode.parse("#io.melo.invite.short:hs", "io.melo"))
        .hasMessage("invite code must be 22 characters of A-Z a-z 0-9 _ -, was: short");
    assertThatThrownBy(() -> InviteCode.parse("#io.melo.invite.AAAAAAAAAAAAAAAAAAAAAA", "io.melo"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InviteCode("AAAAAAAAAAAAAAAAAAAAAA", "bad host/x"))
        .hasMessage("server must be a Matrix server name like example.org, was: bad host/x");
    assertThatThrownBy(() -> new InviteCode("AAAAAAAAAAAAAAAAAAAA+/", "hs")).isInstanceOf(IllegalArgumentException.class);
  }
}
