package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fixture files captured on the development machine (see src/test/resources/…/fixtures). */
public final class Fixtures {

  private Fixtures() {}

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies the named fixture files (relative to fixtures/dir) into {@code target}. */
  static void copyDir(String dir, Path target, String... names) throws IOException {
    Files.createDirectories(target);
    for (String n : names) {
      Files.writeString(target.resolve(n), text(dir + "/" + n));
    }
  }
}
