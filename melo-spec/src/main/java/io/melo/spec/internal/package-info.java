/**
 * Internals of melo-spec: the JSON tree reader, the spec file store, the JSON Schema checker and path templates.
 * Not API: these types may change at any time; use {@link io.melo.spec.Spec} and {@link io.melo.spec.EventSchemas}.
 */
package io.melo.spec.internal;
