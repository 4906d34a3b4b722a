/**
 * Benchmarks of melo-core, each measured beside a raw baseline (Moshi's token stream, a bare
 * OkHttp long-poll loop) in the same run: initial-sync ingest and its retained heap, event wake
 * latency, send to own echo, and many clients in one process. Not API.
 */
package io.melo.bench.core;
