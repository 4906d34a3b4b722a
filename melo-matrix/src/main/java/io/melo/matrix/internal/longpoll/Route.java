package io.melo.matrix.internal.longpoll;

import java.util.List;
import java.util.Objects;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.X509TrustManager;
import okhttp3.CertificatePinner;
import okhttp3.ConnectionSpec;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Where a connection goes and with which security settings: connections are only reused for the
 * same route, so two OkHttpClients that trust different certificates never share one.
 */
final class Route {

  final String host;
  final int port;
  final boolean tls;
  final Dns dns;
  final X509TrustManager trustManager;
  final HostnameVerifier hostnameVerifier;
  final CertificatePinner certificatePinner;
  final ConnectionSpec tlsSpec;

  Route(HttpUrl url, OkHttpClient http) {
    this.host = url.host();
    this.port = url.port();
    this.tls = url.isHttps();
    this.dns = http.dns();
    this.trustManager = tls ? http.x509TrustManager() : null;
    this.hostnameVerifier = tls ? http.hostnameVerifier() : null;
    this.certificatePinner = tls ? http.certificatePinner() : null;
    this.tlsSpec = tls ? tlsSpec(http.connectionSpecs()) : null;
  }

  /** The first TLS connection spec of a client, or null when it has none. */
  static ConnectionSpec tlsSpec(List<ConnectionSpec> specs) {
    for (ConnectionSpec spec : specs) {
      if (spec.isTls()) {
        return spec;
      }
    }
    return null;
  }

  /** The {@code Host} header: the host (bracketed if IPv6), and the port if not the default. */
  String hostHeader() {
    String name = host.contains(":") ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? name : name + ":" + port;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Route)) {
      return false;
    }
    Route that = (Route) other;
    return port == that.port
        && tls == that.tls
        && host.equals(that.host)
        && dns == that.dns
        && trustManager == that.trustManager
        && hostnameVerifier == that.hostnameVerifier
        && Objects.equals(certificatePinner, that.certificatePinner)
        && Objects.equals(tlsSpec, that.tlsSpec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, tls, System.identityHashCode(trustManager));
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + hostHeader();
  }
}
