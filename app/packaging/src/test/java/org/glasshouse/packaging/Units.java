package org.glasshouse.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads an INI-style file (a systemd unit, a desktop entry) into {@code Section.Key → value}. */
final class Units {
  private Units() {}

  static Map<String, String> read(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    String section = "";
    for (String raw : Files.readAllLines(file)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
      } else if (line.contains("=")) {
        int eq = line.indexOf('=');
        out.put(section + "." + line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return out;
  }
}
