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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An init JVM starts no process of its own before it becomes the command (issue 16: JNA's {@code
 * NativeLibrary} ran {@code /sbin/ldconfig -p} in every init JVM, a child process and a reaper
 * thread per container). Proven on a real JVM with the init's options and this test's class path:
 * the init's training run ({@link InitMain#TRAIN}: every class of the init's packages loaded, libc
 * bound, the syscall and channel warm-ups run once) logs every class it loads, and {@code
 * java.lang.ProcessImpl} is not among them. Every process a JVM starts from Java ({@code
 * Runtime.exec}, {@code ProcessBuilder}: JNA's ldconfig probe is one) is started by that class, so
 * a JVM that never loaded it started none.
 */
class InitSpawnsNoProcessTest {

  @TempDir Path tmp;

  @Test
  void theInitsTrainingRunStartsNoProcess() throws IOException, InterruptedException {
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
    String classes = read(log);
    // The log is the real one: JNA bound libc, and a class's line reads "name source: …".
    assertTrue(classes.contains("com.sun.jna.NativeLibrary "), "no JNA library in the log");
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
