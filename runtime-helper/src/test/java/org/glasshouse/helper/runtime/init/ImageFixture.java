package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The root filesystem the init stage's unit tests run against: what the ladder opens in it. */
final class ImageFixture {
  private ImageFixture() {}

  /** Makes {@code /proc}, {@code /sys}, {@code /dev} and {@code /bin} under {@code root}. */
  static void create(Path root) throws IOException {
    for (String d : List.of("proc", "sys", "dev", "bin")) {
      Files.createDirectories(root.resolve(d));
    }
    // What a mounted /proc shows, so the masked paths find something to mask.
    Files.createFile(root.resolve("proc/kcore"));
  }
}
