package org.glasshouse.app.levels;

import java.util.List;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * What a level check looks at: the student's container as the app knows it (its spec, how it ended,
 * its step log) and as the helper reads it from the kernel while it runs (inspection, its mount
 * table compared with the host's), next to the host's own.
 *
 * @param container the container id
 * @param spec what was asked for (level, limits, user, capabilities)
 * @param live whether it still runs (only then are the kernel facts below present)
 * @param oomKilled whether the helper reported it OOM-killed
 * @param exitCode its exit code, or null (running, or killed by a signal)
 * @param steps its step log
 * @param inside inspection of the container, with its upper directory; null when not running
 * @param mounts its mount table with the diff against the host's; null when not running
 * @param host inspection of the host; null when not read
 * @param hostMounts the host's mount table (its leak marks); null when not read
 */
public record Evidence(
    String container,
    RunSpec spec,
    boolean live,
    boolean oomKilled,
    Integer exitCode,
    List<StepEntry> steps,
    InspectResult inside,
    MountsResult mounts,
    InspectResult host,
    MountsResult hostMounts) {

  /** The level the container was run at. */
  public int level() {
    return spec == null ? -1 : spec.level();
  }

  /** Whether the kernel facts could be read: the container ran and was not gone. */
  public boolean readable() {
    return live && inside != null && !inside.gone();
  }
}
