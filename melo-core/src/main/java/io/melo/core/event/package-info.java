/**
 * Melo's live events: a sealed tree of records delivered in sync order to {@link
 * io.melo.core.event.MeloListener}s, either all of them, per type, or per server or channel
 * ({@link io.melo.core.event.EventScope}).
 */
package io.melo.core.event;
