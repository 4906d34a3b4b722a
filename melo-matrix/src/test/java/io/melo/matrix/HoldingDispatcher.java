package io.melo.matrix;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher for long polls: the requests it holds wait until {@link #release} (or
 * the server's shutdown), counting down {@link #arrived} as they come; then each gets its answer.
 */
final class HoldingDispatcher extends Dispatcher {

  final CountDownLatch arrived;
  final CountDownLatch release = new CountDownLatch(1);
  private final Predicate<RecordedRequest> held;
  private final Function<RecordedRequest, MockResponse> answer;

  HoldingDispatcher(int expected, Predicate<RecordedRequest> held, Function<RecordedRequest, MockResponse> answer) {
    this.arrived = new CountDownLatch(expected);
    this.held = held;
    this.answer = answer;
  }

  /** Holds every request and answers each with {@code body}. */
  static HoldingDispatcher holdingAll(int expected, String body) {
    return new HoldingDispatcher(expected, request -> true, request -> json(body));
  }

  /** A 200 JSON answer. */
  static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  /** The access token a request carried. */
  static String token(RecordedRequest request) {
    return request.getHeaders().get("Authorization").substring("Bearer ".length());
  }

  /** Waits (at most 20 s) until the expected requests are held; false if they did not come. */
  boolean awaitArrived() throws InterruptedException {
    return arrived.await(20, TimeUnit.SECONDS);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    if (held.test(request)) {
      arrived.countDown();
      release.await(20, TimeUnit.SECONDS);
    }
    return answer.apply(request);
  }

  @Override
  public void close() {
    release.countDown();
  }
}
