package io.melo.examples;

import io.melo.core.Channel;
import io.melo.core.Conversation;
import io.melo.core.InviteCode;
import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.MeloException;
import io.melo.core.Member;
import io.melo.core.Message;
import io.melo.core.Reaction;
import io.melo.core.Server;
import io.melo.core.event.ChannelCreated;
import io.melo.core.event.ChannelDeleted;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.InvitedToServer;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListenerAdapter;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MemberKicked;
import io.melo.core.event.MemberLeft;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageDeleted;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.ReactionAdded;
import io.melo.core.event.ReactionRemoved;
import io.melo.core.event.RoleChanged;
import io.melo.core.event.ServerDeleted;
import io.melo.core.event.ServerUpdated;
import io.melo.core.event.Subscription;
import io.melo.core.event.TypingChanged;
import io.melo.testkit.FakeHomeserver;
import io.melo.testkit.TestUser;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * An interactive chat client for a plain terminal, on melo-core: list servers and channels, join
 * with an invite, switch channels, send, reply, edit, delete and react, open direct
 * conversations; messages, edits, reactions, typing and members of others appear live while you
 * type. Type {@code /help} for the commands.
 *
 * <p>It reads commands, one a line, from any {@link Reader} and writes to any
 * {@link PrintStream}, so tests drive it like a person would. Commands run on the reading thread
 * with Melo's blocking calls; live events are printed from Melo's event thread, each as one whole
 * line. Every message shown gets a number ({@code [3]}) that {@code /edit}, {@code /delete},
 * {@code /react} and {@code /reply} refer to.
 *
 * <p>Run it with {@code --embedded} to get a FakeHomeserver with a scripted second user, bob, who
 * owns a server, welcomes you, answers your messages and reacts to them; or log in to a real
 * homeserver with {@code --homeserver URL --user ID [--password P]} (without {@code --password}
 * it asks for it on the terminal).
 */
public final class ChatConsole {

  /** The command list printed by {@code /help}. */
  public static final String HELP = String.join("\n",
      "commands:",
      "  /servers                 list your servers",
      "  /server <n|name>         go to a server (its #general channel)",
      "  /channels                list the channels of the current server",
      "  /switch <n|name>         go to a channel of the current server",
      "  /join <invite>           join a server with its invite (#<ns>.invite.<code>:<server>)",
      "  /invite                  show the current server's invite",
      "  /newserver <name>        create a server (you own it)",
      "  /newchannel <name>       create a text channel in the current server",
      "  /members                 list the members of the current server",
      "  /dm <@user|user>         open the direct conversation with a user and go there",
      "  /dms                     list your direct conversations",
      "  /history                 show the latest messages here again",
      "  <text>                   send a message here",
      "  /reply <n> <text>        reply to message n",
      "  /edit <n> <text>         replace the text of your message n",
      "  /delete <n>              delete message n",
      "  /react <n> <emoji>       react to message n",
      "  /typing                  tell the others here you are typing",
      "  /help                    this list",
      "  /quit                    leave");

  private static final int HISTORY = 10;

  private final MeloClient client;
  private final BufferedReader in;
  private final PrintStream out;
  private final String namespace;
  private final EventText text = new EventText();
  private final Object lock = new Object();
  private final Map<String, Integer> numbers = new HashMap<>();
  private final List<MessageRef> refs = new ArrayList<>();
  private volatile String serverId;
  private volatile String roomId;
  private volatile ExecutorService lookups;

  private record MessageRef(String roomId, String messageId) {}

  /**
   * A console for a logged-in client, reading commands from {@code in} and writing to
   * {@code out}. It does not close the client.
   *
   * @param client the logged-in user
   * @param in where commands come from, one a line
   * @param out where messages, events and answers go
   */
  public ChatConsole(MeloClient client, Reader in, PrintStream out) {
    this.client = Objects.requireNonNull(client, "client");
    Objects.requireNonNull(in, "in");
    this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
    this.out = Objects.requireNonNull(out, "out");
    this.namespace = client.config().namespace();
  }

  // ------------------------------------------------------------------ main

