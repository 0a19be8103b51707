package org.glasshouse.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The busybox image recipe ({@code images/busybox/build.sh}): built twice, it gives the same bytes,
 * and the tarball holds what containers rely on. Needs a static busybox at /bin/busybox (Debian's
 * busybox-static); skipped with the reason otherwise.
 */
@Tag("image")
class BusyboxImageTest {

  private static final Path REPO =
      Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
  private static final Path RECIPE = REPO.resolve("images/busybox/build.sh");

  @BeforeAll
  static void needsAStaticBusybox() throws IOException {
    TestSupport.require(
        Elf.isStaticExecutable(Path.of("/bin/busybox")),
        "BusyboxImageTest needs a static /bin/busybox (apt-get install -y busybox-static)");
    TestSupport.require(Files.isExecutable(RECIPE), "the image recipe is not at " + RECIPE);
  }

  private static Path build(Path imagesDir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", RECIPE.toString()).redirectErrorStream(true);
    pb.environment().put("GLASSHOUSE_IMAGES", imagesDir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "recipe timed out");
    assertEquals(0, p.exitValue(), out);
    Path tar = imagesDir.resolve("busybox.tar");
    assertTrue(out.strip().endsWith(tar.toString()), "recipe must print the tarball path: " + out);
    return tar;
  }

  @Test
  void twoBuildsAreByteIdenticalAndHoldAWorkingRootfs(@TempDir Path a, @TempDir Path b)
      throws Exception {
    Path first = build(a);
    Path second = build(b);
    assertEquals(-1, Files.mismatch(first, second), "two builds differ");

    Map<String, TarReader.Entry> entries = TarReader.read(first);

    TarReader.Entry busybox = entries.get("bin/busybox");
    assertEquals('0', busybox.type(), "bin/busybox must be a regular file");
    assertEquals(0755, busybox.mode());
    assertTrue(Elf.isStaticExecutable(busybox.content()), "bin/busybox in the image is not static");

    // Every applet busybox knows is a relative link that resolves to /bin/busybox in the image.
    String applets = run("/bin/busybox", "--list-full");
    int links = 0;
    for (String applet : applets.strip().split("\n")) {
      if (applet.equals("bin/busybox")) {
        continue;
      }
      TarReader.Entry e = entries.get(applet);
      assertTrue(e != null && e.type() == '2', applet + " is not a symlink in the image");
      assertTrue(!e.linkName().startsWith("/"), applet + " links to an absolute path");
      Path resolved = Path.of("/" + applet).getParent().resolve(e.linkName()).normalize();
      assertEquals(Path.of("/bin/busybox"), resolved, applet + " -> " + e.linkName());
      links++;
    }
    assertTrue(links > 100, "only " + links + " applets");
    assertEquals("../bin/busybox", entries.get("bin/sh").linkName());

    String passwd = new String(entries.get("etc/passwd").content(), StandardCharsets.UTF_8);
    assertTrue(passwd.contains("root:x:0:0:root:/root:/bin/sh\n"), passwd);
    assertTrue(passwd.contains(":x:1000:1000:"), passwd);
    String group = new String(entries.get("etc/group").content(), StandardCharsets.UTF_8);
    assertTrue(group.contains("root:x:0:\n") && group.contains(":x:1000:"), group);

    for (String dir : new String[] {"proc", "sys", "dev", "tmp", "root", "home/student"}) {
      assertEquals('5', entries.get(dir).type(), dir + " must be a directory");
      String prefix = dir + "/";
      assertTrue(
          entries.keySet().stream().noneMatch(n -> n.startsWith(prefix)), dir + " must be empty");
    }
    TarReader.Entry big = entries.get("usr/share/big-file");
    assertTrue(big != null && big.type() == '0', "the copy-up experiment's big file is missing");
    assertEquals(16L << 20, big.content().length, "usr/share/big-file is 16 MiB");
    assertEquals(0644, big.mode());
    assertTrue(big.content()[0] != 0, "the big file has content, not a hole");
    assertEquals(01777, entries.get("tmp").mode());
    assertEquals(0700, entries.get("root").mode());
    assertEquals(1000, entries.get("home/student").uid());
    assertEquals(1000, entries.get("home/student").gid());
    for (TarReader.Entry e : entries.values()) {
      assertEquals(0, e.mtime(), e.name() + " has a build-time mtime");
      if (!e.name().equals("home/student")) {
        assertEquals(0, e.uid(), e.name() + " is not owned by root");
      }
      assertTrue(e.type() == '0' || e.type() == '2' || e.type() == '5', e.name() + ": " + e.type());
    }
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
