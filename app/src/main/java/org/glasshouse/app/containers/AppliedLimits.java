package org.glasshouse.app.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.glasshouse.app.core.Units;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;

/**
 * A run's limits and user in words, as the helper was asked to apply them: the run panel echoes
 * them after Run, and an empty field's prompt says the same words ("no limit"), so a grey hint can
 * never be mistaken for a value.
 */
public final class AppliedLimits {
  /** What an empty memory or pids field means. */
  public static final String NO_LIMIT = "no limit";

  /** What an empty CPUs field means: no CFS quota, shares alone decide under contention. */
  public static final String NO_QUOTA = "no quota";

  /** What an empty CPU shares field means. */
  public static final String KERNEL_DEFAULT = "kernel default";

  /** What an empty user field means. */
  public static final String ROOT = "root (0:0)";

  /** What an empty hostname field means: the helper names the host after the container. */
  public static final String CONTAINER_ID = "container id";

  private AppliedLimits() {}

  /** "cpu shares 1024 · cpus: no quota · memory 64.0 MiB · … · user 1000:1000". */
  public static String describe(RunSpec spec) {
    Set<Feature> on =
        spec.features() != null
            ? spec.features()
            : Feature.upTo(spec.level() == null ? 0 : spec.level());
    Limits l = spec.limits() == null ? Limits.NONE : spec.limits();
    List<String> parts = new ArrayList<>();
    if (on.contains(Feature.CGROUP_CPU)) {
      parts.add(
          l.cpuShares() == null ? "cpu shares: " + KERNEL_DEFAULT : "cpu shares " + l.cpuShares());
      parts.add(l.cpus() == null ? "cpus: " + NO_QUOTA : "cpus " + Units.ratio(l.cpus()));
    }
    if (on.contains(Feature.CGROUP_MEMORY)) {
      parts.add(bytes("memory", l.memoryBytes()));
      parts.add(bytes("mem+swap", l.memorySwapBytes()));
      // The bonus controls only when set: the usual echo stays as short as before.
      if (l.memorySoftBytes() != null) {
        parts.add(bytes("soft limit", l.memorySoftBytes()));
      }
      if (l.memorySwappiness() != null) {
        parts.add("swappiness " + l.memorySwappiness());
      }
      if (Boolean.TRUE.equals(l.oomKillDisable())) {
        parts.add("OOM killer off");
      }
      if (Boolean.TRUE.equals(l.oomGroup())) {
        parts.add("OOM group");
      }
      if (l.kernelMemoryBytes() != null) {
        parts.add(bytes("kernel memory", l.kernelMemoryBytes()));
      }
    }
    if (on.contains(Feature.CGROUP_PIDS)) {
      parts.add(l.pidsMax() == null ? "pids max: " + NO_LIMIT : "pids max " + l.pidsMax());
    }
    if (parts.isEmpty()) {
      // Its level, by number: the line echoes the selected container, which at another level
      // read "no cgroup limits at this level" under level 09's "memory 64 MiB".
      parts.add(
          spec.features() != null
              ? "no cgroup limits: no cgroup step"
              : String.format(
                  java.util.Locale.ROOT,
                  "no cgroup limits at level %02d",
                  spec.level() == null ? 0 : spec.level()));
    }
    if (on.contains(Feature.NET_NS) && spec.bridged()) {
      parts.add("network: bridge");
    }
    if (on.contains(Feature.CAPABILITIES)) {
      parts.add(
          capabilities(
              spec.capAdd() == null ? List.of() : spec.capAdd(),
              spec.capDrop() == null ? List.of() : spec.capDrop()));
    }
    boolean user = on.contains(Feature.SETUID) && spec.user() != null;
    parts.add(user ? "user " + spec.user() : "user: " + ROOT);
    return String.join(" · ", parts);
  }

  /** "capabilities: default set + CAP_SYS_ADMIN − CAP_CHOWN, CAP_KILL": level 11's set. */
  public static String capabilities(List<String> add, List<String> drop) {
    StringBuilder s = new StringBuilder("capabilities: default set");
    if (!add.isEmpty()) {
      s.append(" + ").append(String.join(", ", add));
    }
    if (!drop.isEmpty()) {
      s.append(" − ").append(String.join(", ", drop));
    }
    return s.toString();
  }

  private static String bytes(String what, Long value) {
    return value == null ? what + ": " + NO_LIMIT : what + " " + Units.bytes(value);
  }
}
