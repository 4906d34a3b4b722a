/**
 * {@code FakeHomeserver}: an in-process Matrix homeserver for tests, an implementation of the
 * Client-Server API independent of Melo's client code.
 *
 * <ul>
 *   <li>{@link io.melo.testkit.FakeHomeserver}: start one (loopback, free port), point any Matrix
 *       client at {@link io.melo.testkit.FakeHomeserver#baseUrl()}.</li>
 *   <li>Seed without HTTP: {@link io.melo.testkit.FakeHomeserver#register(String)} gives a
 *       {@link io.melo.testkit.TestUser} that creates rooms ({@link io.melo.testkit.RoomSpec}), joins,
 *       sends and sets state under the same rules a client meets.</li>
 *   <li>Inspect: {@link io.melo.testkit.FakeHomeserver#room(String)} ({@link io.melo.testkit.RoomView}),
 *       {@link io.melo.testkit.FakeHomeserver#requests()} ({@link io.melo.testkit.RecordedCall}, secrets
 *       redacted).</li>
 *   <li>Break things on purpose: {@link io.melo.testkit.FakeHomeserver#faults()}
 *       ({@link io.melo.testkit.Faults}, by {@link io.melo.testkit.Endpoint} or path).</li>
 *   <li>JUnit 5: {@link io.melo.testkit.FakeHomeserverExtension}, {@link io.melo.testkit.SharedHomeserver}.</li>
 *   <li>Standalone: {@link io.melo.testkit.Main}
 *       ({@code java -jar melo-testkit/target/melo-testkit-standalone.jar --port 8008}).</li>
 * </ul>
 */
package io.melo.testkit;
