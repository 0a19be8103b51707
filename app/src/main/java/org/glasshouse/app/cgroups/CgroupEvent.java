package org.glasshouse.app.cgroups;

/**
 * A counter that went up between two readings, drawn as a marker on the time axis: an OOM kill, the
 * memory limit hit, forks rejected by pids.max.
 *
 * @param container the container id
 * @param timeMs the reading that saw the increase (epoch milliseconds)
 * @param counter {@link Metric#OOM_KILLS}, {@link Metric#MEMORY_FAILCNT} or {@link
 *     Metric#PIDS_REJECTED}
 * @param delta by how much it went up since the previous reading
 * @param total the counter's value at that reading
 * @param fromExit the helper reported the container OOM-killed when it exited, before a reading
 *     could see the counter move
 */
public record CgroupEvent(
    String container, long timeMs, Metric counter, long delta, long total, boolean fromExit) {}
