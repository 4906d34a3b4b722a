package io.melo.spec.internal;

import java.nio.file.Path;

/**
 * A value inside a spec file with the place it came from: the file and the JSON Pointer to it.
 *
 * @param file absolute path of the JSON file
 * @param pointer JSON Pointer inside the file ("" for the whole document)
 * @param value the JSON tree at that place
 */
public record Node(Path file, String pointer, Object value) {}
