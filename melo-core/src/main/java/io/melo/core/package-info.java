/**
 * Melo's domain API: servers, channels, members, roles, messages and conversations on any stock
 * Matrix homeserver, with typed live events.
 *
 * <p>A {@link io.melo.core.MeloClient} acts for one user. Every operation returns a
 * {@link io.melo.core.MeloCall}: run it with {@code execute()} (blocking), {@code enqueue(..)}
 * or {@code future()}.
 *
 * <pre>{@code
 * MeloConfig config = MeloConfig.builder("https://matrix.example.org").build();
 * try (MeloClient melo = MeloClient.login(config, "@alice:example.org", password).execute()) {
 *   Server hq = melo.createServer("Melo HQ").execute();
 *   Channel design = melo.createChannel(hq.id(), "design", ChannelType.TEXT).execute();
 *   melo.on(MessageCreated.class, EventScope.channel(design.id()),
 *       e -> System.out.println(e.message().senderId() + ": " + e.message().body()));
 *   melo.sendText(design.id(), "first!").execute();
 *   String shareable = hq.invite().get().alias(config.namespace());   // #io.melo.invite.<code>:<server>
 * }
 * }</pre>
 *
 * <p>The protocol mapping is fixed by DESIGN.md so that apps built on Melo interoperate: a
 * server is a space, a channel a restricted room of it, a role a power level (ADMIN 100,
 * MODERATOR 50, GUEST 0; the owner holds 101), a conversation a direct room recorded in
 * {@code m.direct}. Melo's own rules (who may manage channels, change roles, edit or delete
 * messages) are checked before any request and break with a
 * {@link io.melo.core.RuleViolationException}; the homeserver's power levels stay the final word.
 *
 * <p>Failures are {@link io.melo.core.MeloException}s, sorted by who has to act. App bugs (null or
 * blank arguments, malformed ids) are {@link java.lang.IllegalArgumentException}s at the call.
 */
package io.melo.core;
