package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.runtime.seccomp.Arch;
import org.glasshouse.helper.runtime.seccomp.DefaultProfile;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
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
    InitPlan.Builder plan =
        InitPlan.builder()
            .containerId(c.id())
            .spec(spec)
            .features(c.features())
            .ptySlave(ptySlave)
            .hostname(
                spec.hostname() == null || spec.hostname().isBlank() ? c.id() : spec.hostname())
            .uid(user == null ? null : user[0])
            .gid(user == null ? null : user[1])
            .capabilities(capabilities(spec).stream().map(Capability::capName).toList())
            .capLastCap(capLastCap())
            .workdir(workdir)
            .seccomp(seccomp(c));
    if (layout != null) {
      plan.rootfs(layout.rootfs())
          .overlayLower(layout.lower())
          .overlayUpper(layout.upper())
          .overlayWork(layout.work());
    }
    return plan.build();
  }

  /** The plan of an exec into {@code parent}: its root, namespaces, user and capabilities. */
  static InitPlan execPlan(LinuxContainer c, LinuxContainer parent, String ptySlave) {
    RunSpec spec = c.spec();
    int[] user = parseUser(spec.user());
    String workdir = spec.workdir() != null && !spec.workdir().isBlank() ? spec.workdir() : "/";
    boolean rooted = parent.rootfs() != null;
    return InitPlan.builder()
        .containerId(c.id())
        .spec(spec)
        .features(c.features())
        .rootfs(rooted ? "/proc/" + parent.hostPid() + "/root" : null)
        .ptySlave(ptySlave)
        .uid(user == null ? null : user[0])
        .gid(user == null ? null : user[1])
        .capabilities(capabilities(spec).stream().map(Capability::capName).toList())
        .capLastCap(capLastCap())
        .workdir(
            rooted ? workdir : spec.workdir() != null ? spec.workdir() : parent.dir().toString())
        // Always exec mode, even without a rootfs: the container's mounts exist already, and a
        // setup step (making / private) run in a mount namespace it only joins would be wrong.
        .execMode(true)
        .targetPid(parent.hostPid())
        // An exec'd process gets the container's filter, as in Docker: else exec would be the way
        // around it.
        .seccomp(seccomp(c))
        .build();
  }

  /** The default filter, compiled once per helper, when the container's features ask for it. */
  static FilterPlan seccomp(LinuxContainer c) {
    return c.features().contains(Feature.SECCOMP)
        ? FilterPlan.of(DefaultProfile.program(Arch.host()))
        : null;
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

  /**
   * The level-11 default ({@link Capability#containerDefault}: docker's without CAP_MKNOD) with the
   * spec's capAdd and capDrop applied ({@code ALL} allowed).
   */
  static Set<Capability> capabilities(RunSpec spec) {
    Set<Capability> caps = EnumSet.copyOf(Capability.containerDefault());
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

  /**
   * /proc/sys/kernel/cap_last_cap in ONE read: sysctl files answer a read at a non-zero offset with
   * end-of-file, and Files.readString reads the first byte on its own (the file's size is 0), which
   * would give "4" for "40".
   */
  static int capLastCap() {
    try (InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/cap_last_cap"))) {
      byte[] b = new byte[32];
      int n = in.read(b);
      return Integer.parseInt(new String(b, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return Capability.values().length - 1;
    }
  }
}
