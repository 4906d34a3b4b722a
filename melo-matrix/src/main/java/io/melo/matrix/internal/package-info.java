/**
 * Implementation of melo-matrix: OkHttp glue, retries, path encoding and hand-written Moshi codecs.
 * Not API: anything here may change without notice, even though some types are public for technical
 * reasons.
 */
package io.melo.matrix.internal;
