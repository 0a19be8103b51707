package org.glasshouse.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.testsupport.Prerequisites;

/**
 * The .deb, built once per test JVM by {@code app/packaging/build-deb.sh} from what the reactor
 * just packaged (gzip: the same contents as the release's xz, in a fraction of the CPU time), then
 * listed and extracted under {@code target/deb}. Skips the tests, with the reason, where a .deb
 * cannot be built: no dpkg-deb, no jlink or jmods, no busybox image.
 */
final class Deb {
  /** The repository (this module's parent). */
  static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();

  static final Path OUT = Path.of("target/deb").toAbsolutePath();

  private static Deb built;

  /** The package file. */
  final Path file;

  /** Its files, extracted (dpkg-deb -x). */
  final Path root;

  /** {@code dpkg-deb -c}: one line per entry. */
  final List<String> listing;

  /** {@code dpkg-deb -f}: the control fields. */
  final Map<String, String> control;

  /** How long build-deb.sh took, in ms. */
  final long buildMillis;

  private Deb(Path file, Path root, List<String> listing, Map<String, String> control, long ms) {
    this.file = file;
    this.root = root;
    this.listing = listing;
    this.control = control;
    this.buildMillis = ms;
  }

  /** The package, built on first use. */
  static synchronized Deb get() throws IOException, InterruptedException {
    if (built != null) {
      return built;
    }
    Prerequisites.require(Tool.onPath("dpkg-deb"), "no dpkg-deb (not a Debian system)");
    Path javaHome = Path.of(System.getProperty("java.home"));
    Prerequisites.require(
        Files.isDirectory(javaHome.resolve("jmods"))
            && Files.isExecutable(javaHome.resolve("bin/jlink")),
        "" + javaHome + " has no jlink or jmods (openjdk-17-jdk-headless has both)");
    String images = System.getenv("GLASSHOUSE_IMAGES");
    Path busybox =
        (images == null || images.isBlank() ? REPO.resolve("build/images") : Path.of(images))
            .resolve("busybox.tar");
    Prerequisites.require(
        Files.isRegularFile(busybox),
        "no busybox image at " + busybox + " (./glasshouse images build busybox)");
    Tool.Result r =
        Tool.run(
            List.of(
                "bash",
                REPO.resolve("app/packaging/build-deb.sh").toString(),
                "--out",
                OUT.toString(),
                "--compress",
                "gzip"),
            Map.of("JAVA_HOME", javaHome.toString()),
            REPO,
            1200);
    assertTrue(r.ok(), r.why());
    String[] lines = r.output().strip().split("\n");
    Path file = Path.of(lines[lines.length - 1]);
    System.out.println(
        "packaging: built "
            + file.getFileName()
            + " ("
            + Files.size(file) / 1024
            + " KiB, gzip) in "
            + r.millis()
            + " ms:\n"
            + r.output().strip());
    Path root = OUT.resolve("root");
    Tool.run(List.of("rm", "-rf", root.toString()));
    Tool.Result x = Tool.run(List.of("dpkg-deb", "-x", file.toString(), root.toString()));
    assertTrue(x.ok(), x.why());
    Tool.Result c = Tool.run(List.of("dpkg-deb", "-c", file.toString()));
    assertTrue(c.ok(), c.why());
    Tool.Result f = Tool.run(List.of("dpkg-deb", "-f", file.toString()));
    assertTrue(f.ok(), f.why());
    Map<String, String> control = new LinkedHashMap<>();
    String key = null;
    for (String line : f.output().split("\n")) {
      if (!line.startsWith(" ") && line.contains(":")) {
        key = line.substring(0, line.indexOf(':'));
        control.put(key, line.substring(line.indexOf(':') + 1).strip());
      } else if (key != null) {
        control.merge(key, "\n" + line, String::concat);
      }
    }
    built = new Deb(file, root, Arrays.asList(c.output().strip().split("\n")), control, r.millis());
    return built;
  }

  /** The listing's entry for {@code path} ({@code ./usr/bin/glasshouse}), or null. */
  String entry(String path) {
    for (String line : listing) {
      String[] f = line.split("\\s+", 6);
      String name = f[5].contains(" -> ") ? f[5].substring(0, f[5].indexOf(" -> ")) : f[5];
      if (name.equals(path) || name.equals(path + "/")) {
        return line;
      }
    }
    return null;
  }
}
