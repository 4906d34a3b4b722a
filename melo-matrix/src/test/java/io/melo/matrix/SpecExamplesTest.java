package io.melo.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.melo.matrix.auth.LoginRequest;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.json.JsonObject;
import io.melo.matrix.room.CreateRoomRequest;
import io.melo.matrix.room.Direction;
import io.melo.matrix.room.Visibility;
import io.melo.matrix.sync.SyncRequest;
import io.melo.spec.Example;
import io.melo.spec.Operation;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds the Matrix spec's own 200 response examples (or, where it has none, a body generated from
 * the response schema) to the client: every one must decode, and the call must go to the operation
 * the example belongs to.
 */
class SpecExamplesTest extends SpecCheckedTest {

  static final String ROOM = "!room:example.org";
  static final String EVENT = "$event:example.org";

  static Stream<Arguments> operations() {
    JsonObject content = JsonObject.builder().put("body", "x").build();
    return Stream.of(
        op("getVersions", c -> c.versions()),
        op("getWellknown", c -> c.wellKnown()),
        op("getCapabilities", c -> c.capabilities()),
        op("getLoginFlows", c -> c.loginFlows()),
        op("login", c -> c.login(LoginRequest.password("alice", "pw"))),
        op("register", c -> c.register(RegisterRequest.user("alice", "pw"))),
        op("refresh", c -> c.refresh("rt")),
        op("logout", c -> c.logout()),
        op("logout_all", c -> c.logoutAll()),
        op("getTokenOwner", c -> c.whoami()),
        op("createRoom", c -> c.createRoom(CreateRoomRequest.builder().build())),
        op("joinRoom", c -> c.join(ROOM)),
        op("leaveRoom", c -> c.leave(ROOM, null)),
        op("forgetRoom", c -> c.forget(ROOM)),
        op("inviteUser", c -> c.invite(ROOM, "@b:example.org", null)),
        op("kick", c -> c.kick(ROOM, "@b:example.org", null)),
        op("ban", c -> c.ban(ROOM, "@b:example.org", null)),
        op("unban", c -> c.unban(ROOM, "@b:example.org", null)),
        op("getJoinedRooms", c -> c.joinedRooms()),
        op("getMembersByRoom", c -> c.members(ROOM, null, null, null)),
        op("getJoinedMembersByRoom", c -> c.joinedMembers(ROOM)),
        op("getRoomState", c -> c.state(ROOM)),
        op("getRoomStateWithKey", c -> c.stateEvent(ROOM, "m.room.name", "")),
        op("setRoomStateWithKey", c -> c.setState(ROOM, "m.room.name", "", content)),
        op("sendMessage", c -> c.send(ROOM, "m.room.message", content)),
        op("redactEvent", c -> c.redact(ROOM, EVENT, null)),
        op("getOneRoomEvent", c -> c.event(ROOM, EVENT)),
        op("getRoomEvents", c -> c.messages(ROOM, Direction.BACKWARD, null, null, null, null)),
        op("getEventContext", c -> c.context(ROOM, EVENT, null, null)),
        op("getRelatingEvents", c -> c.relations(ROOM, EVENT, null, null, null, null, null)),
        op("getThreadRoots", c -> c.threads(ROOM, null, null, null)),
        op("getSpaceHierarchy", c -> c.hierarchy(ROOM, null, null, null, false)),
        op("getRoomIdByAlias", c -> c.resolveAlias("#a:example.org")),
        op("setRoomAlias", c -> c.createAlias("#a:example.org", ROOM)),
        op("deleteRoomAlias", c -> c.deleteAlias("#a:example.org")),
        op("getLocalAliases", c -> c.roomAliases(ROOM)),
        op("getRoomVisibilityOnDirectory", c -> c.directoryVisibility(ROOM)),
        op("setRoomVisibilityOnDirectory", c -> c.setDirectoryVisibility(ROOM, Visibility.PUBLIC)),
        op("getAccountData", c -> c.accountData("m.direct")),
        op("setAccountData", c -> c.setAccountData("m.direct", content)),
        op("getAccountDataPerRoom", c -> c.roomAccountData(ROOM, "m.tag")),
        op("setAccountDataPerRoom", c -> c.setRoomAccountData(ROOM, "m.tag", content)),
        op("getUserProfile", c -> c.profile(ALICE)),
        op("setTyping", c -> c.typing(ROOM, true, Duration.ofSeconds(5))),
        op("postReceipt", c -> c.receipt(ROOM, "m.read", EVENT, null)),
        op("setReadMarker", c -> c.readMarkers(ROOM, EVENT, null, null)),
        op("getPresence", c -> c.presence(ALICE)),
        op("setPresence", c -> c.setPresence("online", null)),
        op("defineFilter", c -> c.uploadFilter(JsonObject.EMPTY)),
        op("sync", c -> c.sync(SyncRequest.builder().timeout(Duration.ZERO).build())));
  }

  private static Arguments op(String operationId, java.util.function.Function<MatrixClient, MatrixCall<?>> call) {
    return Arguments.of(operationId, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void theSpecsOwnExamplesDecode(String operationId, java.util.function.Function<MatrixClient, MatrixCall<?>> call)
      throws Exception {
    Operation operation = SPEC.operationById(operationId);
    List<Example> examples = operation.responseExamples(200);
    if (examples.isEmpty()) {
      // no example in the spec: a body generated from the schema (required fields only)
      examples = operation.sampleResponse(200).map(List::of).orElse(List.of());
    }
    assumeFalse(examples.isEmpty(), "the spec has no 200 example or schema sample for " + operationId);
    for (Example example : examples) {
      ok(example.json());
      Supplier<MatrixCall<?>> supplier = () -> call.apply(client);
      supplier.get().execute(); // must decode without exception
      var request = take();
      assertThat(SPEC.operation(request.getMethod(), request.getUrl().encodedPath()).operationId())
          .isIn(operationId, "inviteBy3PID"); // melo-spec shares the invite path between both operations
    }
  }
}
