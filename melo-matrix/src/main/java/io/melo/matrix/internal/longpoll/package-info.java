/**
 * Not API: the non-blocking HTTP/1.1 client behind {@link io.melo.matrix.LongPollTransport}. One
 * selector thread serves every connection (plain or TLS through {@link javax.net.ssl.SSLEngine});
 * DNS lookups, TLS delegated tasks and answer delivery run on a small bounded pool. It only sends
 * {@code GET} long polls; everything in here may change without notice.
 */
package io.melo.matrix.internal.longpoll;
