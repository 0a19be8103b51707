package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.protocol.RunSpec;

/** Resolves a container's spec into the init stage's {@link InitPlan}. */
final class Plans {
  private Plans() {}

  static InitPlan plan(LinuxContainer c, RootfsFactory.Layout layout, String ptySlave, Syscalls sys)
      throws IOException {
    RunSpec spec = c.spec();
    int[] user = parseUser(spec.user());
    String workdir =
        spec.workdir() != null && !spec.workdir().isBlank()
            ? spec.workdir()
            : layout == null ? c.dir().toString() : "/";
    return new InitPlan(
        c.id(),
        spec,
        c.features(),
        layout == null ? null : layout.rootfs(),
        layout == null ? null : layout.lower(),
        layout == null ? null : layout.upper(),
        layout == null ? null : layout.work(),
        ptySlave,
        spec.hostname() == null || spec.hostname().isBlank() ? c.id() : spec.hostname(),
        user == null ? null : user[0],
        user == null ? null : user[1],
        capabilities(spec).stream().map(Capability::capName).toList(),
        capLastCap(),
        workdir,
        false);
  }

  /** {@code uid[:gid]} as numbers; gid defaults to uid. Null when not given. */
  static int[] parseUser(String user) {
    if (user == null || user.isBlank()) {
      return null;
    }
    String[] parts = user.trim().split(":", 2);
    try {
      int uid = Integer.parseInt(parts[0]);
      int gid = parts.length > 1 ? Integer.parseInt(parts[1]) : uid;
      if (uid < 0 || gid < 0) {
        throw new NumberFormatException();
      }
      return new int[] {uid, gid};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "user must be numeric uid[:gid] such as 1000:1000, got '" + user + "'", e);
    }
  }

  /** Docker's default set with the spec's capAdd and capDrop applied ({@code ALL} allowed). */
  static Set<Capability> capabilities(RunSpec spec) {
    Set<Capability> caps = EnumSet.copyOf(Capability.dockerDefault());
    for (String add : spec.capAdd() == null ? List.<String>of() : spec.capAdd()) {
      if (add.equalsIgnoreCase("ALL")) {
        caps.addAll(EnumSet.allOf(Capability.class));
      } else {
        caps.add(Capability.parse(add));
      }
    }
    for (String drop : spec.capDrop() == null ? List.<String>of() : spec.capDrop()) {
      if (drop.equalsIgnoreCase("ALL")) {
        caps.clear();
      } else {
        caps.remove(Capability.parse(drop));
      }
    }
    return caps;
  }

  private static int capLastCap() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
    } catch (IOException | NumberFormatException e) {
      return Capability.values().length - 1;
    }
  }
}