  /**
   * Runs the console on this terminal; see the class description for the options.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out, System.err));
  }

  /**
   * Parses the command line, logs in (or starts the embedded fake with its scripted peer), and
   * runs the console until {@code /quit} or the end of the input.
   *
   * @param args the command line
   * @param in the person's input
   * @param out the console's output
   * @param err where a bad command line or a failed login is reported
   * @return 0 after {@code /quit} or the end of input, 1 when logging in failed, 2 for a bad
   *     command line
   */
  public static int run(String[] args, Reader in, PrintStream out, PrintStream err) {
    String homeserver = null;
    String user = null;
    String password = null;
    boolean embedded = false;
    Duration peerDelay = Duration.ofMillis(700);
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--embedded":
            embedded = true;
            break;
          case "--homeserver":
            homeserver = value(args, ++i, "--homeserver");
            break;
          case "--user":
            user = value(args, ++i, "--user");
            break;
          case "--password":
            password = value(args, ++i, "--password");
            break;
          case "--peer-delay-ms":
            peerDelay = Duration.ofMillis(Long.parseLong(value(args, ++i, "--peer-delay-ms")));
            break;
          case "--help":
          case "-h":
            out.println(usage());
            return 0;
          default:
            throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      if (embedded == (homeserver != null)) {
        throw new IllegalArgumentException("give either --embedded or --homeserver URL --user ID");
      }
      if (homeserver != null && user == null) {
        throw new IllegalArgumentException("--homeserver needs --user");
      }
    } catch (NumberFormatException e) {
      err.println("error: --peer-delay-ms must be a whole number of milliseconds");
      err.println(usage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(usage());
      return 2;
    }
    try {
      if (embedded) {
        return runEmbedded(user == null ? "me" : user, peerDelay, in, out);
      }
      if (password == null) {
        Console console = System.console();
        if (console == null) {
          err.println("error: no --password and no terminal to ask for it");
          return 2;
        }
        char[] typed = console.readPassword("password for %s: ", user);
        password = typed == null ? "" : new String(typed);
      }
      MeloConfig config = MeloConfig.builder(homeserver).build();
      try (MeloClient client = MeloClient.login(config, user, password).execute()) {
        out.println("logged in as " + client.userId() + " on " + homeserver);
        new ChatConsole(client, in, out).run();
      }
      return 0;
    } catch (MeloException | IllegalArgumentException e) {
      err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error reading input: " + e.getMessage());
      return 1;
    }
  }

