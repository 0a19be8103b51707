package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The debian image ({@code images/debian/build.sh}). Building it reaches Debian's archive through
 * the host's apt sources and takes minutes, so it builds only when asked: {@code ./glasshouse test
 * -pl runtime-helper -am -Dgroups=debian} (the tag selects these tests alone; the parent POM's
 * {@code debian-tests} profile lifts the default exclusion of the group for that request) builds it
 * when it is missing, {@code GLASSHOUSE_BUILD_DEBIAN=1} again. A container of it runs {@code
 * stress-ng} whenever the image is there, built now or before.
 */
@Tag("root")
@Tag("debian")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianImageTest {

  private static final Path TAR = TestSupport.imagesDir().resolve("debian.tar");

  @Test
  @Order(1)
  void theRecipeBuildsTheImageWithItsToolsWhenAsked() throws Exception {
    // Selecting the "debian" group (excluded by default) is the request; the minutes of a build
    // are spent again only when the image is missing or GLASSHOUSE_BUILD_DEBIAN=1 asks for it.
    boolean build =
        "1".equals(System.getenv("GLASSHOUSE_BUILD_DEBIAN")) || !Files.isRegularFile(TAR);
    if (build) {
      TestSupport.require(TestSupport.isRoot(), "mmdebstrap's root mode needs root");
      buildImage();
    } else {
      System.out.println("DebianImageTest: checking the existing " + TAR);
    }
    checkContents();
  }

  private static void buildImage() throws Exception {
    Path recipe =
        Path.of(System.getProperty("basedir", ""))
            .toAbsolutePath()
            .getParent()
            .resolve("images/debian/build.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", recipe.toString()).redirectErrorStream(true);
    pb.environment().put("GLASSHOUSE_IMAGES", TestSupport.imagesDir().toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.MINUTES), "the recipe took more than 30 minutes");
    assertEquals(0, p.exitValue(), out);
    System.out.printf(
        "DebianImageTest: built in %d s, %d MiB%n",
        (System.nanoTime() - t0) / 1_000_000_000L, Files.size(TAR) >> 20);
    assertTrue(out.strip().endsWith(TAR.toString()), "the recipe prints the tarball: " + out);
  }

  private static void checkContents() throws Exception {
    Set<String> names = new HashSet<>();
    Process list = new ProcessBuilder("tar", "-tf", TAR.toString()).start();
    try (var r = list.inputReader(StandardCharsets.UTF_8)) {
      r.lines().forEach(names::add);
    }
    assertTrue(list.waitFor(60, TimeUnit.SECONDS) && list.exitValue() == 0, "tar -tf");
    // Merged /usr (Debian 12 on): /bin is a link to usr/bin, so sh is usr/bin/sh in the tarball.
    for (String tool :
        List.of("usr/bin/stress-ng", "usr/bin/ip", "usr/bin/ps", "usr/bin/python3", "usr/bin/sh")) {
      assertTrue(names.contains(tool), tool + " in the image");
    }
    // Level 04's copy-up experiment copies it up (GuideExperimentsTest checks its 16 MiB there).
    assertTrue(names.contains("usr/share/big-file"), "usr/share/big-file in the image");
    assertTrue(
        names.stream().noneMatch(n -> n.startsWith("dev/") && !n.equals("dev/")),
        "no device nodes: the store refuses them");
  }

  @Test
  @Order(2)
  void aContainerOfItRunsStressNgAtEveryLevelsSteps() throws Exception {
    TestSupport.require(
        Files.isRegularFile(TAR),
        "needs the debian image at " + TAR + " (glasshouse images build debian)");
    try (RootHarness h = new RootHarness()) {
      // Level 13: every step, seccomp's default filter included; no limits, so the stressor's
      // own figures are the machine's.
      RootHarness.Result r =
          h.runAndRemove(
              RootHarness.plain(
                  "debian",
                  13,
                  Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
                  "stress-ng",
                  "--cpu",
                  "1",
                  "--timeout",
                  "2",
                  "--metrics-brief"));
      assertEquals(0, r.status().shellStatus(), r.toString());
      assertTrue((r.out() + r.err()).contains("successful run completed"), r.toString());
      System.out.println("DebianImageTest: stress-ng in a level-13 debian container:\n" + r.err());
    }
  }
}
