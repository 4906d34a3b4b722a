package io.melo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.melo.spec.OperationMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every path template the fake routes is an operation of the spec, with the same method (a template
 * without the spec's trailing slash counts as a lenient alias of it).
 */
class EndpointsInSpecTest {
  private static final Map<String, String> SAMPLES = Map.ofEntries(
      Map.entry("roomId", "!room:localhost"), Map.entry("roomIdOrAlias", "#alias:localhost"),
      Map.entry("roomAlias", "#alias:localhost"), Map.entry("userId", "@alice:localhost"),
      Map.entry("eventId", "$event"), Map.entry("eventType", "m.room.message"), Map.entry("txnId", "t1"),
      Map.entry("stateKey", ""), Map.entry("filterId", "1"), Map.entry("deviceId", "DEV"),
      Map.entry("relType", "m.annotation"), Map.entry("receiptType", "m.read"), Map.entry("type", "m.direct"),
      Map.entry("keyName", "displayname"), Map.entry("serverName", "localhost"), Map.entry("mediaId", "abc"),
      Map.entry("fileName", "a.png"), Map.entry("scope", "global"), Map.entry("kind", "override"),
      Map.entry("ruleId", "r1"), Map.entry("tag", "u.work"));

  private static String prefix(Endpoint e, String template) {
    switch (e.area()) {
      case ROOT:
        return "";
      case MEDIA:
        return e == Endpoint.MEDIA_UPLOAD || e == Endpoint.MEDIA_UPLOAD_TO ? "/_matrix/media/v3"
            : "/_matrix/client/v1/media";
      default:
        boolean v1 = e == Endpoint.RELATIONS || e == Endpoint.THREADS || e == Endpoint.HIERARCHY
            || e == Endpoint.TIMESTAMP_TO_EVENT || e == Endpoint.APPSERVICE_PING || e == Endpoint.ROOM_SUMMARY;
        return v1 ? "/_matrix/client/v1" : "/_matrix/client/v3";
    }
  }

  @Test
  void everyTemplateMatchesASpecOperation() {
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (Endpoint e : Endpoint.values()) {
      for (String template : e.templates()) {
        StringBuilder path = new StringBuilder(prefix(e, template));
        for (String seg : template.substring(1).split("/", -1)) {
          path.append('/');
          if (seg.startsWith("{")) {
            String name = seg.replace("{", "").replace("}", "").replace("?", "");
            path.append(SAMPLES.getOrDefault(name, "x"));
          } else {
            path.append(seg);
          }
        }
        Optional<OperationMatch> m = SpecContract.SPEC.match(e.method(), path.toString());
        if (m.isEmpty()) {
          // Lenient aliases: the spec's path with a trailing slash (/pushrules/) also served without it.
          m = SpecContract.SPEC.match(e.method(), path + "/");
        }
        checked++;
        if (m.isEmpty()) {
          missing.add(e + " " + e.method() + " " + path);
        }
      }
    }
    assertThat(missing).as("routed but not in the spec").isEmpty();
    assertThat(checked).isGreaterThan(Endpoint.values().length);
  }
}
