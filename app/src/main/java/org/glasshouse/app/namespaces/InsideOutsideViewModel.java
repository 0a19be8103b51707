package org.glasshouse.app.namespaces;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainerState;
import org.glasshouse.app.core.Inspection;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;

/**
 * The central view's model: the selected container side by side with the host — hostname, each
 * namespace, PID 1's command, no_new_privs and seccomp, cgroup limits and usage. Facts come from
 * the {@code inspect} op (asked again when the container starts or exits) and usage from its
 * telemetry samples.
 */
public final class InsideOutsideViewModel {
  private final LabService lab;
  private final Executor ui;
  private final ObservableList<Comparison> rows = FXCollections.observableArrayList();
  private final StringProperty note = new SimpleStringProperty("Select a container.");
  private final ChangeListener<ContainerState> stateListener = (o, a, b) -> refresh();
  private final ChangeListener<Map<String, String>> telemetryListener = (o, a, b) -> rebuild();
  private ContainerItem item;
  private Inspection host = Inspection.EMPTY;
  private Inspection inside = Inspection.EMPTY;

  public InsideOutsideViewModel(LabService lab, Executor ui) {
    this.lab = lab;
    this.ui = ui;
  }

  public ObservableList<Comparison> rows() {
    return rows;
  }

  /** A line above the table: what is shown, or why nothing is. */
  public ReadOnlyStringProperty noteProperty() {
    return note;
  }

  /** Shows {@code next} (may be null). */
  public void show(ContainerItem next) {
    if (item != null) {
      item.stateProperty().removeListener(stateListener);
      item.telemetryProperty().removeListener(telemetryListener);
    }
    item = next;
    inside = Inspection.EMPTY;
    if (next == null) {
      rows.clear();
      note.set("Select a container.");
      return;
    }
    next.stateProperty().addListener(stateListener);
    next.telemetryProperty().addListener(telemetryListener);
    if (next.state().live()) {
      lab.watchTelemetry(next.id()).exceptionally(t -> null);
    }
    refresh();
  }

  /** Asks the helper again for both sides. */
  public void refresh() {
    ContainerItem target = item;
    if (target == null) {
      return;
    }
    if (!target.state().live()) {
      note.set(
          "Container "
              + target.shortId()
              + " is not running ("
              + target.summaryProperty().get()
              + "): its namespaces are gone.");
      rebuild();
      return;
    }
    note.set("Container " + target.shortId() + " next to the host.");
    CompletableFuture<Inspection> h = lab.inspect("host");
    CompletableFuture<Inspection> c = lab.inspect(target.id());
    h.thenCombine(c, (hh, cc) -> new Inspection[] {hh, cc})
        .whenCompleteAsync(
            (pair, t) -> {
              if (item != target) {
                return;
              }
              if (t != null) {
                note.set("Could not inspect " + target.shortId() + ": " + LabException.describe(t));
                return;
              }
              host = pair[0];
              inside = pair[1];
              rebuild();
            },
            ui);
  }

  private void rebuild() {
    List<Comparison> out = new ArrayList<>();
    out.add(new Comparison("identity", "hostname", host.hostname(), inside.hostname()));
    // Without a PID namespace of its own the container's PID 1 is the host's: same row, not a
    // difference.
    String insidePid1 = inside.pid1Command() != null ? inside.pid1Command() : host.pid1Command();
    out.add(new Comparison("identity", "PID 1", host.pid1Command(), insidePid1));
    Set<String> ns = new LinkedHashSet<>(host.namespaces().keySet());
    ns.addAll(inside.namespaces().keySet());
    for (String n : ns) {
      out.add(new Comparison("namespace", n, host.namespaces().get(n), inside.namespaces().get(n)));
    }
    Set<String> locks = new LinkedHashSet<>(host.security().keySet());
    locks.addAll(inside.security().keySet());
    for (String k : locks) {
      out.add(new Comparison("security", k, host.security().get(k), inside.security().get(k)));
    }
    inside.limits().forEach((k, v) -> out.add(new Comparison("limit", k, null, v)));
    Map<String, String> usage = new java.util.LinkedHashMap<>(inside.usage());
    if (item != null) {
      item.telemetryProperty().get().forEach((k, v) -> usage.put(k, v));
    }
    usage.forEach((k, v) -> out.add(new Comparison("usage", k, null, v)));
    rows.setAll(out);
  }
}
