package org.glasshouse.app.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * An in-memory helper for view-model and UI tests: records every request, lets the test push events
 * and connection changes, and answers {@code run} with a scripted behaviour.
 */
public final class FakeLabService implements LabService {
  private final List<LabListener> listeners = new CopyOnWriteArrayList<>();

  /** Every request as "op container/args", in order. */
  public final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  /** Every spec sent with run. */
  public final List<RunSpec> runs = Collections.synchronizedList(new ArrayList<>());

  /** inspect answers per target ("host" or an id). */
  public final Map<String, Inspection> inspections = new HashMap<>();

  /** What run does: emit events, then reply; default: a running container "c1". */
  public Function<RunSpec, CompletableFuture<Started>> onRun =
      spec -> CompletableFuture.completedFuture(new Started("c1", 100));

  private ConnectionStatus status =
      new ConnectionStatus(ConnectionStatus.State.CONNECTED, "connected to fake", "/fake.sock");

  /** Pushes an event to the listeners, as the reader thread would. */
  public void emit(LabEvent e) {
    listeners.forEach(l -> l.onEvent(e));
  }

  /** Changes the connection state. */
  public void connection(ConnectionStatus.State state, String detail) {
    status = new ConnectionStatus(state, detail, "/fake.sock");
    listeners.forEach(l -> l.onConnection(status));
  }

  /** A successful step entry. */
  public static StepEntry ok(int seq, String step, String call, String args) {
    return new StepEntry(seq, step, "init", call, args, true, "0", null, null, null, 120_000);
  }

  @Override
  public void start() {
    requests.add("start");
  }

  @Override
  public void retryNow() {
    requests.add("retry");
  }

  @Override
  public ConnectionStatus status() {
    return status;
  }

  @Override
  public void addListener(LabListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(LabListener listener) {
    listeners.remove(listener);
  }

  @Override
  public CompletableFuture<Started> run(RunSpec spec) {
    requests.add("run " + String.join(" ", spec.argv()));
    runs.add(spec);
    return onRun.apply(spec);
  }

  @Override
  public CompletableFuture<Void> stdin(String container, byte[] data) {
    requests.add("stdin " + container + " " + new String(data));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> resize(String container, int cols, int rows) {
    requests.add("resize " + container + " " + cols + "x" + rows);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> signal(String container, String signal) {
    requests.add("signal " + container + " " + signal);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> remove(String container, boolean force) {
    requests.add("remove " + container);
    emit(new LabEvent.Removed(container));
    return CompletableFuture.completedFuture(null);
  }

  /** What ps answers: the containers the helper has. */
  public volatile List<ContainerSummary> containers = List.of();

  @Override
  public CompletableFuture<List<ContainerSummary>> ps() {
    requests.add("ps");
    return CompletableFuture.completedFuture(containers);
  }

  @Override
  public CompletableFuture<List<StepEntry>> steps(String container) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletableFuture<Inspection> inspect(String target) {
    requests.add("inspect " + target);
    Inspection i = inspections.get(target);
    return i == null
        ? CompletableFuture.failedFuture(new LabException("not_found", "no such container"))
        : CompletableFuture.completedFuture(i);
  }

  @Override
  public CompletableFuture<Void> watchTelemetry(String container) {
    requests.add("watch " + container);
    return CompletableFuture.completedFuture(null);
  }

  /** Telemetry subscriptions in force: id to containers. */
  public final Map<Long, List<String>> subscriptions =
      Collections.synchronizedMap(new java.util.LinkedHashMap<>());

  private long nextSubscription = 1;

  @Override
  public synchronized CompletableFuture<Long> subscribeTelemetry(
      java.util.Collection<String> containers, int intervalMs) {
    requests.add("subscribe telemetry " + String.join(",", containers) + " " + intervalMs);
    long id = nextSubscription++;
    subscriptions.put(id, List.copyOf(containers));
    return CompletableFuture.completedFuture(id);
  }

  @Override
  public CompletableFuture<Void> unsubscribe(long subscription) {
    requests.add("unsubscribe " + subscription);
    subscriptions.remove(subscription);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
