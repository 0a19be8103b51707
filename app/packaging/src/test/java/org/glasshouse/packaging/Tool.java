package org.glasshouse.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and keeps what it printed (stdout and stderr together). */
final class Tool {

  /** A finished command: its status, its output and how long it took. */
  record Result(List<String> command, int status, String output, long millis) {
    boolean ok() {
      return status == 0;
    }

    /** The command and what it printed, for an assertion's message. */
    String why() {
      return String.join(" ", command) + " = " + status + "\n" + output;
    }
  }

  private Tool() {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of(), Path.of("."), 600);
  }

  /**
   * @param env variables added to (or, with a null value, removed from) this JVM's environment
   * @param seconds how long it may take before it is killed and reported as status -1
   */
  static Result run(List<String> command, Map<String, String> env, Path cwd, long seconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("glasshouse-test-tool", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
      env.forEach(
          (k, v) -> {
            if (v == null) {
              pb.environment().remove(k);
            } else {
              pb.environment().put(k, v);
            }
          });
      pb.redirectErrorStream(true);
      pb.redirectOutput(out.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      long t0 = System.nanoTime();
      Process p = pb.start();
      boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      return new Result(
          command, done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8), ms);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Whether {@code name} is an executable on this JVM's PATH. */
  static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
