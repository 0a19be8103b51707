package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.init.InitMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an init JVM actually loads (issue 16), proven on a real JVM with the init's options and this
 * test's class path, Jackson on it: the init's training run ({@link InitMain#TRAIN}: every class of
 * the init's packages loaded, libc bound, the syscall and channel warm-ups run once, the channel's
 * codec through a whole plan) logs every class it loads, once for all the tests here.
 */
class InitTrainingRunTest {

  @TempDir static Path tmp;

  /** The training run's class-load log. */
  private static String classes;

  @BeforeAll
  static void train() throws IOException, InterruptedException {
    Path log = tmp.resolve("classes.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(RuntimeConfig.INIT_JVM_OPTIONS);
    cmd.add("-Xlog:class+load=info:file=" + log);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(InitMain.class.getName());
    cmd.add(InitMain.TRAIN);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("out.txt").toFile())
            .start();
    // A JVM start: generous for a loaded 2-core machine, and never a hang of the suite.
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the training run did not end");
    assertEquals(
        0,
        p.exitValue(),
        () -> "training run failed: " + read(tmp.resolve("out.txt")) + " " + String.join(" ", cmd));
    classes = read(log);
    // The log is the real one: the codec and JNA's library were loaded and are in it.
    assertTrue(classes.contains("org.glasshouse.helper.plan.InitCodec "), "no codec in the log");
    assertTrue(classes.contains("com.sun.jna.NativeLibrary "), "no JNA library in the log");
  }

  /**
   * No Jackson class (its loading and first use were 170-460 ms of an init's CPU). {@code
   * LayeringTest} keeps the source from depending on Jackson; this is what the JVM actually did.
   */
  @Test
  void theInitLoadsNoJackson() {
    List<String> jackson =
        classes.lines().filter(l -> l.contains("com.fasterxml")).limit(5).toList();
    assertEquals(List.of(), jackson, "an init JVM loaded Jackson");
  }

  /**
   * No process of its own before it becomes the command (JNA's {@code NativeLibrary} ran {@code
   * /sbin/ldconfig -p} in every init JVM: a child process and a reaper thread per container). Every
   * process a JVM starts from Java ({@code Runtime.exec}, {@code ProcessBuilder}: JNA's ldconfig
   * probe is one) is started by {@code java.lang.ProcessImpl}, so a JVM that never loaded it
   * started none.
   */
  @Test
  void theInitStartsNoProcess() {
    List<String> spawned =
        classes.lines().filter(l -> l.contains(" java.lang.ProcessImpl ")).limit(3).toList();
    assertEquals(List.of(), spawned, "an init JVM started a process");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + p + " unreadable: " + e.getMessage() + ")";
    }
  }
}
