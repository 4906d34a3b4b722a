package io.melo.core.repro;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.ConnectionState;
import io.melo.core.event.ConnectionStateChanged;
import io.melo.core.event.MeloEvent;
import io.melo.testkit.FakeHomeserverExtension;
import io.melo.testkit.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * review11: the scene of the reproduction tests (a copy of the suite's package-private
 * AliceAndBobScene/Fixture/Recorder, so that the repro package stands alone): a fake homeserver,
 * alice ({@link #owner}) and bob ({@link #guest}) logged in with events on the bus's thread.
 */
abstract class ReproScene {

  @RegisterExtension final FakeHomeserverExtension hs = new FakeHomeserverExtension();

  final List<MeloClient> clients = new ArrayList<>();
  TestUser alice;
  TestUser bob;
  MeloClient owner;
  MeloClient guest;

  @BeforeEach
  final void registerAliceAndBob() throws InterruptedException {
    alice = hs.register("alice");
    bob = hs.register("bob");
    owner = login(alice);
    guest = login(bob);
  }

  @AfterEach
  final void closeClients() {
    clients.forEach(MeloClient::close);
  }

  MeloClient login(TestUser user) throws InterruptedException {
    return login(user, MeloConfig.builder(hs.baseUrl()).eventExecutor(Runnable::run));
  }

  MeloClient login(TestUser user, MeloConfig.Builder config) throws InterruptedException {
    MeloClient client = MeloClient.login(config.build(), user.userId(), user.password()).execute();
    clients.add(client);
    awaitConnected(client);
    return client;
  }

  static void awaitConnected(MeloClient client) throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    client.on(ConnectionStateChanged.class, e -> {
      if (e.state() == ConnectionState.CONNECTED) {
        connected.countDown();
      }
    });
    if (client.connectionState() != ConnectionState.CONNECTED) {
      assertThat(connected.await(10, TimeUnit.SECONDS)).as(client.userId() + " connected").isTrue();
    }
  }

  /** Records a client's events; tests wait for the one they expect (with a deadline). */
  static final class Events {
    private final LinkedBlockingQueue<MeloEvent> queue = new LinkedBlockingQueue<>();
    private final List<MeloEvent> all = new ArrayList<>();
    private final List<MeloEvent> passedOver = new ArrayList<>();

    Events(MeloClient client) {
      client.addListener(queue::add);
    }

    <E extends MeloEvent> E await(Class<E> type, Predicate<? super E> test) {
      for (java.util.Iterator<MeloEvent> it = passedOver.iterator(); it.hasNext(); ) {
        MeloEvent event = it.next();
        if (type.isInstance(event) && test.test(type.cast(event))) {
          it.remove();
          return type.cast(event);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        long left = deadline - System.nanoTime();
        MeloEvent event;
        try {
          event = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        if (event == null) {
          throw new AssertionError("no " + type.getSimpleName() + " within 10 s; saw " + all);
        }
        all.add(event);
        if (type.isInstance(event) && test.test(type.cast(event))) {
          return type.cast(event);
        }
        passedOver.add(event);
      }
    }

    <E extends MeloEvent> E await(Class<E> type) {
      return await(type, e -> true);
    }

    List<MeloEvent> seen() {
      queue.drainTo(all);
      return all;
    }

    <E extends MeloEvent> List<E> seen(Class<E> type) {
      List<E> out = new ArrayList<>();
      for (MeloEvent e : seen()) {
        if (type.isInstance(e)) {
          out.add(type.cast(e));
        }
      }
      return out;
    }
  }
}
