package org.glasshouse.app.cgroups;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;

/**
 * Level 08's experiment in one click: two containers, both spinning on the CPU for a minute and a
 * half, pinned to the same CPU (CPU 0, with {@code taskset}), one with cpu.shares 512 and one with
 * 1024; then the charts show just these two, CPU, live. Pinned, they compete for one CPU all the
 * time, so the kernel splits it by their weights: the measured ratio settles near 512 ÷ 1024.
 * Without the pinning each busy loop would get a CPU of its own on a machine with two, and shares
 * would change nothing — a lesson too, but not this one.
 */
public final class ContentionExperiment {
  /** The two containers' cpu.shares, lighter first. */
  public static final List<Integer> SHARES = List.of(512, 1024);

  /** How long the busy loops spin. */
  public static final int SECONDS = 90;

  private final ContainersViewModel containers;
  private final CgroupChartsViewModel charts;
  private final Navigator navigator;
  private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

  public ContentionExperiment(
      ContainersViewModel containers, CgroupChartsViewModel charts, Navigator navigator) {
    this.containers = containers;
    this.charts = charts;
    this.navigator = navigator;
  }

  /** True while the two containers are being started. */
  public ReadOnlyBooleanProperty runningProperty() {
    return running.getReadOnlyProperty();
  }

  /** What happened, in one sentence. */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** The spec of one of the two: level 08, the given shares, a busy loop pinned to CPU 0. */
  public static RunSpec spec(int shares) {
    String loop =
        "end=$(($(date +%s)+"
            + SECONDS
            + ")); while [ $(date +%s) -lt $end ]; do i=0;"
            + " while [ $i -lt 20000 ]; do i=$((i+1)); done; done";
    return new RunSpec(
        "busybox",
        List.of("taskset", "-c", "0", "sh", "-c", loop),
        Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"),
        null,
        false,
        null,
        null,
        8,
        null,
        new Limits(null, null, shares, null, null),
        null,
        "shares-" + shares,
        null,
        false,
        null,
        null);
  }

  /**
   * Starts both containers, then points the charts at them. Completes (on the UI executor) with the
   * two containers, lighter first.
   */
  public CompletableFuture<List<ContainerItem>> run() {
    running.set(true);
    message.set("Starting two busy containers, cpu shares 512 and 1024, both on CPU 0…");
    CompletableFuture<ContainerItem> lighter = containers.run(spec(SHARES.get(0)), false);
    CompletableFuture<ContainerItem> heavier = containers.run(spec(SHARES.get(1)), false);
    return lighter
        .thenCombine(heavier, List::of)
        .whenComplete(
            (both, failure) -> {
              running.set(false);
              if (failure != null) {
                message.set("Could not start them: " + LabException.describe(failure));
                return;
              }
              for (ContainerItem c : both) {
                if (!c.state().live()) {
                  message.set(
                      "Container " + c.shortId() + " did not start: " + c.summaryProperty().get());
                  return;
                }
              }
              charts.focus(List.of(both.get(0).id(), both.get(1).id()), Resource.CPU);
              navigator.show(Navigator.View.CHARTS);
              message.set(
                  both.get(0).shortId()
                      + " (shares 512) and "
                      + both.get(1).shortId()
                      + " (shares 1024) spin for "
                      + SECONDS
                      + " s on CPU 0: the Charts tab shows their split, live.");
            });
  }
}
