package io.melo.matrix.internal.longpoll;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * {@link ByteBuffer} moves through {@link Buffer}: Java 9 added covariant overrides of these
 * methods to ByteBuffer, which Android API 26 lacks, so a call compiled against them would fail
 * there with {@code NoSuchMethodError}.
 */
final class Buffers {

  private Buffers() {}

  static void flip(ByteBuffer buffer) {
    ((Buffer) buffer).flip();
  }

  static void clear(ByteBuffer buffer) {
    ((Buffer) buffer).clear();
  }

  static void position(ByteBuffer buffer, int position) {
    ((Buffer) buffer).position(position);
  }
}
