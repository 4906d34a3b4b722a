package io.melo.examples;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.Conversation;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Server;
import io.melo.core.event.InvitedToConversation;
import io.melo.core.event.MeloListenerAdapter;
import io.melo.core.event.MemberJoined;
import io.melo.core.event.MessageCreated;
import io.melo.core.event.MessageEdited;
import io.melo.core.event.Subscription;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second user that acts by itself, so that a person trying the console on the embedded
 * homeserver sees live activity: it owns a server, welcomes whoever joins, shows that it is
 * typing, then answers each message with a reply and a reaction, remarks on edits, and answers in
 * direct conversations someone opens with it.
 *
 * <p>Its reactions run on its own thread, never on Melo's event thread (a listener must not block
 * that thread with calls of its own), after a short delay that makes the typing visible.
 */
public final class ScriptedPeer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptedPeer.class);
  private static final String EYES = "\uD83D\uDC40";

  private final MeloClient client;
  private final Server server;
  private final Channel general;
  private final Duration delay;
  private final ScheduledExecutorService worker;
  private final Subscription subscription;

  private ScriptedPeer(MeloClient client, Server server, Channel general, Duration delay) {
    this.client = client;
    this.server = server;
    this.general = general;
    this.delay = delay;
    this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "scripted " + EventText.user(client.userId()));
      thread.setDaemon(true);
      return thread;
    });
    this.subscription = client.addListener(new Script());
  }

  /**
   * Creates the peer's server (with {@code #general} and {@code #random}), greets in it and starts
   * answering. The client stays the caller's to close.
   *
   * @param client the peer's logged-in client
   * @param serverName the name of the server it creates
   * @param delay how long the peer shows as typing before it answers
   * @return the running peer; close it to stop
   */
  public static ScriptedPeer start(MeloClient client, String serverName, Duration delay) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(delay, "delay");
    Server server = client.createServer(serverName).execute();
    client.createChannel(server.id(), "random", ChannelType.TEXT).execute();
    Channel general = client.channels(server.id()).execute().stream()
        .filter(Channel::isGeneral)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(serverName + " has no #general channel"));
    client.sendText(general.id(), "Welcome to " + serverName + "! I am "
        + EventText.user(client.userId()) + "; say something and I will answer.").execute();
    return new ScriptedPeer(client, server, general, delay);
  }

  /**
   * The server the peer owns.
   *
   * @return the server as created
   */
  public Server server() {
    return server;
  }

  /**
   * The invite to share.
   *
   * @return the full alias {@code #<ns>.invite.<code>:<server>}
   */
  public String invite() {
    return server.invite()
        .map(code -> code.alias(client.config().namespace()))
        .orElseThrow(() -> new IllegalStateException(server.name() + " has no invite code"));
  }

  /** Stops answering; does not close the client. */
  @Override
  public void close() {
    subscription.close();
    worker.shutdownNow();
  }

  private boolean mine(String userId) {
    return userId.equals(client.userId());
  }

  private void later(String what, Runnable action) {
    try {
      worker.schedule(() -> {
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.warn("scripted peer could not {}: {}", what, e.getMessage());
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed: nothing more to answer
    }
  }

  private void now(String what, Runnable action) {
    try {
      worker.execute(() -> {
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.warn("scripted peer could not {}: {}", what, e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed: nothing more to answer
    }
  }

  /** What the peer does on each event; every action is handed to its own thread. */
  private final class Script extends MeloListenerAdapter {

    @Override
    public void onMemberJoined(MemberJoined event) {
      if (!mine(event.userId()) && event.serverId().equals(server.id())) {
        String name = event.profile().displayNameOrId();
        later("welcome " + name, () -> client.sendText(general.id(), "Welcome, " + EventText.user(name)
            + "! Try /react, /edit, /reply, /channels, or /dm " + EventText.user(client.userId()) + ".")
            .execute());
      }
    }

    @Override
    public void onMessageCreated(MessageCreated event) {
      Message message = event.message();
      if (mine(message.senderId())) {
        return;
      }
      String room = event.roomId();
      now("show typing", () -> client.setTyping(room, true).execute());
      later("answer " + message.id(), () -> {
        client.react(room, message.id(), EYES).execute();
        client.reply(room, message.id(), "You said " + EventText.quoteText(message.body())
            + (event.serverId().isPresent() ? "" : " (just between us)")).execute();
      });
    }

    @Override
    public void onMessageEdited(MessageEdited event) {
      Message message = event.message();
      if (!mine(message.senderId())) {
        later("remark on an edit", () -> client.sendText(event.roomId(),
            "I saw that edit: now it says " + EventText.quoteText(message.body())).execute());
      }
    }

    @Override
    public void onInvitedToConversation(InvitedToConversation event) {
      later("accept the conversation", () -> {
        Conversation conversation = client.conversationWith(event.inviterId()).execute();
        client.sendText(conversation.id(), "Hi! This is our direct conversation.").execute();
      });
    }
  }
}
