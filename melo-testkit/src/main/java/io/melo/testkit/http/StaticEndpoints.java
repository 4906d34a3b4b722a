package io.melo.testkit.http;

import io.melo.testkit.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Endpoints whose answers depend on no state: versions and discovery. Internal: not API. */
public final class StaticEndpoints {
  /** The spec versions advertised by {@code /versions}: v1.11 brought authenticated media, served here. */
  public static final List<String> VERSIONS = List.of("r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5",
      "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11");

  private StaticEndpoints() {}

  /** Installs the handlers; {@code baseUrl} is read per request (the port is known only once started). */
  public static void install(MatrixDispatcher d, Supplier<String> baseUrl) {
    d.handle(Endpoint.VERSIONS, ex -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("versions", VERSIONS);
      body.put("unstable_features", Map.of());
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
