/**
 * Matrix events as they come from the homeserver ({@link io.melo.matrix.event.RoomEvent},
 * {@link io.melo.matrix.event.StrippedStateEvent}, {@link io.melo.matrix.event.BasicEvent}) and typed
 * records for the event contents Melo uses. Every content record reads with {@code from(JsonObject)}
 * and writes with {@code toJson()}; fields it does not know are kept in {@code extra()} and written
 * back, so a read-modify-write never drops another client's data. Unknown event types, msgtypes,
 * memberships and enum values never throw.
 */
package io.melo.matrix.event;
