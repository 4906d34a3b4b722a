package io.melo.testkit;

/**
 * A request as it reached the fake homeserver, with secrets removed: the {@code access_token} query
 * value and secret body fields (passwords, tokens) read {@code <redacted>}, binary bodies show their
 * size only, and the {@code Authorization} header is not kept.
 *
 * @param sequence the request's number since the server started or was reset, from 1
 * @param method the HTTP method
 * @param target the request target (path and query) as sent, redacted
 * @param endpoint the endpoint it routed to, or null if it matched none
 * @param body the request body as text, redacted; empty if there was none
 * @param status the HTTP status answered (0 if the connection was dropped before any answer)
 * @param fault a description of the fault applied to it, or null
 */
public record RecordedCall(long sequence, String method, String target, Endpoint endpoint, String body,
    int status, String fault) {

  /** {@return the path part of {@link #target()}, without the query} */
  public String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }
}
