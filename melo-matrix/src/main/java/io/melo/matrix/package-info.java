/**
 * A thin, typed client for the Matrix Client-Server API: requests, responses, errors, retries and the
 * {@code /sync} long-poll loop. It knows nothing of Melo's servers, channels or roles.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * MatrixConfig config = MatrixConfig.builder("https://matrix.example.org").build();
 * MatrixClient client = MatrixClient.create(config);
 * LoginResponse login = client.login(LoginRequest.password("alice", password).withRefreshToken(true)).execute();
 * // the client now acts as alice; renew expired tokens with the refresh token:
 * MatrixClient alice = MatrixClient.create(config, login.credentials(),
 *     CredentialsProvider.refreshToken(login.refreshToken().get(), store::save));
 * String roomId = alice.createRoom(CreateRoomRequest.builder().name("lobby").build()).execute();
 * alice.send(roomId, "m.room.message", content).future().thenAccept(eventId -> ...);
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>Every call is a {@link io.melo.matrix.MatrixCall}: {@code execute()}, {@code enqueue(..)} or
 *       {@code future()}; failures are one of the three kinds of {@link io.melo.matrix.MatrixException}.
 *   <li>Rate limits are waited out (bounded by the {@link io.melo.matrix.RetryPolicy}); server errors
 *       and lost answers are retried only for requests that are safe to repeat. Sends and redactions
 *       carry a transaction id that retries and copies reuse, so a message is never duplicated.
 *   <li>A rejected token is renewed once by the {@link io.melo.matrix.CredentialsProvider}, for all
 *       requests failing at the same time.
 *   <li>Tokens travel only in the {@code Authorization} header and never appear in logs, exception
 *       messages or {@code toString()}. Path parameters are percent-encoded as single segments.
 *   <li>Clients share one {@link okhttp3.OkHttpClient} through {@link io.melo.matrix.MatrixConfig};
 *       long polls run on their own dispatcher so they never starve other requests.
 *   <li>Android (minSdk 26): the build checks the API 26 signatures, but the exceptions are
 *       {@code sealed} classes and values are records, which an app's D8/R8 must understand: use the
 *       Android Gradle Plugin 8.2 or later (older R8 stops with "Sealed classes are not supported
 *       as program classes").
 * </ul>
 *
 * <p>Logging goes through slf4j: {@code io.melo.matrix.http} logs each request's method and path (no
 * query) at DEBUG and each retry at WARN.
 */
package io.melo.matrix;
