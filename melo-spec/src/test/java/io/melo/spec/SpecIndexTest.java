package io.melo.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpecIndexTest {
  private final Spec spec = Spec.load();

  @Test
  void indexesEveryOperationOfTheClientServerApi() {
    List<Operation> ops = spec.operations();
    assertThat(ops).hasSize(166);
    Map<String, Long> byMethod = ops.stream().collect(Collectors.groupingBy(Operation::method, Collectors.counting()));
    assertThat(byMethod).containsExactlyInAnyOrderEntriesOf(Map.of("GET", 81L, "POST", 52L, "PUT", 24L, "DELETE", 9L));
    assertThat(ops.stream().filter(Operation::deprecated)).hasSize(9);
    Set<String> ids = new HashSet<>();
    for (Operation op : ops) {
      assertThat(op.operationId()).isNotBlank();
      assertThat(ids.add(op.operationId())).as("unique %s", op.operationId()).isTrue();
      assertThat(spec.operationById(op.operationId())).isSameAs(op);
    }
  }

  @Test
  void everyOperationIsFoundFromAConcretePathBuiltFromItsTemplate() {
    for (Operation op : spec.operations()) {
      String concrete = op.path().replaceAll("\\{(\\w+)\\}", "p_$1");
      OperationMatch match = spec.match(op.method(), concrete).orElseThrow(() -> new AssertionError(op.toString()));
      assertThat(match.operation().path()).as(concrete).isEqualTo(op.path());
      assertThat(spec.operationsFor(op.method(), concrete)).as(concrete).contains(op);
      match.pathParameters().forEach((k, v) -> assertThat(v).isEqualTo("p_" + k));
    }
  }

  @Test
  void requestsTheSpecDescribesTwiceHaveBothOperations() {
    assertThat(spec.operationsFor("POST", "/_matrix/client/v3/rooms/!r:x/invite")).extracting(Operation::operationId)
        .containsExactly("inviteUser", "inviteBy3PID");
    assertThat(spec.operationsFor("GET", "/_matrix/client/v3/events?from=s1")).extracting(Operation::operationId)
        .containsExactly("getEvents", "peekEvents");
    assertThat(spec.operationById("inviteUser").path()).isEqualTo("/_matrix/client/v3/rooms/{roomId}/invite");
    long distinct = spec.operations().stream().map(o -> o.method() + " " + o.path()).distinct().count();
    assertThat(distinct).isEqualTo(164);
    String target = "/_matrix/client/v3/rooms/%21r%3Ax/invite";
    assertThat(spec.assertValidRequest("POST", target, "{\"user_id\":\"@bob:x\",\"reason\":\"hi\"}")
        .operationId()).isEqualTo("inviteUser");
    assertThat(spec.assertValidRequest("POST", target,
        "{\"id_server\":\"id.example\",\"id_access_token\":\"t\",\"medium\":\"email\",\"address\":\"a@b.c\"}")
        .operationId()).isEqualTo("inviteBy3PID");
    assertThat(spec.validateRequest("POST", target, "{}")).isNotEmpty();
    assertThatThrownBy(() -> spec.assertValidRequest("POST", target, "{\"user_id\":5}"))
        .isInstanceOf(SpecViolationsError.class).hasMessageContaining("(inviteUser)").hasMessageContaining("/user_id");
  }

  @Test
  void sendWithEncodedRoomIdFindsSendMessageAndDecodesParameters() {
    OperationMatch m = spec.match("put",
        "/_matrix/client/v3/rooms/%21abc%3Aexample.org/send/m.room.message/t%2F1?access_token=x").orElseThrow();
    assertThat(m.operation().operationId()).isEqualTo("sendMessage");
    assertThat(m.pathParameters()).containsExactly(
        Map.entry("roomId", "!abc:example.org"), Map.entry("eventType", "m.room.message"), Map.entry("txnId", "t/1"));
    assertThat(m.validatePathParameters()).isEmpty();
    assertThat(spec.operation("PUT", "/_matrix/client/v3/rooms/!abc:example.org/send/m.room.message/t1"))
        .isSameAs(m.operation());
  }

  @Test
  void pathParameterSchemasAreChecked() {
    OperationMatch m = spec.match("PUT", "/_matrix/client/v3/rooms/abc/send/m.room.message/t1").orElseThrow();
    assertThat(m.validatePathParameters()).singleElement()
        .satisfies(v -> assertThat(v.toString()).contains("{roomId}").contains("^!"));
  }

  @Test
  void emptyStateKeyMatchesWithAndWithoutTrailingSlash() {
    OperationMatch withSlash = spec.match("PUT", "/_matrix/client/v3/rooms/!r:x/state/m.room.name/").orElseThrow();
    assertThat(withSlash.operation().operationId()).isEqualTo("setRoomStateWithKey");
    assertThat(withSlash.pathParameters()).containsEntry("stateKey", "");
    OperationMatch without = spec.match("GET", "/_matrix/client/v3/rooms/!r:x/state/m.room.name").orElseThrow();
    assertThat(without.operation().operationId()).isEqualTo("getRoomStateWithKey");
    assertThat(without.pathParameters()).containsEntry("stateKey", "").containsEntry("eventType", "m.room.name");
    OperationMatch userKey = spec.match("GET", "/_matrix/client/v3/rooms/!r:x/state/m.room.member/%40u%3Ax")
        .orElseThrow();
    assertThat(userKey.pathParameters()).containsEntry("stateKey", "@u:x");
    assertThat(spec.operation("GET", "/_matrix/client/v3/rooms/!r:x/state").operationId()).isEqualTo("getRoomState");
  }

  @Test
  void versionPrefixesPickTheRightDocument() {
    assertThat(spec.operation("GET", "/_matrix/client/v1/rooms/!r:x/relations/%24e").document())
        .isEqualTo("client-server/relations.json");
    assertThat(spec.operation("GET", "/_matrix/client/v1/media/download/example.org/abc").document())
        .isEqualTo("client-server/authed-content-repo.json");
    assertThat(spec.operation("GET", "/_matrix/media/v3/download/example.org/abc").document())
        .isEqualTo("client-server/content-repo.json");
    assertThat(spec.operation("GET", "/_matrix/media/r0/download/example.org/abc").document())
        .isEqualTo("client-server/content-repo.json");
    assertThat(spec.operation("GET", "/_matrix/client/versions").operationId()).isEqualTo("getVersions");
    assertThat(spec.operation("GET", "/.well-known/matrix/client").document()).isEqualTo("client-server/wellknown.json");
    assertThat(spec.operation("GET", "https://hs.example:8448/_matrix/client/r0/sync?since=s1#x").operationId())
        .isEqualTo("sync");
    assertThat(spec.findOperation("GET", "/_matrix/client/v1/sync")).isEmpty();
    assertThat(spec.findOperation("POST", "/_matrix/client/v3/sync")).isEmpty();
  }

  @Test
  void literalSegmentsBeatParameters() {
    // /user/{userId}/filter (POST) vs /user/{userId}/filter/{filterId} (GET): different methods and lengths,
    // and /rooms/{roomId}/state vs /rooms/{roomId}/{anything} does not exist: check a real pair of overlaps.
    Operation joined = spec.operation("GET", "/_matrix/client/v3/rooms/!r:x/joined_members");
    assertThat(joined.operationId()).isEqualTo("getJoinedMembersByRoom");
    assertThat(spec.operation("POST", "/_matrix/client/v3/join/%23alias%3Ax").operationId())
        .isEqualTo("joinRoom");
    assertThat(spec.operation("POST", "/_matrix/client/v3/rooms/!r:x/join").operationId())
        .isEqualTo("joinRoomById");
  }

  @Test
  void unknownPathIsATestFailureThatListsSimilarOperations() {
    assertThatThrownBy(() -> spec.operation("GET", "/_matrix/client/v3/rooms/!r:x/nonsense"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no operation in the Matrix spec for GET /_matrix/client/v3/rooms/!r:x/nonsense")
        .hasMessageContaining("/_matrix/client/v3/rooms/{roomId}/members");
    assertThatThrownBy(() -> spec.match("GET", "/_matrix/client/v3/rooms/%zz/state"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed percent-escape");
    assertThatThrownBy(() -> spec.operationById("noSuchThing")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noSuchThing");
  }

  @Test
  void locateWalksUpFromTheWorkingDirectoryAndFailsClearly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws java.io.IOException {
    java.nio.file.Path spec = java.nio.file.Files.createDirectories(tmp.resolve("shared/spec/json"));
    java.nio.file.Files.writeString(spec.getParent().resolve("README.md"), "spec");
    java.nio.file.Path module = java.nio.file.Files.createDirectories(tmp.resolve("wt-x/melo-matrix"));
    assertThat(Spec.locateFrom(module)).isEqualTo(spec.getParent());
    java.nio.file.Path elsewhere = java.nio.file.Files.createDirectories(tmp.resolve("elsewhere"));
    java.nio.file.Files.delete(spec.getParent().resolve("README.md"));
    for (java.nio.file.Path d = tmp.getParent(); d != null; d = d.getParent()) {
      // A spec above the temp directory (a CI layout with shared/ next to /tmp's children) would be found.
      org.junit.jupiter.api.Assumptions.assumeFalse(
          java.nio.file.Files.exists(d.resolve("shared/spec/README.md")), "a spec exists above " + tmp);
    }
    assertThatThrownBy(() -> Spec.locateFrom(elsewhere)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Matrix spec data not found: no shared/spec/README.md (with json/) in " + elsewhere)
        .hasMessageContaining("MELO_SPEC_DIR");
  }

  @Test
  void locateHonoursTheOverrideAndFailsClearly() {
    String previous = System.getProperty(Spec.SPEC_DIR_PROPERTY);
    try {
      System.setProperty(Spec.SPEC_DIR_PROPERTY, spec.directory().toString());
      assertThat(Spec.locate()).isEqualTo(spec.directory());
      System.setProperty(Spec.SPEC_DIR_PROPERTY, "/nonexistent/spec");
      assertThatThrownBy(Spec::locate).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("MELO_SPEC_DIR=/nonexistent/spec is not a Matrix spec directory");
    } finally {
      if (previous == null) {
        System.clearProperty(Spec.SPEC_DIR_PROPERTY);
      } else {
        System.setProperty(Spec.SPEC_DIR_PROPERTY, previous);
      }
    }
  }
}
