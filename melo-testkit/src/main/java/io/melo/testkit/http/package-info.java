/**
 * The HTTP side of {@code FakeHomeserver}: routing, request parsing and the mockwebserver3 dispatcher.
 * Internal: not API, may change without notice; use {@link io.melo.testkit.FakeHomeserver}.
 */
package io.melo.testkit.http;
