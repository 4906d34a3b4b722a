package io.melo.spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A mockwebserver3 {@link Dispatcher} that checks every exchange against the spec on its way through: the request
 * (operation exists, path parameters, query, JSON body, sent event content: {@link Spec#validateRequest}) and the
 * JSON response the wrapped dispatcher answers (its status's schema plus per-type checks of embedded events:
 * {@link Operation#validateResponseAndEvents}). It never changes the exchange; call {@link #assertAllValid()} at
 * the end of a test (or read {@link #exchanges()}).
 *
 * <pre>{@code
 * SpecCheckingDispatcher checked = new SpecCheckingDispatcher(new QueueDispatcher());
 * server.setDispatcher(checked);
 * ... run the client ...
 * checked.assertAllValid();
 * }</pre>
 *
 * <p>Response bodies are read only when they declare a length of at most 4 MiB and a JSON content type; streamed
 * or binary bodies are left alone. Thread-safe.
 */
public final class SpecCheckingDispatcher extends Dispatcher {
  private static final long MAX_CHECKED_BODY = 4L * 1024 * 1024;

  private final Spec spec;
  private final Dispatcher delegate;
  private final List<CheckedExchange> exchanges = Collections.synchronizedList(new ArrayList<>());

  /**
   * Checks the exchanges of {@code delegate} against {@link Spec#load()}.
   *
   * @param delegate the dispatcher that answers
   */
  public SpecCheckingDispatcher(Dispatcher delegate) {
    this(Spec.load(), delegate);
  }

  /**
   * Checks the exchanges of {@code delegate} against {@code spec}.
   *
   * @param spec the spec
   * @param delegate the dispatcher that answers
   */
  public SpecCheckingDispatcher(Spec spec, Dispatcher delegate) {
    this.spec = spec;
    this.delegate = delegate;
  }

  /**
   * Checks the request, lets the wrapped dispatcher answer, checks the answer.
   *
   * @param request the request
   * @return the wrapped dispatcher's response, unchanged
   * @throws InterruptedException if the wrapped dispatcher is interrupted
   */
  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    String target = request.getTarget();
    String body = request.getBody() == null ? null : request.getBody().utf8();
    List<Operation> ops = spec.operationsFor(method, target);
    List<Violation> requestViolations = ops.isEmpty()
        ? List.of(new Violation("", "no operation in the Matrix spec for " + method + " " + target, ""))
        : spec.validateRequest(method, target, body);
    MockResponse response = delegate.dispatch(request);
    List<Violation> responseViolations = List.of();
    String json = ops.isEmpty() ? null : jsonBody(response);
    if (json != null) {
      responseViolations = ops.get(0).validateResponseAndEvents(response.getCode(), json);
    }
    exchanges.add(new CheckedExchange(method, target, ops.isEmpty() ? null : ops.get(0).operationId(),
        response.getCode(), requestViolations, responseViolations));
    return response;
  }

  private static String jsonBody(MockResponse response) {
    String contentType = response.getHeaders().get("Content-Type");
    MockResponseBody body = response.getBody();
    if (body == null || contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("json")
        || body.getContentLength() < 0 || body.getContentLength() > MAX_CHECKED_BODY) {
      return null;
    }
    Buffer buffer = new Buffer();
    try {
      body.writeTo(buffer);
    } catch (IOException e) {
      return null;
    }
    return buffer.readUtf8();
  }

  /** {@return the wrapped dispatcher's peek} */
  @Override
  public MockResponse peek() {
    return delegate.peek();
  }

  /** Closes the wrapped dispatcher. */
  @Override
  public void close() {
    delegate.close();
  }

  /** {@return every exchange checked so far, in order} */
  public List<CheckedExchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  /**
   * Fails the test if any exchange so far broke the spec.
   *
   * @throws SpecViolationsError listing every violation, each prefixed by its exchange
   */
  public void assertAllValid() {
    List<Violation> all = new ArrayList<>();
    for (CheckedExchange e : exchanges()) {
      for (Violation v : e.requestViolations()) {
        all.add(new Violation(v.instancePath(), "request " + e.method() + " " + e.target() + ": " + v.message(),
            v.schemaLocation()));
      }
      for (Violation v : e.responseViolations()) {
        all.add(new Violation(v.instancePath(), "response " + e.status() + " to " + e.method() + " " + e.target()
            + ": " + v.message(), v.schemaLocation()));
      }
    }
    Spec.throwIfAny(exchanges().size() + " exchanges", all);
  }

  /**
   * One request and its answer, as checked.
   *
   * @param method the HTTP method
   * @param target the request target as sent
   * @param operationId the operation it went to, or null if none matches
   * @param status the answer's status
   * @param requestViolations what is wrong with the request
   * @param responseViolations what is wrong with the answer (empty if it was not checked)
   */
  public record CheckedExchange(String method, String target, String operationId, int status,
      List<Violation> requestViolations, List<Violation> responseViolations) {

    /** {@return whether both sides fit the spec} */
    public boolean valid() {
      return requestViolations.isEmpty() && responseViolations.isEmpty();
    }
  }
}
