package io.melo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Conversation;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.Message;
import io.melo.core.RuleViolationException;
import io.melo.core.Role;
import io.melo.core.Server;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberKicked;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.RoleChanged;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.UserInteractiveAuthException;
import io.melo.matrix.auth.RegisterRequest;
import io.melo.matrix.auth.UserInteractiveAuth;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The main flows against a real homeserver, using nothing but Melo's API (no inspection of the
 * server's state). Runs only when {@code MELO_IT_HOMESERVER} holds the base URL of a homeserver
 * with open registration ({@code m.login.dummy}), for example
 * {@code MELO_IT_HOMESERVER=http://localhost:8008 mvn -pl melo-core -am verify}. New users with
 * random names are registered on each run.
 */
@EnabledIfEnvironmentVariable(named = "MELO_IT_HOMESERVER", matches = ".+")
class RealHomeserverTest {

  private static final String URL = System.getenv("MELO_IT_HOMESERVER");
  private final List<MeloClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(MeloClient::close);
  }

  /** Registers a fresh user (UIA with m.login.dummy) and logs them in through Melo. */
  private MeloClient newUser(String prefix) {
    String localpart = prefix + "_" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    String password = "pw-" + Long.toHexString(new SecureRandom().nextLong());
    try (MatrixClient matrix = MatrixClient.create(MatrixConfig.builder(URL).build())) {
      RegisterRequest request = RegisterRequest.user(localpart, password).withInhibitLogin(true);
      try {
        matrix.register(request).execute();
      } catch (UserInteractiveAuthException uia) {
        matrix.register(request.withAuth(UserInteractiveAuth.dummy(uia.session()))).execute();
      }
    }
    MeloConfig config = MeloConfig.builder(URL).build();
    MeloClient client = MeloClient.login(config, localpart, password).execute();
    clients.add(client);
    return client;
  }

  @Test
  void serversChannelsMessagesRolesAndConversations() {
    MeloClient owner = newUser("melo_owner");
    MeloClient guest = newUser("melo_guest");
    Recorder ownerEvents = new Recorder(owner);
    Recorder guestEvents = new Recorder(guest);

    Server server = owner.createServer("Melo IT").execute();
    assertThat(owner.servers().execute()).extracting(Server::id).contains(server.id());
    Server joined = guest.joinServer(server.invite().get()).execute();
    assertThat(joined.id()).isEqualTo(server.id());
    ownerEvents.await(MemberJoined.class, e -> e.userId().equals(guest.userId()));

    assertThatThrownBy(() -> guest.createChannel(server.id(), "nope", ChannelType.TEXT).execute())
        .isInstanceOf(RuleViolationException.class);
    Channel design = owner.createChannel(server.id(), "design", ChannelType.TEXT).execute();
    assertThat(guest.channels(server.id()).execute()).extracting(Channel::id).contains(design.id());

    Message hello = owner.sendText(design.id(), "hello").execute();
    assertThat(guestEvents.await(MessageCreated.class, e -> e.message().id().equals(hello.id())).message().body())
        .isEqualTo("hello");
    owner.editMessage(design.id(), hello.id(), "hello, world").execute();
    assertThat(guestEvents.await(MessageEdited.class).message().body()).isEqualTo("hello, world");
    guest.react(design.id(), hello.id(), "👍").execute();
    assertThat(ownerEvents.await(ReactionAdded.class).key()).isEqualTo("👍");

    owner.changeRole(server.id(), guest.userId(), Role.MODERATOR).execute();
    assertThat(guestEvents.await(RoleChanged.class, e -> e.userId().equals(guest.userId())).newRole())
        .isEqualTo(Role.MODERATOR);
    Channel theirs = guest.createChannel(server.id(), "theirs", ChannelType.TEXT).execute();
    assertThat(owner.channels(server.id()).execute()).extracting(Channel::id).contains(theirs.id());

    Conversation dm = owner.conversationWith(guest.userId()).execute();
    assertThat(guest.conversationWith(owner.userId()).execute().id()).isEqualTo(dm.id());

    owner.kick(server.id(), guest.userId(), "done").execute();
    assertThat(ownerEvents.await(MemberKicked.class).userId()).isEqualTo(guest.userId());
    owner.deleteServer(server.id()).execute();
    assertThat(owner.servers().execute()).extracting(Server::id).doesNotContain(server.id());
  }
}
