package io.melo.spec;

/**
 * One way in which a JSON document breaks the spec.
 *
 * @param instancePath JSON Pointer into the checked document ("" for the document itself)
 * @param message what is wrong, e.g. {@code required property 'event_id' is missing}
 * @param schemaLocation the schema keyword that failed, as {@code file#pointer} relative to the spec's json/ tree
 *     ("" when the problem is not tied to a schema, e.g. the text is not JSON)
 */
public record Violation(String instancePath, String message, String schemaLocation) {

  /** One line: where in the document, what is wrong, and which schema said so. */
  @Override
  public String toString() {
    String where = instancePath.isEmpty() ? "(root)" : instancePath;
    return schemaLocation.isEmpty() ? where + ": " + message : where + ": " + message + "  [" + schemaLocation + "]";
  }
}
