package io.melo.core.testing;

import io.melo.core.MeloClient;
import java.lang.reflect.Proxy;

/** A {@link MeloClient} that only knows its user id: events in unit tests need a client. */
public final class TestClient {

  private TestClient() {}

  public static MeloClient of(String userId) {
    return (MeloClient)
        Proxy.newProxyInstance(
            MeloClient.class.getClassLoader(),
            new Class<?>[] {MeloClient.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "userId":
                  return userId;
                case "toString":
                  return "TestClient(" + userId + ")";
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }
}
