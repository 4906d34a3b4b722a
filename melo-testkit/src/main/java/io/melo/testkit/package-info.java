/**
 * {@code FakeHomeserver}: an in-process Matrix homeserver for tests, an implementation of the
 * Client-Server API independent of Melo's client code.
 */
package io.melo.testkit;
