/**
 * The fake homeserver's state and logic, without HTTP: accounts, devices and tokens, rooms and
 * their event graphs, the spec's authorization rules and redaction algorithm for room versions 10
 * and 11, and the sync streams. {@link io.melo.testkit.model.Homeserver} is the facade; the HTTP
 * layer authenticates with {@code authenticate}, calls one method per endpoint and writes the
 * returned map, or the thrown {@link io.melo.testkit.model.MatrixError}'s status and body.
 *
 * <h2>How it models a homeserver</h2>
 *
 * <ul>
 *   <li>One lock guards all state; every change raises a global stream position and signals one
 *       condition. A long poll ({@code sync} with a timeout, {@code awaitChange}) waits on that
 *       condition and wakes at once for a change that concerns its user, on {@link
 *       io.melo.testkit.model.Clock#advance} and on {@code close()}; it never polls.
 *   <li>Tokens ({@code next_batch}, {@code prev_batch}, {@code /messages} {@code start}/{@code end})
 *       are {@code s<position>_<server instance>}: they survive any number of syncs, work for both
 *       sync and pagination, and a token that is malformed, from another server instance or ahead
 *       of the server is 400 {@code M_INVALID_PARAM} (the spec names no error for {@code /sync}).
 *   <li>Each room has a linear event graph (one previous event each). Event ids have the current
 *       format: {@code $} + unpadded URL-safe base64 of the SHA-256 of the canonical JSON of the
 *       redacted event, like the spec's reference hash; the fake does not sign events, so the
 *       hashed event has a content hash but no signatures (an approximation that keeps ids unique
 *       and well-formed). {@code origin_server_ts} comes from the clock.
 *   <li>Every event passes the authorization rules against the state before it; refusals are 403
 *       {@code M_FORBIDDEN} with the reason. Redacting another user's event needs the {@code redact}
 *       level (checked when sending, as Synapse does). Third-party invites and federation are not
 *       supported.
 *   <li>History visibility: own membership events are always visible; {@code world_readable} to
 *       all; {@code shared} to users joined at or after the event (so a current member sees the
 *       whole history, a user who left sees up to their leave); {@code invited} from the invite on;
 *       {@code joined} from the join on.
 *   <li>Unread counts and {@code GET /notifications} follow each user's push rules (the spec's
 *       default set as of v1.12, changed through the push-rules API), evaluated when an event
 *       arrives; counts start after the user's latest read receipt and join, and are split by thread
 *       when the sync filter sets {@code unread_thread_notifications}. Presence times out on the
 *       clock (see {@code PresenceTimeouts}).
 * </ul>
 */
package io.melo.testkit.model;
