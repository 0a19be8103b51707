package org.glasshouse.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Glasshouse's one answer to "am I root": the effective uid on the {@code Uid:} line of {@code
 * /proc/self/status}. The helper (its inspection's host facts, its benchmark cgroups), the CLI
 * (whether a host-only call may run without a helper) and the app (whether it starts the helper by
 * itself or through pkexec/sudo) all ask here, so they never disagree (before, the app asked who
 * owns {@code /proc/self} and fell back to the {@code user.name} property, the helper read the
 * status file). {@code LayeringTest} and the app's {@code ArchitectureTest} keep it the only one.
 */
public final class Privilege {
  private Privilege() {}

  private static final Path SELF_STATUS = Path.of("/proc/self/status");

  /**
   * Whether this process runs with effective uid 0. False when {@code /proc/self/status} cannot be
   * read or has no readable {@code Uid:} line: without proof of root, act as a user.
   */
  public static boolean runningAsRoot() {
    String status;
    try {
      status = Files.readString(SELF_STATUS);
    } catch (IOException | RuntimeException e) {
      // No /proc (or an unreadable one): nothing says root, so not root.
      return false;
    }
    return effectiveUid(status).orElse(-1) == 0;
  }

  /**
   * The effective uid — the second of the four fields (real, effective, saved, filesystem) of the
   * {@code Uid:} line — of a {@code /proc/PID/status} text; empty when the line is missing or not
   * numbers.
   */
  public static OptionalInt effectiveUid(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        String[] f = line.substring(4).trim().split("\\s+");
        try {
          return f.length >= 2 ? OptionalInt.of(Integer.parseInt(f[1])) : OptionalInt.empty();
        } catch (NumberFormatException e) {
          return OptionalInt.empty();
        }
      }
    }
    return OptionalInt.empty();
  }
}