  private static String usage() {
    return String.join("\n",
        "usage: ChatConsole --embedded [--user NAME] [--peer-delay-ms N]",
        "       ChatConsole --homeserver URL --user ID [--password P]",
        "  --embedded        a FakeHomeserver in this process, with a scripted user bob who owns a",
        "                    server, welcomes you and answers your messages",
        "  --peer-delay-ms   how long bob 'types' before answering (default 700)",
        "  --homeserver URL  log in to a real homeserver (asks for the password if not given)");
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static int runEmbedded(String localpart, Duration peerDelay, Reader in, PrintStream out)
      throws IOException {
    try {
      return embedded(localpart, peerDelay, in, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int embedded(String localpart, Duration peerDelay, Reader in, PrintStream out)
      throws IOException, InterruptedException {
    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).start()) {
      TestUser me = hs.register(localpart);
      TestUser bob = hs.register("bob");
      MeloConfig config = MeloConfig.builder(hs.baseUrl()).build();
      try (MeloClient peerClient = MeloClient.login(config, bob.userId(), bob.password()).execute();
          ScriptedPeer peer = ScriptedPeer.start(peerClient, "Melo Lounge", peerDelay);
          MeloClient client = MeloClient.login(config, me.userId(), me.password()).execute()) {
        // bob reacts to live events only, which start after his first sync.
        if (!Expectation.awaitConnected(peerClient, Duration.ofSeconds(10))) {
          out.println("(bob is still connecting: he may miss what happens before he is)");
        }
        out.println("embedded homeserver at " + hs.baseUrl() + "; you are " + client.userId());
        out.println("bob owns the server \"Melo Lounge\". Join it with:");
        out.println("  /join " + peer.invite());
        new ChatConsole(client, in, out).run();
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ the loop

  /**
   * Prints live events and runs commands until {@code /quit} or the end of the input.
   *
   * @throws IOException if reading the input fails
   */
  public void run() throws IOException {
    lookups = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "Melo console lookups");
      thread.setDaemon(true);
      return thread;
    });
    try (Subscription events = client.addListener(new Printer())) {
      say("Melo console for " + client.userId() + ". Type /help for the commands.");
      nameKnownRooms();
      String line;
      while ((line = in.readLine()) != null) {
        String command = line.strip();
        if (command.isEmpty()) {
          continue;
        }
        if (command.equals("/quit") || command.equals("/exit")) {
          say("bye");
          return;
        }
        try {
          execute(command);
        } catch (MeloException e) {
          say("! " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
          say("! " + e.getMessage());
        }
      }
    } finally {
      lookups.shutdownNow();
    }
  }

  private void execute(String line) {
    if (!line.startsWith("/")) {
      send(line);
      return;
    }
    int space = line.indexOf(' ');
    String command = space < 0 ? line : line.substring(0, space);
    String rest = space < 0 ? "" : line.substring(space + 1).strip();
    switch (command) {
      case "/help":
        say(HELP);
        break;
      case "/servers":
        listServers();
        break;
      case "/server":
        goToServer(required(rest, "/server <n|name>"));
        break;
      case "/channels":
        listChannels();
        break;
      case "/switch":
        switchChannel(required(rest, "/switch <n|name>"));
        break;
      case "/join":
        join(required(rest, "/join <invite>"));
        break;
      case "/invite":
        showInvite();
        break;
      case "/newserver":
        createServer(required(rest, "/newserver <name>"));
        break;
      case "/newchannel":
        createChannel(required(rest, "/newchannel <name>"));
        break;
      case "/members":
        listMembers();
        break;
      case "/dm":
        openConversation(required(rest, "/dm <@user|user>"));
        break;
      case "/dms":
        listConversations();
        break;
      case "/history":
        showHistory(true);
        break;
      case "/reply": {
        String[] parts = numberAndText(rest, "/reply <n> <text>");
        MessageRef ref = ref(parts[0]);
        show(client.reply(ref.roomId(), ref.messageId(), parts[1]).execute());
        break;
      }
      case "/edit": {
        String[] parts = numberAndText(rest, "/edit <n> <text>");
        MessageRef ref = ref(parts[0]);
        Message edited = client.editMessage(ref.roomId(), ref.messageId(), parts[1]).execute();
        say("edited [" + parts[0] + "]: " + edited.body());
        break;
      }
      case "/delete": {
        MessageRef ref = ref(required(rest, "/delete <n>"));
        client.deleteMessage(ref.roomId(), ref.messageId()).execute();
        say("deleted [" + rest + "]");
        break;
      }
      case "/react": {
        String[] parts = numberAndText(rest, "/react <n> <emoji>");
        MessageRef ref = ref(parts[0]);
        client.react(ref.roomId(), ref.messageId(), parts[1]).execute();
        say("reacted " + parts[1] + " to [" + parts[0] + "]");
        break;
      }
      case "/typing":
        client.setTyping(currentRoom(), true).execute();
        say("(the others here see that you are typing)");
        break;
      default:
        say("! unknown command " + command + "; /help lists them");
    }
  }

  // ------------------------------------------------------------------ commands

  private void send(String body) {
    show(client.sendText(currentRoom(), body).execute());
  }

  private void listServers() {
    List<Server> servers = client.servers().execute();
    if (servers.isEmpty()) {
      say("no servers yet: /join <invite> or /newserver <name>");
      return;
    }
    StringBuilder lines = new StringBuilder("servers:");
    for (int i = 0; i < servers.size(); i++) {
      Server s = servers.get(i);
      text.nameRoom(s.id(), s.name());
      lines.append("\n  ").append(i + 1).append(". ").append(s.name())
          .append(s.id().equals(serverId) ? "  <- here" : "")
          .append(" (owner ").append(EventText.user(s.ownerId())).append(')');
    }
    say(lines.toString());
  }

  private void goToServer(String which) {
    List<Server> servers = client.servers().execute();
    Server server = pick(servers, which, Server::name, "server");
    enterServer(server);
  }

  private void enterServer(Server server) {
    text.nameRoom(server.id(), server.name());
    serverId = server.id();
    List<Channel> channels = nameChannels(server.id());
    Channel general = channels.stream().filter(Channel::isGeneral).findFirst()
        .orElse(channels.isEmpty() ? null : channels.get(0));
    if (general == null) {
      roomId = null;
      say("now in " + server.name() + ", which has no channels");
      return;
    }
    enterRoom(general.id(), server.name() + " #" + general.name());
  }

  private void listChannels() {
    String server = currentServer();
    List<Channel> channels = nameChannels(server);
    StringBuilder lines = new StringBuilder("channels of " + text.room(server) + ":");
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      lines.append("\n  ").append(i + 1).append(". #").append(c.name())
          .append(c.type() == io.melo.core.ChannelType.TEXT ? "" : " (" + c.type() + ")")
          .append(c.id().equals(roomId) ? "  <- here" : "");
    }
    say(lines.toString());
  }

  private void switchChannel(String which) {
    String server = currentServer();
    List<Channel> channels = nameChannels(server);
    Channel channel = pick(channels, which.startsWith("#") ? which.substring(1) : which, Channel::name,
        "channel");
    enterRoom(channel.id(), "#" + channel.name());
  }

  private void join(String shared) {
    InviteCode invite = InviteCode.parse(shared, namespace);
    Server server = client.joinServer(invite).execute();
    say("joined " + server.name());
    enterServer(server);
  }

  private void showInvite() {
    Server server = client.server(currentServer()).execute();
    say(server.invite()
        .map(code -> "invite to " + server.name() + ": " + code.alias(namespace))
        .orElse(server.name() + " has no invite code"));
  }

  private void createServer(String name) {
    Server server = client.createServer(name).execute();
    say("created " + server.name() + "; invite: "
        + server.invite().map(code -> code.alias(namespace)).orElse("none"));
    enterServer(server);
  }

  private void createChannel(String name) {
    String server = currentServer();
    Channel channel = client.createChannel(server, name.startsWith("#") ? name.substring(1) : name,
        io.melo.core.ChannelType.TEXT).execute();
    text.nameRoom(channel.id(), "#" + channel.name());
    enterRoom(channel.id(), "#" + channel.name());
  }

  private void listMembers() {
    List<Member> members = client.members(currentServer()).execute();
    StringBuilder lines = new StringBuilder("members of " + text.room(serverId) + ":");
    for (Member m : members) {
      lines.append("\n  ").append(m.profile().displayNameOrId())
          .append(" (").append(m.userId()).append(") ").append(m.role())
          .append(m.owner() ? ", owner" : "");
    }
    say(lines.toString());
  }

  private void openConversation(String who) {
    String other = userId(who);
    Conversation conversation = client.conversationWith(other).execute();
    serverId = null;
    text.nameRoom(conversation.id(), "@" + EventText.user(other));
    enterRoom(conversation.id(), "your conversation with " + EventText.user(other));
  }

  private void listConversations() {
    List<Conversation> conversations = client.conversations().execute();
    if (conversations.isEmpty()) {
      say("no direct conversations yet: /dm <user>");
      return;
    }
    StringBuilder lines = new StringBuilder("direct conversations:");
    for (Conversation c : conversations) {
      text.nameRoom(c.id(), "@" + EventText.user(c.otherUserId()));
      lines.append("\n  with ").append(c.otherUserId()).append(c.id().equals(roomId) ? "  <- here" : "");
    }
    say(lines.toString());
  }

  /** Shows the latest messages here: all of them, or only those not shown before. */
  private void showHistory(boolean all) {
    List<Message> page = new ArrayList<>(client.messages(currentRoom(), null, HISTORY).execute().messages());
    Collections.reverse(page);
    if (page.isEmpty()) {
      say("no messages here yet");
    }
    for (Message m : page) {
      if (m.deleted()) {
        continue;
      }
      if (all) {
        say(line(m, number(m)));
      } else {
        show(m);
      }
    }
  }

  private void enterRoom(String id, String description) {
    roomId = id;
    say("now in " + description);
    showHistory(false);
  }

  // ------------------------------------------------------------------ helpers

  /** The user id for {@code @bob:example.org}, {@code @bob} or {@code bob} (on this user's server). */
  private String userId(String who) {
    String name = who.startsWith("@") ? who.substring(1) : who;
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a user looks like @bob:example.org or bob");
    }
    if (name.contains(":")) {
      return "@" + name;
    }
    String me = client.userId();
    return "@" + name + me.substring(me.indexOf(':'));
  }

  private String currentServer() {
    String id = serverId;
    if (id == null) {
      throw new IllegalArgumentException("no server chosen: /servers, then /server <n>");
    }
    return id;
  }

  private String currentRoom() {
    String id = roomId;
    if (id == null) {
      throw new IllegalArgumentException(
          "you are in no channel yet: /join <invite>, /servers then /server <n>, or /dm <user>");
    }
    return id;
  }

  private static String required(String argument, String usage) {
    if (argument.isEmpty()) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    return argument;
  }

  private static String[] numberAndText(String rest, String usage) {
    int space = rest.indexOf(' ');
    if (space < 0 || rest.substring(space + 1).isBlank()) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    return new String[] {rest.substring(0, space), rest.substring(space + 1).strip()};
  }

  private MessageRef ref(String number) {
    int n;
    try {
      n = Integer.parseInt(number.startsWith("[") && number.endsWith("]")
          ? number.substring(1, number.length() - 1) : number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a message number looks like 3, was: " + number);
    }
    synchronized (lock) {
      if (n < 1 || n > refs.size()) {
        throw new IllegalArgumentException("no message [" + n + "] shown yet");
      }
      return refs.get(n - 1);
    }
  }

  private static <T> T pick(List<T> items, String which, java.util.function.Function<T, String> name, String what) {
    try {
      int n = Integer.parseInt(which);
      if (n >= 1 && n <= items.size()) {
        return items.get(n - 1);
      }
    } catch (NumberFormatException notANumber) {
      // a name, then
    }
    return items.stream().filter(item -> name.apply(item).equalsIgnoreCase(which)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + what + " " + which + "; there are: "
            + items.stream().map(name).collect(Collectors.joining(", "))));
  }

  private List<Channel> nameChannels(String server) {
    List<Channel> channels = client.channels(server).execute();
    channels.forEach(c -> text.nameRoom(c.id(), "#" + c.name()));
    return channels;
  }

  private void nameKnownRooms() {
    for (Server s : client.servers().execute()) {
      text.nameRoom(s.id(), s.name());
      nameChannels(s.id());
    }
    for (Conversation c : client.conversations().execute()) {
      text.nameRoom(c.id(), "@" + EventText.user(c.otherUserId()));
    }
  }

  /** The number of a message, given the first time it is seen. */
  private int number(Message message) {
    synchronized (lock) {
      Integer n = numbers.get(message.id());
      if (n == null) {
        refs.add(new MessageRef(message.roomId(), message.id()));
        n = refs.size();
        numbers.put(message.id(), n);
      }
      return n;
    }
  }

  /** Shows a message once: the live event and the send's result may come in either order. */
  private void show(Message message) {
    int n;
    synchronized (lock) {
      if (numbers.containsKey(message.id())) {
        return;
      }
      n = number(message);
    }
    say(line(message, n));
  }

  private String label(Optional<Integer> number, String messageId) {
    return number.map(n -> "[" + n + "]").orElse(text.quote(messageId));
  }

  private Optional<Integer> numberOf(String messageId) {
    synchronized (lock) {
      return Optional.ofNullable(numbers.get(messageId));
    }
  }

  private String line(Message m, int n) {
    text.remember(m);
    StringBuilder line = new StringBuilder()
        .append('[').append(n).append("] ")
        .append(text.room(m.roomId())).append(' ')
        .append(m.senderId().equals(client.userId()) ? "you" : EventText.user(m.senderId()))
        .append(": ");
    m.replyToId().ifPresent(id -> line.append("(reply to ").append(label(numberOf(id), id)).append(") "));
    m.attachment().ifPresentOrElse(
        a -> line.append('[').append(m.kind()).append(' ').append(a.fileName()).append(']'),
        () -> line.append(m.body()));
    if (m.edited()) {
      line.append(" (edited)");
    }
    for (Reaction r : m.reactions()) {
      line.append("  ").append(r.key()).append(r.count());
    }
    return line.toString();
  }

  /** Writes whole lines at once, so live events never split a line. */
  private void say(String lines) {
    synchronized (out) {
      out.println(lines);
      out.flush();
    }
  }

  /** Prints the live events that concern a chat user. */
  private final class Printer extends MeloListenerAdapter {

    private boolean mine(String userId) {
      return userId.equals(client.userId());
    }

    private String who(String userId) {
      return mine(userId) ? "you" : EventText.user(userId);
    }

    @Override
    public void onMessageCreated(MessageCreated event) {
      String sender = event.message().senderId();
      boolean unnamed = text.room(event.roomId()).equals(event.roomId());
      if (unnamed && event.serverId().isEmpty() && !mine(sender)) {
        text.nameRoom(event.roomId(), "@" + EventText.user(sender));
      } else if (unnamed && event.serverId().isPresent()) {
        // A channel this console has not listed yet: learn its name off the event thread (a
        // listener must not block it with calls), then show the message.
        String server = event.serverId().get();
        try {
          lookups.execute(() -> {
            try {
              nameChannels(server);
            } catch (MeloException e) {
              // shown by id then
            }
            show(event.message());
          });
          return;
        } catch (RejectedExecutionException closing) {
          // the console is ending: show it by id
        }
      }
      show(event.message());
    }

    @Override
    public void onMessageEdited(MessageEdited event) {
      if (!mine(event.message().senderId())) {
        say("* " + who(event.message().senderId()) + " edited "
            + label(numberOf(event.message().id()), event.message().id()) + ": " + event.message().body());
      }
      text.remember(event.message());
    }

    @Override
    public void onMessageDeleted(MessageDeleted event) {
      if (!mine(event.deletedBy())) {
        say("* " + who(event.deletedBy()) + " deleted " + label(numberOf(event.messageId()), event.messageId())
            + " in " + text.room(event.roomId()));
      }
    }

    @Override
    public void onReactionAdded(ReactionAdded event) {
      if (!mine(event.senderId())) {
        say("* " + who(event.senderId()) + " reacted " + event.key() + " to "
            + label(numberOf(event.messageId()), event.messageId()));
      }
    }

    @Override
    public void onReactionRemoved(ReactionRemoved event) {
      if (!mine(event.senderId())) {
        say("* " + who(event.senderId()) + " took back " + event.key() + " from "
            + label(numberOf(event.messageId()), event.messageId()));
      }
    }

    @Override
    public void onTypingChanged(TypingChanged event) {
      List<String> others = event.userIds().stream().filter(u -> !mine(u)).collect(Collectors.toList());
      if (!others.isEmpty()) {
        say("* " + others.stream().map(EventText::user).collect(Collectors.joining(", "))
            + (others.size() == 1 ? " is" : " are") + " typing in " + text.room(event.roomId()) + " ...");
      }
    }

    @Override
    public void onMemberJoined(MemberJoined event) {
      if (!mine(event.userId())) {
        say("* " + event.profile().displayNameOrId() + " joined " + text.room(event.serverId()));
      }
    }

    @Override
    public void onMemberLeft(MemberLeft event) {
      if (!mine(event.userId())) {
        say("* " + who(event.userId()) + " left " + text.room(event.serverId()));
      }
    }

    @Override
    public void onMemberKicked(MemberKicked event) {
      say("* " + who(event.userId()) + " " + (mine(event.userId()) ? "were" : "was") + " removed from "
          + text.room(event.serverId()) + " by " + who(event.kickedBy()));
    }

    @Override
    public void onRoleChanged(RoleChanged event) {
      say("* " + who(event.userId()) + " is now " + event.newRole() + " in " + text.room(event.serverId()));
    }

    @Override
    public void onChannelCreated(ChannelCreated event) {
      text.nameRoom(event.channel().id(), "#" + event.channel().name());
      if (!mine(event.channel().creatorId())) {
        say("* new channel #" + event.channel().name() + " in " + text.room(event.serverId()));
      }
    }

    @Override
    public void onChannelDeleted(ChannelDeleted event) {
      say("* channel " + text.room(event.channelId()) + " was deleted by " + who(event.deletedBy()));
      if (event.channelId().equals(roomId)) {
        roomId = null;
      }
    }

    @Override
    public void onServerUpdated(ServerUpdated event) {
      text.nameRoom(event.serverId(), event.server().name());
    }

    @Override
    public void onServerDeleted(ServerDeleted event) {
      say("* server " + text.room(event.serverId()) + " was deleted by " + who(event.deletedBy()));
      if (event.serverId().equals(serverId)) {
        serverId = null;
        roomId = null;
      }
    }

    @Override
    public void onInvitedToServer(InvitedToServer event) {
      say("* " + who(event.inviterId()) + " invited you to " + event.serverName().orElse(event.serverId()));
    }

    @Override
    public void onInvitedToConversation(InvitedToConversation event) {
      say("* " + who(event.inviterId()) + " wants to talk to you directly: /dm "
          + EventText.user(event.inviterId()));
    }

    @Override
    public void onConnectionStateChanged(ConnectionStateChanged event) {
      if (event.state() == ConnectionState.RECONNECTING || event.state() == ConnectionState.FAILED) {
        say("* connection " + event.state()
            + event.failure().map(f -> ": " + f.getMessage()).orElse(""));
      }
    }

    @Override
    public void onGenericEvent(MeloEvent event) {
      // Everything else (receipts, presence, profiles) stays quiet in a chat window.
    }
  }
}
