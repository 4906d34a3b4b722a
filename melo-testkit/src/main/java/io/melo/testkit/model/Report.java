package io.melo.testkit.model;

/**
 * A report of content a user sent ({@code POST /rooms/{roomId}/report/{eventId}}, {@code
 * /rooms/{roomId}/report} or {@code /users/{userId}/report}), kept for tests to inspect.
 *
 * @param reporter the reporting user
 * @param roomId the reported room, or the room of the reported event; null for a user report
 * @param eventId the reported event, or null
 * @param userId the reported user, or null
 * @param reason the reason given, or null when none was
 * @param ts when the report was made, on the homeserver's clock
 */
public record Report(String reporter, String roomId, String eventId, String userId, String reason, long ts) {}
