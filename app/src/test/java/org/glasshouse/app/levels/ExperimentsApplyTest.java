package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * "Try it" sets what its experiment needs and nothing else: a student who set the level's other
 * limits keeps them, and the run panel says what Try it changed (the last class walk found level
 * 12's fork bomb running with the memory limit, CPU shares and user the student had set all gone).
 */
class ExperimentsApplyTest {
  private final RunViewModel run =
      new RunViewModel(new ContainersViewModel(new FakeLabService(), Runnable::run));

  @Test
  void aTryItThatShowsMountsKeepsItsContainerRunning() {
    // The Mounts tab shows a running container's table (and Check reads a running one): a Try
    // it that points there and ends at once leaves "not running: its mount table went with its
    // last process" on the left and "not running any more" under Check (01-ls did).
    for (Experiments.TryIt t : Experiments.ALL.values()) {
      if (t.view() == org.glasshouse.app.core.Navigator.View.MOUNTS) {
        String c = t.command();
        assertTrue(
            c.equals("/bin/sh") || c.endsWith("; exec sh\""),
            t.id() + " shows Mounts but its command ends at once: " + c);
      }
    }
  }

  @Test
  void theForkBombSetsPidsMaxAndKeepsTheStudentsOtherLimits() {
    run.levelProperty().set(12);
    run.memoryMibProperty().set("128");
    run.cpuSharesProperty().set("512");
    run.userProperty().set("1000:1000");
    String note = Experiments.apply(Experiments.ALL.get("12-fork-bomb"), run);
    RunSpec s = run.spec();
    assertEquals(32, s.limits().pidsMax(), "the experiment's pids max");
    assertEquals(128L << 20, s.limits().memoryBytes(), "the student's memory limit is kept");
    assertEquals(512, s.limits().cpuShares(), "the student's CPU shares are kept");
    assertEquals("1000:1000", s.user(), "the student's user is kept");
    assertEquals(
        "Try it 12-fork-bomb: level 12; your other settings are kept.",
        note,
        "pids max was 32 already: nothing changed");
    assertEquals(note, run.tryItNoteProperty().get(), "the run panel shows it");
  }

  @Test
  void theNoteSaysWhatChangedAndWhatItWas() {
    run.levelProperty().set(9);
    run.cpuSharesProperty().set("256");
    run.memorySwapMibProperty().set("");
    String note = Experiments.apply(Experiments.ALL.get("09-oom"), run);
    assertEquals("256", run.cpuSharesProperty().get(), "CPU shares are not the experiment's");
    assertEquals("16", run.memoryMibProperty().get());
    assertEquals("16", run.memorySwapMibProperty().get());
    assertTrue(note.contains("memory 16 MiB (was 64 MiB)"), note);
    assertTrue(note.contains("mem+swap 16 MiB (was no limit)"), note);
    assertFalse(note.contains("CPU shares"), note);
    assertTrue(note.endsWith("your other settings are kept."), note);
  }

  @Test
  void aLessonAboutRootRunsAsRootAndSaysSo() {
    run.levelProperty().set(11);
    run.userProperty().set("1000:1000"); // the student's own choice: the lesson still needs root
    run.capAdd().setAll("CAP_SYS_ADMIN");
    String note = Experiments.apply(Experiments.ALL.get("11-hostname"), run);
    RunSpec s = run.spec();
    assertNull(s.user(), "hostname x must fail as root, for want of CAP_SYS_ADMIN");
    assertNull(s.capAdd(), "and without the capability the student had added back");
    assertTrue(note.contains("user: root (0:0) (was 1000:1000)"), note);
    assertTrue(note.contains("capabilities: the level's set"), note);
  }

  @Test
  void anotherLevelBringsThatLevelsDefaultsThenTheExperimentsFields() {
    run.levelProperty().set(3);
    String note = Experiments.apply(Experiments.ALL.get("08-quota"), run);
    assertEquals(8, run.levelProperty().get());
    assertEquals("1024", run.cpuSharesProperty().get(), "level 08's default shares");
    assertEquals("0.5", run.cpusProperty().get());
    assertTrue(note.startsWith("Try it 08-quota: level 08 with its defaults, set CPUs 0.5"), note);
    run.levelProperty().set(7);
    assertEquals("", run.tryItNoteProperty().get(), "another level puts the note away");
  }

  /**
   * Every experiment, applied over a panel whose every field a student filled in at that level,
   * sends the values the experiment names and the student's for the rest.
   */
  @Test
  void everyExperimentSetsItsOwnFieldsOnly() {
    List<String> wrong = new ArrayList<>();
    for (Experiments.TryIt t : Experiments.ALL.values()) {
      RunViewModel p =
          new RunViewModel(new ContainersViewModel(new FakeLabService(), Runnable::run));
      p.levelProperty().set(t.level());
      for (Experiments.Setting s : Experiments.Setting.values()) {
        s.set(p, student(s));
      }
      Experiments.apply(t, p);
      for (Experiments.Setting s : Experiments.Setting.values()) {
        String want = t.setting(s) == null ? student(s) : t.setting(s);
        if (!want.equals(s.get(p))) {
          wrong.add(t.id() + " " + s + ": " + s.get(p) + ", wanted " + want);
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  private static String student(Experiments.Setting s) {
    return switch (s) {
      case OOM_KILL_DISABLE, OOM_GROUP, BRIDGE -> "true";
      case USER -> "1234:1234";
      case HOSTNAME -> "mine";
      case SWAPPINESS -> "7";
      default -> "99";
    };
  }
}
