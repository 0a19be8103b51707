package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every level's check against a real helper, twice: on a container doing the level (it passes) and
 * on the same container one level below (it fails, naming the fact that is missing). Level 00 has
 * no level below: its wrong container is level 01's. The checks read only typed inspection, so a
 * check that passed on the level below would be a check that does not check the level.
 */
@Tag("root")
class LevelCheckRealHelperTest {
  private static LevelLab helper;

  /** What a student does at each level: the command, limits and user the level needs. */
  record Doing(List<String> argv, Limits limits, String user, boolean untilExit) {}

  private static final List<String> SHELL = List.of("sleep", "60");

  // Commands both images have (busybox's applets, Debian's coreutils): sizes in bytes, no suffixes
  // (busybox's head takes "64m", coreutils' "64M").
  static final Map<Integer, Doing> DOING =
      Map.ofEntries(
          Map.entry(0, new Doing(SHELL, null, null, false)),
          Map.entry(1, new Doing(SHELL, null, null, false)),
          Map.entry(2, new Doing(SHELL, null, null, false)),
          Map.entry(3, new Doing(SHELL, null, null, false)),
          Map.entry(
              4,
              new Doing(List.of("sh", "-c", "echo hi > /etc/motd; sleep 60"), null, null, false)),
          Map.entry(5, new Doing(SHELL, null, null, false)),
          Map.entry(6, new Doing(SHELL, null, null, false)),
          Map.entry(7, new Doing(SHELL, null, null, false)),
          Map.entry(8, new Doing(SHELL, new Limits(null, null, 512, null, null), null, false)),
          Map.entry(
              9,
              new Doing(
                  List.of("sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' x)"),
                  new Limits(16L << 20, 16L << 20, null, null, null),
                  null,
                  true)),
          Map.entry(10, new Doing(SHELL, null, "1000:1000", false)),
          Map.entry(11, new Doing(SHELL, null, null, false)),
          Map.entry(
              12,
              new Doing(
                  List.of("sh", "-c", "(for i in $(seq 1 40); do sleep 30 & done; wait); sleep 60"),
                  new Limits(null, null, null, null, 16),
                  null,
                  false)),
          Map.entry(13, new Doing(SHELL, null, null, false)));

  @BeforeAll
  static void start() throws Exception {
    helper = LevelLab.startOrSkip("LevelCheckRealHelperTest");
  }

  @AfterAll
  static void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  static RunSpec spec(int level, Doing d) {
    return spec("busybox", level, d);
  }

  /** What a student runs at {@code level} with {@code image}. */
  static RunSpec spec(String image, int level, Doing d) {
    return RunSpec.builder()
        .image(image)
        .argv(d.argv())
        .env(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"))
        .level(level)
        .limits(d.limits())
        .user(d.user())
        .build();
  }

  @Test
  void everyCheckPassesAtItsLevelAndFailsOnTheLevelBelow() throws Exception {
    StringBuilder report = new StringBuilder();
    List<String> wrong = new ArrayList<>();
    for (Level level : Levels.ALL) {
      int n = level.number();
      Doing d = DOING.get(n);
      CheckOutcome right = outcome(helper, level, spec(n, d), d, true);
      CheckOutcome below = outcome(helper, level, spec(n == 0 ? 1 : n - 1, d), d, false);
      report.append(String.format("%02d right: %s%n", n, right.text().replace("\n", " | ")));
      report.append(String.format("%02d below: %s%n", n, below.text().replace("\n", " | ")));
      if (!right.passed()) {
        wrong.add(String.format("%02d failed on its own level: %s", n, right.foundInstead()));
      }
      if (below.passed()) {
        wrong.add(String.format("%02d passed on the level below", n));
      }
      assertNotNull(below.passed() ? "" : below.foundInstead());
    }
    System.out.println(report);
    assertFalse(!wrong.isEmpty(), String.join("\n", wrong) + "\n" + report);
  }

  /**
   * Runs the container and checks it: while it runs (a passing check is waited for up to 20 s: a
   * fork loop or a write takes a moment), or once it ended for a level whose fact is its end.
   */
  static CheckOutcome outcome(
      LevelLab helper, Level level, RunSpec spec, Doing d, boolean expectPass) throws Exception {
    LevelLab.Run r = helper.run(spec);
    try {
      if (d.untilExit()) {
        r.exited.get(60, java.util.concurrent.TimeUnit.SECONDS);
        return level.check().apply(level.number(), helper.evidence(r));
      }
      LevelLab.await("the container to start", Duration.ofSeconds(30), () -> r.pid > 0);
      long end = System.nanoTime() + Duration.ofSeconds(expectPass ? 20 : 3).toNanos();
      CheckOutcome o;
      do {
        // The facts settle within a moment of the start (the write, the forks).
        Thread.sleep(500);
        o = level.check().apply(level.number(), helper.evidence(r));
      } while (!o.passed() && System.nanoTime() < end);
      return o;
    } finally {
      helper.remove(r);
    }
  }
}
