/**
 * JSON for the fake homeserver: strict parsing into plain maps and lists with exact integers,
 * serialisation back, canonical JSON for hashing, and typed field access that names the field
 * at fault. Built on Moshi's streaming reader and writer; shares nothing with Melo's client.
 */
package io.melo.testkit.json;
