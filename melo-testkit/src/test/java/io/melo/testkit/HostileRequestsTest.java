package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint, with hostile path values and broken bodies, from an authenticated user: always an
 * answer below 500 with {@code errcode} and {@code error} when refused, never a hung request, and no
 * unexpected server error (which would fail {@link FakeHomeserver#verify()} at close).
 */
class HostileRequestsTest {
  private static final String[] VALUES = {
      "%00", "x".repeat(3000), "!:", "@", "%23%23", "..", "%F0%9F%91%8D", "$%2F..%2F", "!a:b:c:d", "%FF%FE"};
  private static final String[] BODIES = {
      null, "{", "[]", "{\"a\":1e999}", "\"str\"", "{\"user_id\":5,\"room_id\":[],\"typing\":\"x\",\"content\":null,"
      + "\"devices\":{},\"actions\":1,\"enabled\":\"no\",\"filter\":3,\"search_term\":{},\"visibility\":0,"
      + "\"presence\":[],\"refresh_token\":7,\"new_version\":{},\"auth\":\"x\",\"type\":9}", "{\"x\":" + "[".repeat(100)
      + "]".repeat(100) + "}"};

  @Test
  void hostileInputNeverYieldsA5xx() {
    try (FakeHomeserver hs = FakeHomeserver.builder().strict(false).maxRecordedRequests(0).start()) {
      TestUser alice = hs.register("alice");
      alice.createRoom(r -> r.alias("lobby"));
      TestHttp http = new TestHttp(hs.baseUrl()).withToken(alice.accessToken()).unchecked();
      // Account endpoints are called without a token: with a user's token /register reads it as an
      // application service's and answers 401 M_UNKNOWN_TOKEN, as Synapse does.
      TestHttp anon = new TestHttp(hs.baseUrl()).unchecked();
      List<String> failures = new ArrayList<>();
      int sent = 0;
      for (Endpoint e : Endpoint.values()) {
        if (e == Endpoint.LOGOUT || e == Endpoint.LOGOUT_ALL) {
          continue; // they take no input, and would end alice's token for every later endpoint
        }
        for (String template : e.templates()) {
          for (int i = 0; i < VALUES.length; i++) {
            String path = path(e, template, VALUES[i]);
            String body = e.method().equals("GET") || e.method().equals("DELETE") ? null : BODIES[i % BODIES.length];
            TestHttp.Answer a;
            try {
              boolean account = e == Endpoint.REGISTER || e == Endpoint.LOGIN || e == Endpoint.REFRESH;
              a = (account ? anon : http).send(e.method(), path, body);
            } catch (RuntimeException | AssertionError ex) {
              failures.add(e + " " + path.substring(0, Math.min(120, path.length())) + " -> " + ex);
              continue;
            }
            sent++;
            if (a.status() >= 500) {
              failures.add(e + " " + path.substring(0, Math.min(120, path.length())) + " -> " + a.status() + " "
                  + a.text());
            } else if (a.status() >= 400 && !(a.text().contains("\"errcode\"") || a.text().contains("\"flows\""))) {
              failures.add(e + " -> " + a.status() + " without errcode: " + a.text());
            }
          }
        }
      }
      assertThat(failures).isEmpty();
      // The token stayed valid throughout, so every endpoint was really exercised past authentication.
      assertThat(http.get("/_matrix/client/v3/account/whoami").status()).isEqualTo(200);
      assertThat(sent).isGreaterThan(Endpoint.values().length * VALUES.length);
    } // close() verifies: an unexpected server error anywhere fails here
  }

  private static String path(Endpoint e, String template, String value) {
    StringBuilder p = new StringBuilder();
    switch (e.area()) {
      case ROOT:
        break;
      case MEDIA:
        p.append(e == Endpoint.MEDIA_UPLOAD ? "/_matrix/media/v3" : "/_matrix/client/v1/media");
        break;
      default:
        p.append("/_matrix/client/v3");
    }
    for (String seg : template.substring(1).split("/", -1)) {
      p.append('/').append(seg.startsWith("{") ? value : seg);
    }
    return p + "?limit=" + value + "&from=" + value + "&dir=" + value + "&ts=" + value + "&filter=" + value
        + "&timeout=0&since=" + value + "&username=" + value;
  }
}
