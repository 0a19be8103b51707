package org.glasshouse.app.containers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.app.core.EventBatcher;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabListener;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * The containers of this session and the connection to the helper. The only view-model that
 * subscribes to helper events: it batches them onto the UI executor and keeps each {@link
 * ContainerItem} current. Events can name a container before the {@code run} reply does (the helper
 * sends step events first), so items are created on first sight and claimed by the reply.
 */
public final class ContainersViewModel {
  private final LabService lab;
  private final Executor ui;
  private final ObservableList<ContainerItem> containers = FXCollections.observableArrayList();
  private final Map<String, ContainerItem> byId = new HashMap<>();
  private final ObjectProperty<ContainerItem> selected = new SimpleObjectProperty<>();
  private final ObjectProperty<ConnectionStatus> connection;
  private final StringProperty error = new SimpleStringProperty("");
  private final BooleanProperty selectedLive = new SimpleBooleanProperty(false);
  private final ChangeListener<ContainerState> followState =
      (o, a, b) -> selectedLive.set(b.live());
  private final AtomicInteger failedStarts = new AtomicInteger();
  private final OutputBuffer output = new OutputBuffer();

  /** A container's output is waiting in {@link #output}. */
  private record OutputReady(String container) {}

  public ContainersViewModel(LabService lab, Executor ui) {
    this.lab = lab;
    this.ui = ui;
    this.connection = new SimpleObjectProperty<>(lab.status());
    selected.addListener(
        (o, a, b) -> {
          if (a != null) {
            a.stateProperty().removeListener(followState);
          }
          if (b != null) {
            b.stateProperty().addListener(followState);
          }
          selectedLive.set(b != null && b.state().live());
        });
    if (lab.status().connected()) {
      resync();
    }
    EventBatcher<Object> events = new EventBatcher<>(ui, batch -> batch.forEach(this::apply));
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            // Output joins the container's pending bytes; only the first chunk takes a place in
            // the batch, so the FX thread's work stays bounded under a flood.
            if (event instanceof LabEvent.Output o) {
              if (output.append(o.container(), o.data())) {
                events.add(new OutputReady(o.container()));
              }
            } else {
              events.add(event);
            }
          }

