/**
 * The {@code /sync} long poll: the request ({@link io.melo.matrix.sync.SyncRequest},
 * {@link io.melo.matrix.sync.Filter}), the typed response and its streaming parser
 * ({@link io.melo.matrix.sync.SyncResponse}, {@link io.melo.matrix.sync.SyncResponseParser}), and the
 * loop that keeps syncing ({@link io.melo.matrix.sync.SyncLoop}) with its since-token store, and the
 * shared threads event-driven loops run on ({@link io.melo.matrix.sync.SyncRuntime}).
 */
package io.melo.matrix.sync;
