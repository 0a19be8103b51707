package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.EventBatcher;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabListener;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.LabService.Subscription;
import org.glasshouse.protocol.Topic;

/**
 * Where telemetry enters the cgroup views: subscribes to the helper's samples of the containers
 * asked for, at 10 Hz, and hands them in batches to the {@link CgroupTelemetry} on the UI executor
 * (one hand-over per batch, however many containers). Exits go the same way, in order after the
 * container's last sample, so an OOM kill the samples missed is still marked.
 *
 * <p>One subscription per container, so a container removed meanwhile fails alone. The lab service
 * renews the subscriptions it made when the connection comes back; one asked for while the helper
 * was away failed, and is asked for again on the reconnect.
 */
public final class TelemetryFeed {
  /** The fastest the helper samples: 10 Hz. */
  public static final int INTERVAL_MS = 100;

  private final LabService lab;
  private final Executor ui;
  private final CgroupTelemetry store;
  private final Set<String> wanted = new LinkedHashSet<>();
  private final Map<String, Subscription> subscribed = new HashMap<>();
  private final Set<String> pending = new LinkedHashSet<>();
  private boolean connected;

  public TelemetryFeed(LabService lab, Executor ui, CgroupTelemetry store) {
    this.lab = lab;
    this.ui = ui;
    this.store = store;
    this.connected = lab.status().connected();
    EventBatcher<LabEvent> batcher = new EventBatcher<>(ui, this::deliver);
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            if ((event instanceof LabEvent.Telemetry t && t.sample() != null)
                || event instanceof LabEvent.Exited) {
              batcher.add(event);
            }
          }

          @Override
          public void onConnection(ConnectionStatus status) {
            ui.execute(() -> connectionChanged(status));
          }
        });
  }

  /** Follows exactly these containers from now on (running ones; others are not sampled). */
  public void watch(Collection<String> containers) {
    Set<String> next = new LinkedHashSet<>(containers);
    for (String gone : new ArrayList<>(subscribed.keySet())) {
      if (!next.contains(gone)) {
        subscribed.remove(gone).unsubscribe().exceptionally(t -> null);
      }
    }
    wanted.clear();
    wanted.addAll(next);
    subscribeMissing();
  }

  /** The containers followed now. */
  public Set<String> watched() {
    return Set.copyOf(wanted);
  }

  private void subscribeMissing() {
    if (!connected) {
      return;
    }
    for (String c : wanted) {
      if (subscribed.containsKey(c) || !pending.add(c)) {
        continue;
      }
      lab.subscribe(List.of(c), List.of(Topic.TELEMETRY), INTERVAL_MS)
          .whenCompleteAsync(
              (sub, failure) -> {
                pending.remove(c);
                if (failure != null) {
                  // Gone before we asked (removed, or the connection dropped): nothing to follow.
                  return;
                }
                if (wanted.contains(c)) {
                  subscribed.put(c, sub);
                } else {
                  sub.unsubscribe().exceptionally(t -> null);
                }
              },
              ui);
    }
  }

  private void connectionChanged(ConnectionStatus status) {
    boolean was = connected;
    connected = status.connected();
    if (connected && !was) {
      subscribeMissing();
    }
  }

  private void deliver(List<LabEvent> batch) {
    List<CgroupTelemetry.Sample> samples = new ArrayList<>();
    for (LabEvent e : batch) {
      if (e instanceof LabEvent.Telemetry t) {
        samples.add(new CgroupTelemetry.Sample(t.container(), t.sample()));
      } else if (e instanceof LabEvent.Exited x) {
        if (!samples.isEmpty()) {
          store.apply(samples);
          samples = new ArrayList<>();
        }
        store.exited(x.container(), x.oomKilled());
      }
    }
    if (!samples.isEmpty()) {
      store.apply(samples);
    }
  }
}
