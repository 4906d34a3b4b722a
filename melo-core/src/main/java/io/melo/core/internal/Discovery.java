package io.melo.core.internal;

import io.melo.core.DiscoveryException;
import io.melo.core.HomeserverException;
import io.melo.core.MeloConfig;
import io.melo.core.MeloProtocolException;
import io.melo.core.NotFoundException;
import io.melo.core.RuleViolationException;
import io.melo.matrix.MatrixClient;
import io.melo.matrix.MatrixConfig;
import io.melo.matrix.discovery.WellKnown;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * The specification's client discovery ({@code /.well-known/matrix/client}, then the named base
 * URL checked with {@code /_matrix/client/versions}), for {@code MeloClient.discover} and for a
 * login with a config that names a server name. Not API.
 */
public final class Discovery {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Discovery.class);

  private Discovery() {}

  /**
   * Where the discovery document of {@code serverName} lives: {@code https://<server name>/}, or
   * plain {@code http://} for a loopback host (a development homeserver such as
   * {@code localhost:8008} has no certificate, and loopback traffic does not leave the machine).
   *
   * @param serverName a Matrix server name, already checked
   * @return the URL whose root serves {@code /.well-known/matrix/client}
   * @throws IllegalArgumentException if it makes no URL
   */
  public static HttpUrl wellKnownHost(String serverName) {
    String host = serverName;
    if (host.startsWith("[")) {
      host = host.substring(1, Math.max(1, host.indexOf(']')));
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    String scheme = isLoopback(host.toLowerCase(Locale.ROOT)) ? "http" : "https";
    HttpUrl url = HttpUrl.parse(scheme + "://" + serverName + "/");
    if (url == null) {
      throw new IllegalArgumentException("serverName must be a Matrix server name like example.org, was: "
          + serverName);
    }
    return url;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.endsWith(".localhost")
        || host.equals("::1")
        || host.startsWith("127.") && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /**
   * The server name a login as {@code user} discovers: the user id's own when {@code user} is a
   * full user id, else the config's.
   */
  static String serverNameFor(MeloConfig config, String user) {
    int colon = user.indexOf(':');
    if (user.startsWith("@") && colon > 1 && colon < user.length() - 1) {
      return user.substring(colon + 1);
    }
    return config.serverName().get();
  }

  /**
   * Discovers the homeserver of {@code serverName}: its document's base URL, or, when it has none
   * (404), the server name's own URL if that answers like a homeserver.
   *
   * @return {@code config} with the base URL found (no server name left to discover)
   * @throws DiscoveryException when no homeserver is found (see its reasons)
   */
  static MeloConfig ofServerName(CallContext ctx, MeloConfig config, String serverName) {
    HttpUrl host;
    try {
      host = wellKnownHost(checkedServerName(serverName));
    } catch (IllegalArgumentException e) {
      throw new DiscoveryException("discovering the homeserver of " + serverName + ": " + e.getMessage(),
          DiscoveryException.Reason.INVALID_WELL_KNOWN, serverName, null, e);
    }
    return discover(ctx, config, serverName, host, true);
  }

  /**
   * {@code config} itself when it names a base URL, else the config with the homeserver of its
   * server name discovered.
   *
   * @throws DiscoveryException when no homeserver is found
   */
  public static MeloConfig discovered(CallContext ctx, MeloConfig config) {
    return config.needsDiscovery() ? ofServerName(ctx, config, config.serverName().get()) : config;
  }

  /**
   * {@code MeloClient.discover}: a config naming a server name discovers it; one with a base URL
   * follows that URL host's document, and keeps the URL when there is none (404).
   */
  static MeloConfig ofConfig(CallContext ctx, MeloConfig config) {
    if (config.serverName().isPresent()) {
      return ofServerName(ctx, config, config.serverName().get());
    }
    return discover(ctx, config, config.homeserver().host(), config.homeserver(), false);
  }

  private static String checkedServerName(String serverName) {
    // The same rule as MeloConfig.Builder.serverName, so a user id's server name is checked too.
    MeloConfig.forServerName(serverName);
    return serverName;
  }

  private static MeloConfig discover(
      CallContext ctx, MeloConfig config, String name, HttpUrl wellKnownHost, boolean serverNameMode) {
    String what = "discovering the homeserver of " + name;
    MeloConfig atHost = config.toBuilder().homeserver(wellKnownHost).build();
    WellKnown known;
    try (MatrixClient matrix = MatrixClient.create(DefaultMeloClient.matrixConfig(atHost))) {
      known = new MatrixSteps(ctx, "").run("reading " + name + "'s /.well-known/matrix/client", matrix.wellKnown());
    } catch (NotFoundException | HomeserverException refused) {
      if (refused instanceof HomeserverException status && status.httpStatus() != 404) {
        throw refused; // neither a document nor its absence: the domain answers with an error
      }
      if (!serverNameMode) {
        return config; // the spec's IGNORE: the configured URL stays
      }
      requireHomeserver(ctx, atHost, what, name, DiscoveryException.Reason.NO_WELL_KNOWN,
          name + " publishes no /.well-known/matrix/client (404), and " + wellKnownHost.redact()
              + " does not answer /_matrix/client/versions like a homeserver either");
      return atHost;
    } catch (MeloProtocolException bad) {
      throw new DiscoveryException(what + ": /.well-known/matrix/client is not a valid discovery document ("
          + bad.getMessage() + "); it needs a JSON object with m.homeserver.base_url",
          DiscoveryException.Reason.INVALID_WELL_KNOWN, name, null, bad);
    }
    String base = known.homeserverBaseUrl();
    HttpUrl url = base == null ? null : HttpUrl.parse(base.trim());
    if (url == null) {
      throw new DiscoveryException(what
          + ": /.well-known/matrix/client names a homeserver base_url that is not an http(s) URL: " + redact(base),
          DiscoveryException.Reason.INVALID_WELL_KNOWN, name, redact(base), null);
    }
    // A trailing slash (the spec says to drop it) is dropped by melo-matrix for every request.
    MeloConfig discovered = config.toBuilder().homeserver(url).build();
    try {
      DefaultMeloClient.matrixConfig(discovered);
    } catch (IllegalArgumentException refused) {
      throw new DiscoveryException(what + ": /.well-known/matrix/client names a homeserver Melo may not use: "
          + refused.getMessage(), DiscoveryException.Reason.INVALID_WELL_KNOWN, name, redact(base), refused);
    }
    requireHomeserver(ctx, discovered, what, name, DiscoveryException.Reason.NOT_A_HOMESERVER,
        "/.well-known/matrix/client names " + url.redact()
            + ", which does not answer /_matrix/client/versions like a homeserver");
    return discovered;
  }

  /**
   * The config a login's answer asks for: its {@code well_known} base URL when it names another
   * homeserver that answers {@code /versions} like one (and Melo may use it), else {@code config}
   * (an unusable one is logged and ignored: the login itself worked where it was sent).
   *
   * @param baseUrl the answer's {@code well_known.m.homeserver.base_url}, or null
   */
  static MeloConfig fromLoginAnswer(CallContext ctx, MeloConfig config, String baseUrl) {
    HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl.trim());
    if (url == null || sameBase(url, config.homeserver())) {
      if (baseUrl != null && url == null) {
        log.warn("The login answer's well_known names a homeserver that is not an http(s) URL; ignored: {}",
            redact(baseUrl));
      }
      return config;
    }
    MeloConfig moved = config.toBuilder().homeserver(url).build();
    try {
      requireHomeserver(ctx, moved, "following the login answer's well_known", config.homeserver().host(),
          DiscoveryException.Reason.NOT_A_HOMESERVER, "the login answer names " + url.redact());
      return moved;
    } catch (DiscoveryException | IllegalArgumentException | io.melo.core.MeloNetworkException unusable) {
      log.warn("The login answer's well_known names {}, which Melo cannot use; staying on {}: {}",
          url.redact(), config.homeserver().redact(), unusable.getMessage());
      return config;
    }
  }

  /**
   * A base URL as found, for messages, logs and exceptions: without user info, query or fragment
   * (a well-known document's base_url may carry credentials), also when it is not a valid URL.
   */
  static String redact(String raw) {
    if (raw == null) {
      return null;
    }
    HttpUrl url = HttpUrl.parse(raw.trim());
    if (url != null) {
      return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
    }
    String text = raw.trim();
    for (char end : new char[] {'?', '#'}) {
      int cut = text.indexOf(end);
      if (cut >= 0) {
        text = text.substring(0, cut);
      }
    }
    int scheme = text.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int slash = text.indexOf('/', start);
    int authorityEnd = slash < 0 ? text.length() : slash;
    int at = text.lastIndexOf('@', authorityEnd - 1);
    return at >= start ? text.substring(0, start) + text.substring(at + 1) : text;
  }

  private static boolean sameBase(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port()
        && trimSlash(a.encodedPath()).equals(trimSlash(b.encodedPath()));
  }

  private static String trimSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Asks {@code /versions} of the config's homeserver; anything but a homeserver's answer fails. */
  private static void requireHomeserver(CallContext ctx, MeloConfig config, String what, String name,
      DiscoveryException.Reason reason, String explanation) {
    MatrixConfig matrixConfig = DefaultMeloClient.matrixConfig(config);
    try (MatrixClient target = MatrixClient.create(matrixConfig)) {
      new MatrixSteps(ctx, "").run("checking " + config.homeserver().host() + " is a homeserver", target.versions());
    } catch (HomeserverException | NotFoundException | RuleViolationException | MeloProtocolException notAHomeserver) {
      throw new DiscoveryException(what + ": " + explanation + " (" + notAHomeserver.getMessage() + ")",
          reason, name, redact(config.homeserver().toString()), notAHomeserver);
    }
  }
}
