package io.melo.core.testing;

import io.melo.core.MeloClient;
import io.melo.core.MeloConfig;
import io.melo.core.event.EventScope;
import io.melo.core.event.MeloEvent;
import io.melo.core.event.MeloListener;
import io.melo.core.event.Subscription;
import java.util.function.Consumer;

/** A {@link MeloClient} that only knows its user id: events in unit tests need a client. */
public final class TestClient implements MeloClient {

  private final String userId;

  public TestClient(String userId) {
    this.userId = userId;
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public MeloConfig config() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Subscription addListener(EventScope scope, MeloListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <E extends MeloEvent> Subscription on(Class<E> type, EventScope scope, Consumer<? super E> listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "TestClient(" + userId + ")";
  }
}
