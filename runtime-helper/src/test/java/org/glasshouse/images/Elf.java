package org.glasshouse.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Just enough ELF to tell a static executable: no PT_INTERP program header, so no loader. */
final class Elf {

  private static final int PT_INTERP = 3;

  private Elf() {}

  static boolean isStaticExecutable(Path file) throws IOException {
    return Files.isRegularFile(file) && isStaticExecutable(Files.readAllBytes(file));
  }

  static boolean isStaticExecutable(byte[] bytes) {
    if (bytes.length < 64
        || bytes[0] != 0x7f
        || bytes[1] != 'E'
        || bytes[2] != 'L'
        || bytes[3] != 'F') {
      return false;
    }
    boolean is64 = bytes[4] == 2;
    ByteBuffer b =
        ByteBuffer.wrap(bytes)
            .order(bytes[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    long phoff = is64 ? b.getLong(0x20) : Integer.toUnsignedLong(b.getInt(0x1c));
    int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x36 : 0x2a));
    int phnum = Short.toUnsignedInt(b.getShort(is64 ? 0x38 : 0x2c));
    if (phnum == 0 || phoff + (long) phentsize * phnum > bytes.length) {
      return false;
    }
    for (int i = 0; i < phnum; i++) {
      if (b.getInt((int) (phoff + (long) i * phentsize)) == PT_INTERP) {
        return false;
      }
    }
    return true;
  }
}
