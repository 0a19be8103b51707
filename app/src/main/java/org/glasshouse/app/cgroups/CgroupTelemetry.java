package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * The live cgroup numbers of every container the app follows, and their last ten minutes: the one
 * place telemetry lands, read by the charts and by anything else that shows cgroup figures (the
 * glass house view's gauges read {@link #latest}). Lives on the FX thread; {@link
 * #revisionProperty()} moves once per batch of samples.
 *
 * <p>Times are the helper's (sample times); {@link #now()} maps the app's clock onto them, so a
 * chart keeps scrolling when no sample comes.
 */
public final class CgroupTelemetry {
  private final Map<String, ContainerHistory> histories = new LinkedHashMap<>();
  private final Set<String> startedHere = new HashSet<>();
  private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper();
  private final LongSupplier clock;
  private long skewMs;
  // The lags seen in the last SKEW_MEMORY_MS, each {app time, lag}, lags increasing from the first:
  // the first is the least lag of that time (a sliding minimum).
  private final java.util.ArrayDeque<long[]> lags = new java.util.ArrayDeque<>();

  /** How long a small lag is remembered: a lag that lasts longer is the helper's clock. */
  static final long SKEW_MEMORY_MS = 10_000;

  /**
   * @param clock the app's wall clock in epoch ms ({@code System::currentTimeMillis}; tests pass a
   *     fixed one)
   */
  public CgroupTelemetry(LongSupplier clock) {
    this.clock = clock;
  }

  /** One sample of one container. */
  public record Sample(String container, TelemetrySample sample) {}

  /** Adds a batch of samples (one helper tick, usually), then updates the derived series. */
  public void apply(Collection<Sample> batch) {
    for (Sample s : batch) {
      ContainerHistory h = getOrCreate(s.container());
      h.add(s.sample());
      if (!s.sample().gone()) {
        lag(clock.getAsLong(), clock.getAsLong() - s.sample().timeMs());
      }
    }
    fairShares();
    revision.set(revision.get() + 1);
  }

  /** The container's process ended ({@code oomKilled}: the OOM killer ended it). */
  public void exited(String container, boolean oomKilled) {
    ContainerHistory h = histories.get(container);
    if (h == null && oomKilled) {
      // Killed before its first reading (a 16 MiB hog on a loaded machine dies within the first
      // tenth of a second): the kill is the lesson, so it gets a history holding just that.
      h = getOrCreate(container);
    }
    if (h != null) {
      h.exited(now(), oomKilled);
      revision.set(revision.get() + 1);
    }
  }

  /**
   * The app ran this container and watched it from its start: its cgroup's counters began at zero,
   * so an OOM kill, limit hit or refused fork its first reading already counts is marked (at that
   * reading) rather than taken as the baseline. Say it before its first sample; later it changes
   * nothing.
   */
  public void startedHere(String container) {
    startedHere.add(container);
  }

  /** Drops a container (removed): its history goes with it. */
  public void forget(String container) {
    startedHere.remove(container);
    if (histories.remove(container) != null) {
      revision.set(revision.get() + 1);
    }
  }

  /** The latest reading of a container, or null when none came yet. */
  public CgroupReading latest(String container) {
    ContainerHistory h = histories.get(container);
    return h == null ? null : h.latest();
  }

  /** A container's history, or null when no sample of it came. */
  public ContainerHistory history(String container) {
    return histories.get(container);
  }

  /** Every followed container's history, in order of first sample. */
  public List<ContainerHistory> histories() {
    return new ArrayList<>(histories.values());
  }

  /** Moves by one whenever something changed. */
  public ReadOnlyLongProperty revisionProperty() {
    return revision.getReadOnlyProperty();
  }

  /**
   * The helper's "now": the app's clock minus the least lag of the samples of the last {@value
   * #SKEW_MEMORY_MS} ms. Not the lag of the last sample: one read or delivered late (eleven
   * containers followed after an app restart, one sampled behind the others) put the charts' window
   * seconds back, and newer readings of the others past its end went undrawn.
   */
  public long now() {
    return clock.getAsLong() - skewMs;
  }

  private void lag(long at, long lag) {
    while (!lags.isEmpty() && lags.peekLast()[1] >= lag) {
      lags.pollLast();
    }
    lags.addLast(new long[] {at, lag});
    while (lags.peekFirst()[0] < at - SKEW_MEMORY_MS) {
      lags.pollFirst();
    }
    skewMs = lags.peekFirst()[1];
  }

  private ContainerHistory getOrCreate(String container) {
    return histories.computeIfAbsent(
        container, k -> new ContainerHistory(k, startedHere.contains(k)));
  }

  /**
   * The CPU each busy container would get if the CPU they use together were split by their weights
   * (cpu.shares on v1, cpu.weight on v2) — what the kernel does when they compete for the same CPU.
   * Only with two or more busy containers that have a weight; a container that idles does not
   * compete and is left out.
   */
  private void fairShares() {
    List<ContainerHistory> busy = new ArrayList<>();
    double used = 0;
    double weights = 0;
    for (ContainerHistory h : histories.values()) {
      CgroupReading r = h.latest();
      if (!h.live() || r == null || r.cpuWeight() == null || r.value(Metric.CPU_USED) == null) {
        continue;
      }
      if (now() - r.timeMs() > 1_000
          || r.value(Metric.CPU_USED) < CgroupChartsViewModel.BUSY_CORES) {
        continue;
      }
      busy.add(h);
      used += r.value(Metric.CPU_USED);
      weights += r.cpuWeight();
    }
    if (busy.size() < 2 || weights <= 0) {
      return;
    }
    for (ContainerHistory h : busy) {
      h.setLatest(Metric.CPU_FAIR_SHARE, used * h.latest().cpuWeight() / weights);
    }
  }
}
