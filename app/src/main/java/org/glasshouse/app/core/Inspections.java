package org.glasshouse.app.core;

import java.util.List;
import java.util.Optional;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.ProcessInfo;

/**
 * Facts read off an {@link InspectResult} that more than one view needs, null-safe: a result may be
 * partial (a process that was gone, a helper that left a part out).
 */
public final class Inspections {
  private Inspections() {}

  /** The container's cgroup usage and limits, when the result has them. */
  public static Optional<CgroupStats> stats(InspectResult r) {
    return Optional.ofNullable(r).map(InspectResult::cgroup).map(InspectResult.CgroupView::stats);
  }

  /** The hostname in its UTS namespace, or null. */
  public static String hostname(InspectResult r) {
    return r == null || r.network() == null ? null : r.network().hostname();
  }

  /**
   * The process that is PID 1 as seen from inside: the one whose innermost pid (the last of its
   * NSpid chain) is 1. Without a PID namespace of its own a container has none of its own: its PID
   * 1 is the host's.
   */
  public static Optional<ProcessInfo> pid1(InspectResult r) {
    if (r == null || r.processes() == null) {
      return Optional.empty();
    }
    for (ProcessInfo p : r.processes()) {
      List<Long> ns = p.nsPids();
      if (ns != null && !ns.isEmpty() && ns.get(ns.size() - 1) == 1) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@link #pid1}'s command line (its name when argv is empty), or null. */
  public static String pid1Command(InspectResult r) {
    return pid1(r).map(Inspections::command).orElse(null);
  }

  /** argv joined by spaces; the command name for a process without argv (a kernel thread). */
  public static String command(ProcessInfo p) {
    String argv = p.cmdline() == null ? "" : String.join(" ", p.cmdline());
    return argv.isBlank() ? p.name() : argv;
  }
}
