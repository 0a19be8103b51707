package org.glasshouse.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a whole GNU/ustar tarball into memory: enough to check what an image recipe wrote. */
final class TarReader {

  /** One member; names without a trailing slash. */
  record Entry(
      String name,
      char type,
      int mode,
      int uid,
      int gid,
      long mtime,
      String linkName,
      byte[] content) {}

  private TarReader() {}

  static Map<String, Entry> read(Path tar) throws IOException {
    byte[] t = Files.readAllBytes(tar);
    Map<String, Entry> entries = new LinkedHashMap<>();
    String longName = null;
    for (int h = 0; h + 512 <= t.length; ) {
      if (t[h] == 0) {
        break; // the first of the two zero blocks that end the archive
      }
      long size = octal(t, h + 124, 12);
      char type = (char) t[h + 156];
      byte[] content = Arrays.copyOfRange(t, h + 512, (int) (h + 512 + size));
      int next = h + 512 + (int) ((size + 511) / 512 * 512);
      if (type == 'L') { // GNU long name: the name of the next member
        longName = string(content, 0, content.length);
      } else {
        String name = longName != null ? longName : string(t, h, 100);
        longName = null;
        name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        entries.put(
            name,
            new Entry(
                name,
                type,
                (int) octal(t, h + 100, 8),
                (int) octal(t, h + 108, 8),
                (int) octal(t, h + 116, 8),
                octal(t, h + 136, 12),
                string(t, h + 157, 100),
                content));
      }
      h = next;
    }
    return entries;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    String s = string(b, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
