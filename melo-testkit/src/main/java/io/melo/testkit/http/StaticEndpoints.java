package io.melo.testkit.http;

import io.melo.testkit.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Endpoints whose answers depend on no state: versions and discovery. Internal: not API. */
public final class StaticEndpoints {
  /**
   * The spec versions advertised by {@code /versions}: each one whose additions to the modules the
   * fake implements are served (v1.2 hierarchy and restricted rooms, v1.3 refresh tokens, v1.4 threads,
   * threaded and private receipts, v1.6 timestamp_to_event, v1.7 asynchronous uploads, the
   * application-service ping and intentional-mention push rules, v1.8 room version 11, v1.10
   * recursive relations, v1.11 authenticated media, v1.13 room reports, v1.14 user reports; v1.12's
   * {@code via} and v1.14's removal of {@code server_name} are moot on one server). Not v1.15 and later:
   * v1.15's room summary and v1.16's state_after, profile-field deletion and {@code format=event} are
   * served, but the rest of those versions was not checked item by item, and v1.17 dropped the legacy
   * mention push rules this server's default set still has. Modules the fake leaves out at every version, whatever it advertises:
   * end-to-end encryption (keys, to-device, key backup, cross-signing), third-party identifiers,
   * password change and account deactivation, OpenID, SSO and OAuth login, URL previews, server
   * administration (so no suspended or locked users).
   */
  public static final List<String> VERSIONS = List.of("r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5",
      "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11", "v1.12", "v1.13", "v1.14");

  private StaticEndpoints() {}

  /**
   * Installs the handlers; {@code baseUrl} is read per request (the port is known only once
   * started).
   *
   * @param d the dispatcher to register the handlers on
   * @param baseUrl supplies the server's base URL for {@code .well-known}
   */
  public static void install(MatrixDispatcher d, Supplier<String> baseUrl) {
    d.handle(Endpoint.VERSIONS, ex -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("versions", VERSIONS);
      // The only unstable feature the fake serves is MSC4222's use_state_after under its unstable name
      // (matrix-js-sdk asks with it); it is stable since v1.16, which is not advertised.
      body.put("unstable_features", Map.of("org.matrix.msc4222", true));
      return Reply.json(body);
    });
    // The base URL as the client reached us (its Host header), so that a server bound to all
    // interfaces (--allow-remote) tells remote clients an address they can use.
    d.handle(Endpoint.WELL_KNOWN, ex -> {
      String host = ex.headers().get("Host");
      String url = host != null && host.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")
          ? "http://" + host : baseUrl.get();
      return Reply.json(Map.of("m.homeserver", Map.of("base_url", url)));
    });
  }
}
