package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Parent;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * The benchmark's third backend: the real {@link CgroupChartsView}, all resources shown, fed the
 * way the app is: each batch of samples is emitted as twenty telemetry events from a reader thread,
 * through {@link TelemetryFeed}'s batching onto the FX thread. Each container has a quota (a
 * throttled line), swap (a swap area), shares (a share-by-weight line), a memory and a pids limit
 * (reference lines) — more than the five series, never fewer.
 */
final class ViewBackend implements ChartsBenchmark.Backend {
  private final FakeLabService lab = new FakeLabService();
  private final ExecutorService reader =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-reader"));
  private final long[] usageNs = new long[ChartsBenchmark.CONTAINERS];
  private final long[] throttledNs = new long[ChartsBenchmark.CONTAINERS];
  private final List<String> ids = new ArrayList<>();
  private long t0;

  @Override
  public Parent build() {
    CgroupTelemetry store = new CgroupTelemetry(System::currentTimeMillis);
    ObservableList<ContainerItem> items = FXCollections.observableArrayList();
    for (int c = 0; c < ChartsBenchmark.CONTAINERS; c++) {
      String id = String.format("%012x", 0xbe00 + c);
      ids.add(id);
      items.add(new ContainerItem(id));
    }
    CgroupChartsViewModel vm =
        new CgroupChartsViewModel(
            store,
            new TelemetryFeed(lab, Fx.EXECUTOR, store),
            new org.glasshouse.app.containers.CompareSelection(
                items, new SimpleObjectProperty<>()));
    vm.allResourcesProperty().set(true);
    t0 = System.currentTimeMillis();
    return new CgroupChartsView(vm).node();
  }

  @Override
  public void append(double t, double[][] v) {
    long timeMs = t0 + Math.round(t * 1000);
    double[][] values = v;
    reader.execute(
        () -> {
          for (int c = 0; c < ChartsBenchmark.CONTAINERS; c++) {
            usageNs[c] += (long) (values[0][c] * 100_000_000L);
            throttledNs[c] += (long) (values[1][c] * 50_000_000L);
            CgroupStats stats =
                new CgroupStats(
                    "v1",
                    new CgroupStats.Cpu(
                        usageNs[c],
                        null,
                        null,
                        null,
                        null,
                        throttledNs[c],
                        150_000L,
                        100_000L,
                        512L + 64L * c,
                        null),
                    new CgroupStats.Memory(
                        (long) values[2][c],
                        300L << 20,
                        null,
                        (long) values[3][c],
                        400L << 20,
                        0L,
                        0L,
                        null),
                    new CgroupStats.Pids((long) values[4][c], 60L, 0L),
                    null);
            lab.emit(
                new LabEvent.Telemetry(
                    ids.get(c),
                    new TelemetrySample(timeMs, 1000 + c, false, 100L, values[0][c] * 100, stats)));
          }
        });
  }

  @Override
  public void dispose() {
    reader.shutdownNow();
  }
}
