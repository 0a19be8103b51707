package org.glasshouse.app.cgroups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.junit.jupiter.api.Test;

/** The ring of readings: ten minutes kept, the oldest making room, windows copied in order. */
class ContainerHistoryTest {

  private static TelemetrySample pids(long timeMs, long current) {
    return new TelemetrySample(
        timeMs,
        1,
        false,
        100L,
        null,
        new CgroupStats("v1", null, null, new CgroupStats.Pids(current, 64L, 0L), null));
  }

  @Test
  void aFullRingDropsTheOldestAndCopiesTheNewestInOrder() {
    ContainerHistory h = new ContainerHistory("c");
    int n = ContainerHistory.CAPACITY + 100;
    for (int i = 0; i < n; i++) {
      h.add(pids(1_000_000L + i * 100L, i));
    }
    assertEquals(ContainerHistory.CAPACITY, h.size());
    assertEquals(1_000_000L + (n - 1) * 100L, h.lastTimeMs());
    double[] all = h.values(Metric.PIDS_CURRENT);
    assertEquals(100, all[0], "the first hundred made room");
    assertEquals(n - 1, all[all.length - 1]);
    // The last second, relative to the last reading, plus the one before it.
    long end = h.lastTimeMs();
    double[] xs = new double[h.span(end - 1000, end)];
    double[] ys = new double[xs.length];
    int k = h.copy(Metric.PIDS_CURRENT, end - 1000, end, end, xs, ys);
    assertEquals(12, k);
    assertEquals(-1.1, xs[0], 1e-9);
    assertEquals(0, xs[k - 1]);
    assertArrayEquals(
        new double[] {
          n - 12, n - 11, n - 10, n - 9, n - 8, n - 7, n - 6, n - 5, n - 4, n - 3, n - 2, n - 1
        },
        java.util.Arrays.copyOf(ys, k));
    assertEquals(n - 1, h.max(Metric.PIDS_CURRENT, end - 1000, end));
  }

  @Test
  void aMetricNeverReadHasNoLineAndAnOlderReadingIsIgnored() {
    ContainerHistory h = new ContainerHistory("c");
    h.add(pids(5_000, 3));
    h.add(pids(4_000, 9));
    assertEquals(1, h.size(), "a reading older than the newest is dropped");
    assertTrue(h.has(Metric.PIDS_CURRENT));
    assertFalse(h.has(Metric.MEMORY_USED));
    assertFalse(h.has(Metric.PSI_CPU));
  }

  @Test
  void aGoneSampleEndsTheContainerWithoutAReading() {
    ContainerHistory h = new ContainerHistory("c");
    h.add(pids(5_000, 3));
    h.add(new TelemetrySample(5_100, 1, true, null, null, null));
    assertFalse(h.live());
    assertEquals(1, h.size());
  }

  private static TelemetrySample oomKills(long timeMs, long kills) {
    return new TelemetrySample(
        timeMs,
        1,
        false,
        100L,
        null,
        new CgroupStats(
            "v1",
            null,
            new CgroupStats.Memory(200_000L, 32L << 20, 32L << 20, 0L, 32L << 20, 0L, kills, kills),
            null,
            null));
  }

  /**
   * CI, loaded machine: the level-09 hog's first reading came after its OOM kill. A container the
   * app ran counts from zero (the kill is marked at that reading); one found running takes the
   * count it has as the baseline (it may be an hour old).
   */
  @Test
  void aKillCountedByTheFirstReadingIsMarkedOnlyWhenTheCountersBeganAtZero() {
    ContainerHistory ranHere = new ContainerHistory("c", true);
    ranHere.add(oomKills(5_000, 1));
    ranHere.add(oomKills(5_100, 1));
    assertEquals(1, ranHere.events().size(), ranHere.events().toString());
    assertEquals(5_000, ranHere.events().get(0).timeMs());
    assertEquals(1, ranHere.events().get(0).total());
    assertFalse(ranHere.events().get(0).fromExit());
    ranHere.exited(5_200, true);
    assertEquals(1, ranHere.events().size(), "the exit's report is the same kill");

    ContainerHistory found = new ContainerHistory("d", false);
    found.add(oomKills(5_000, 3));
    found.add(oomKills(5_100, 3));
    assertTrue(found.events().isEmpty(), found.events().toString());
    found.add(oomKills(5_200, 4));
    assertEquals(1, found.events().size());
    assertEquals(1, found.events().get(0).delta());
  }
}