          @Override
          public void onConnection(ConnectionStatus status) {
            ui.execute(() -> connectionChanged(status));
          }
        });
  }

  public ObservableList<ContainerItem> containers() {
    return containers;
  }

  public ObjectProperty<ContainerItem> selectedProperty() {
    return selected;
  }

  public ContainerItem selected() {
    return selected.get();
  }

  /** Whether the selected container may still be running (Stop makes sense). */
  public ReadOnlyBooleanProperty selectedLiveProperty() {
    return selectedLive;
  }

  public ReadOnlyObjectProperty<ConnectionStatus> connectionProperty() {
    return connection;
  }

  /** The last error, one sentence with context; empty when the last action worked. */
  public ReadOnlyStringProperty errorProperty() {
    return error;
  }

  /**
   * Runs a container; completes (on the UI executor) with its item, also when a step failed — then
   * the item is {@link ContainerState#FAILED} and holds the failing step. Completes exceptionally
   * only when there is no container to show (helper unreachable, request refused).
   */
  public CompletableFuture<ContainerItem> run(RunSpec spec, boolean check) {
    error.set("");
    return lab.run(spec)
        .handleAsync(
            (started, failure) -> {
              if (failure == null) {
                ContainerItem item = item(started.container());
                item.claim(spec, check);
                item.started(started.pid());
                if (!check) {
                  selected.set(item);
                }
                return item;
              }
              String message = LabException.describe(failure);
              error.set(message);
              ContainerItem failed = failedItem(failure);
              if (failed == null) {
                throw new LabException("run_failed", message);
              }
              failed.claim(spec, check);
              failed.failed(message);
              selected.set(failed);
              return failed;
            },
            ui);
  }

  /** Stops the selected container with SIGKILL (a shell as PID 1 ignores SIGTERM). */
  public void stopSelected() {
    ContainerItem item = selected.get();
    if (item != null && item.state().live()) {
      report(lab.signal(item.id(), "KILL"), "stop " + item.shortId());
    }
  }

  /** Removes the selected container (killing it if still running) and drops it from the list. */
  public void removeSelected() {
    ContainerItem item = selected.get();
    if (item == null) {
      return;
    }
    if (item.state() == ContainerState.FAILED || item.state() == ContainerState.LOST) {
      drop(item);
      return;
    }
    report(lab.remove(item.id(), true), "remove " + item.shortId());
  }

  /** Sends an error of an async request to the error line. */
  public void report(CompletableFuture<?> f, String what) {
    f.whenCompleteAsync(
        (r, t) -> {
          if (t != null) {
            error.set("Could not " + what + ": " + LabException.describe(t));
          }
        },
        ui);
  }

  private ContainerItem failedItem(Throwable failure) {
    Throwable c = failure.getCause() != null ? failure.getCause() : failure;
    if (!(c instanceof LabException le) || le.step() == null) {
      return null;
    }
    StepEntry bad = le.step();
    for (ContainerItem i : containers) {
      if (!i.claimed() && i.steps().stream().anyMatch(s -> sameStep(s, bad))) {
        return i;
      }
    }
    // The helper sent no events for it: show the failing step on its own.
    ContainerItem i = item("failed-" + failedStarts.incrementAndGet());
    i.steps().add(bad);
    return i;
  }

  private static boolean sameStep(StepEntry a, StepEntry b) {
    return a.seq() == b.seq() && a.call() != null && a.call().equals(b.call());
  }

  private ContainerItem item(String id) {
    ContainerItem i = byId.get(id);
    if (i == null) {
      i = new ContainerItem(id);
      byId.put(id, i);
      containers.add(0, i);
    }
    return i;
  }

  private void drop(ContainerItem item) {
    byId.remove(item.id());
    containers.remove(item);
    if (selected.get() == item) {
      selected.set(containers.isEmpty() ? null : containers.get(0));
    }
  }

  private void apply(Object item) {
    if (item instanceof OutputReady r) {
      byte[] data = output.take(r.container());
      if (data != null) {
        item(r.container()).output(data);
      }
      return;
    }
    LabEvent ev = (LabEvent) item;
    if (ev instanceof LabEvent.Removed) {
      ContainerItem i = byId.get(ev.container());
      if (i != null) {
        drop(i);
      }
      return;
    }
    if (ev instanceof LabEvent.Telemetry t) {
      ContainerItem i = byId.get(t.container());
      if (i != null) {
        i.telemetry(t.sample());
      }
      return;
    }
    if (ev instanceof LabEvent.Mounts || ev instanceof LabEvent.Namespaces) {
      // For the views that subscribed to them; they never make a container appear.
      return;
    }
    ContainerItem i = item(ev.container());
    if (ev instanceof LabEvent.Step s) {
      i.steps().add(s.entry());
    } else if (ev instanceof LabEvent.Started s) {
      i.started(s.pid());
    } else if (ev instanceof LabEvent.Exited x) {
      i.exited(x.code(), x.signal(), x.oomKilled());
    }
  }

  private void connectionChanged(ConnectionStatus status) {
    ConnectionStatus before = connection.get();
    connection.set(status);
    if (status.state() == ConnectionStatus.State.LOST) {
      List.copyOf(containers).forEach(ContainerItem::lost);
    }
    if (status.connected() && before != null && !before.connected()) {
      error.set("");
      resync();
    }
  }

  /**
   * Asks the helper which containers it has and merges them in: the app may have started while
   * containers ran, or the helper came back (then those the app knew and the helper lost stay
   * lost). The connection already follows every container's events, so nothing that happens between
   * this request and its reply is missed; {@link ContainerItem#sync} only moves states forward, so
   * an older row never undoes a newer event.
   */
  private void resync() {
    lab.ps()
        .whenCompleteAsync(
            (rows, failure) -> {
              if (failure != null) {
                error.set(
                    "Could not list the helper's containers: " + LabException.describe(failure));
                return;
              }
              for (ContainerSummary row : rows) {
                item(row.id()).sync(row);
              }
            },
            ui);
  }
}
