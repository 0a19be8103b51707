package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.app.RealHelper;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.testsupport.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The debian image runs every level: each level's container of {@link LevelCheckRealHelperTest},
 * the same command, limits and user, started from the debian image instead of busybox, passes the
 * level's check, and the same container one level below fails it. In the {@code debian} group
 * (excluded by default, as the image takes minutes to build; asking for the group lifts that):
 * {@code ./glasshouse test -pl app -am -Dgroups=debian -Dtest=LevelCheckDebianTest
 * -Dsurefire.failIfNoSpecifiedTests=false}, with the image built first ({@code ./glasshouse images
 * build debian}).
 */
@Tag("root")
@Tag("debian")
class LevelCheckDebianTest {
  private static LevelLab helper;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.require(
        Files.isRegularFile(RealHelper.imagesDir().resolve("debian.tar")),
        "needs the debian image at "
            + RealHelper.imagesDir().resolve("debian.tar")
            + " (./glasshouse images build debian)");
    helper = LevelLab.startOrSkip("LevelCheckDebianTest");
    helper.importImage("debian");
  }

  @AfterAll
  static void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  @Test
  void everyLevelRunsOnTheDebianImageAndPassesItsCheck() throws Exception {
    StringBuilder report = new StringBuilder();
    List<String> wrong = new ArrayList<>();
    for (Level level : Levels.ALL) {
      int n = level.number();
      LevelCheckRealHelperTest.Doing d = LevelCheckRealHelperTest.DOING.get(n);
      RunSpec right = LevelCheckRealHelperTest.spec("debian", n, d);
      RunSpec below = LevelCheckRealHelperTest.spec("debian", n == 0 ? 1 : n - 1, d);
      CheckOutcome passed = LevelCheckRealHelperTest.outcome(helper, level, right, d, true);
      CheckOutcome failed = LevelCheckRealHelperTest.outcome(helper, level, below, d, false);
      report.append(String.format("%02d debian: %s%n", n, passed.text().replace("\n", " | ")));
      report.append(String.format("%02d below:  %s%n", n, failed.text().replace("\n", " | ")));
      if (!passed.passed()) {
        wrong.add(String.format("%02d failed on its own level: %s", n, passed.foundInstead()));
      }
      if (failed.passed()) {
        wrong.add(String.format("%02d passed on the level below", n));
      }
    }
    System.out.println(report);
    assertTrue(wrong.isEmpty(), String.join("\n", wrong) + "\n" + report);
  }
}
