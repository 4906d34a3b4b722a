package io.melo.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A fault that holds matching requests on the server until {@link #release()}: a test can then act
 * while a client waits for an answer. Closing the server releases it too.
 */
public final class Stall extends Fault {
  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  Stall(String matcher, Predicate<Request> predicate, int times) {
    super(Kind.STALL, matcher, predicate, times, 0, 0, null, null);
  }

  /**
   * Waits until a matching request has arrived and is being held; false if the timeout passed
   * first.
   *
   * @param timeout how long to wait at most
   * @return true once a request is held, false if the timeout passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitArrival(Duration timeout) throws InterruptedException {
    return arrived.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Lets every held (and every later matching) request go on to be handled normally. */
  public void release() {
    released.countDown();
  }

  void hold() throws InterruptedException {
    arrived.countDown();
    released.await();
  }
}
