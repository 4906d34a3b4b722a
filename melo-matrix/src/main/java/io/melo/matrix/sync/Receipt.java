package io.melo.matrix.sync;

/**
 * One read receipt from an {@code m.receipt} ephemeral event.
 *
 * @param eventId the event read up to
 * @param receiptType {@code m.read}, {@code m.read.private}, or another type as sent
 * @param userId who read
 * @param timestamp when, in milliseconds since the epoch; null when not sent
 * @param threadId the thread ({@code main} for the main timeline); null for an unthreaded receipt
 */
public record Receipt(String eventId, String receiptType, String userId, Long timestamp, String threadId) {}
