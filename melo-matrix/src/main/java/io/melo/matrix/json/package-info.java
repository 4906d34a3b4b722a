/**
 * An immutable JSON tree for Matrix content: objects keep their key order, numbers keep their exact
 * literal (a power level {@code 100} never becomes {@code 100.0}), typed getters never throw on a
 * wrong type, and unknown fields survive a read-modify-write.
 */
package io.melo.matrix.json;
