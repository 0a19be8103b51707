package org.glasshouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the tests of the native clients (NativePsTest, NativeRunTest) run: the JVM CLI and a native
 * client as the launcher runs them, in one environment, and a stand-in launcher for the clients'
 * fallback.
 */
final class NativeClients {
  private NativeClients() {}

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The JVM CLI with {@code args}, as the launcher runs it. */
  static List<String> jvm(List<String> args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java(), "-cp", System.getProperty("java.class.path"), "org.glasshouse.cli.Main"));
    cmd.addAll(args);
    return cmd;
  }

  /** A native client, as the launcher runs it: {@code CLIENT LAUNCHER ARGS…}. */
  static List<String> client(Path client, Path launcher, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(client.toString(), launcher.toString()));
    cmd.addAll(args);
    return cmd;
  }

  /**
   * {@code cmd} on {@code socket} in a UTF-8 locale (no LC_ALL or LC_CTYPE), without
   * GLASSHOUSE_NATIVE, then {@code env} on top.
   */
  static ProcessBuilder process(List<String> cmd, Path socket, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GLASSHOUSE_SOCKET", socket.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().remove("LC_ALL");
    pb.environment().remove("LC_CTYPE");
    pb.environment().remove("GLASSHOUSE_NATIVE");
    pb.environment().putAll(env);
    return pb;
  }

  /**
   * Writes {@code dir/glasshouse}, the launcher's part in a fallback: the JVM CLI, only when the
   * client said so (it must set GLASSHOUSE_NATIVE=0, the launcher's guard against a loop), status
   * 99 otherwise; each call logged to {@code calls} unless that is null, so a test knows whether
   * the client handed over.
   */
  static Path launcher(Path dir, Path calls) throws IOException {
    Path launcher = dir.resolve("glasshouse");
    Files.writeString(
        launcher,
        "#!/bin/sh\n"
            + "[ \"$GLASSHOUSE_NATIVE\" = 0 ] || exit 99\n"
            + (calls == null ? "" : "echo \"$*\" >> '" + calls + "'\n")
            + "exec '"
            + java()
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' org.glasshouse.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    return launcher;
  }
}
