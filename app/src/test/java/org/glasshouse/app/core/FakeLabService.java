package org.glasshouse.app.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.StatsResult;

/**
 * An in-memory helper for view-model and UI tests: records every request, lets the test push events
 * and connection changes — by hand or {@linkplain #replay replayed} from a recording of a real
 * helper — and answers {@code run} with a scripted behaviour.
 */
public final class FakeLabService implements LabService {
  private final List<LabListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger subscriptionIds = new AtomicInteger();

  /** Every request as "op container/args", in order. */
  public final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  /** Every spec sent with run. */
  public final List<RunSpec> runs = Collections.synchronizedList(new ArrayList<>());

  /** inspect answers per target ("host" or an id). */
  public final Map<String, InspectResult> inspections = new HashMap<>();

  /**
   * What {@code steps} answers per container: the helper keeps each container's whole step log, so
   * an app that connects late (or a view that follows a container late) asks for it. Filled from a
   * recording's step events by {@link #answerFrom}; a container without one answers none.
   */
  public final Map<String, List<StepEntry>> stepLogs = new HashMap<>();

  /** mounts answers per target ("host" or an id). */
  public final Map<String, MountsResult> mountTables = new HashMap<>();

  /** What stats answers (every container's entry; a request for some gets theirs). */
  public volatile StatsResult stats = new StatsResult(List.of());

  /** What run does: emit events, then reply; default: a running container "c1". */
  public Function<RunSpec, CompletableFuture<Started>> onRun =
      spec -> CompletableFuture.completedFuture(new Started("c1", 100));

  private ConnectionStatus status =
      new ConnectionStatus(ConnectionStatus.State.CONNECTED, "connected to fake", "/fake.sock");

  /** Pushes an event to the listeners, as the reader thread would. */
  public void emit(LabEvent e) {
    listeners.forEach(l -> l.onEvent(e));
  }

  /**
   * Plays a recording of a real helper: its {@code inspect}, {@code mounts} and {@code stats}
   * replies become this fake's answers (the last one per target wins), then its events are pushed
   * to the listeners in the order they arrived.
   */
  public void replay(Recording recording) {
    answerFrom(recording);
    recording.events().forEach(this::emit);
  }

  /**
   * Takes the recording's {@code inspect}, {@code mounts} and {@code stats} replies as answers, and
   * its step events as each container's step log.
   */
  public void answerFrom(Recording recording) {
    inspections.putAll(recording.inspectResults());
    mountTables.putAll(recording.mountsResults());
    recording.statsResults().stream().reduce((a, b) -> b).ifPresent(s -> stats = s);
    Map<String, List<StepEntry>> logs = new HashMap<>();
    for (LabEvent.Step s : recording.events(LabEvent.Step.class)) {
      logs.computeIfAbsent(s.container(), k -> new ArrayList<>()).add(s.entry());
    }
    synchronized (stepLogs) {
      stepLogs.putAll(logs);
    }
  }

  /** Changes the connection state. */
  public void connection(ConnectionStatus.State state, String detail) {
    status = new ConnectionStatus(state, detail, "/fake.sock");
    listeners.forEach(l -> l.onConnection(status));
  }

  /** A successful step entry. */
  public static StepEntry ok(int seq, String step, String call, String args) {
    return StepEntry.builder()
        .seq(seq)
        .step(step)
        .stage("init")
        .call(call)
        .args(args)
        .ok(true)
        .result("0")
        .durationNanos(120_000)
        .build();
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

  /**
   * When set, answers ps instead of {@link #containers}: a test holds the reply back to let other
   * messages overtake it, as they can on a real connection.
   */
  public volatile java.util.function.Supplier<CompletableFuture<List<ContainerSummary>>> onPs;

  @Override
  public CompletableFuture<List<ContainerSummary>> ps() {
    requests.add("ps");
    var answer = onPs;
    return answer != null ? answer.get() : CompletableFuture.completedFuture(containers);
  }

  @Override
  public CompletableFuture<List<StepEntry>> steps(String container) {
    requests.add("steps " + container);
    synchronized (stepLogs) {
      return CompletableFuture.completedFuture(
          List.copyOf(stepLogs.getOrDefault(container, List.of())));
    }
  }

  @Override
  public CompletableFuture<InspectResult> inspect(String target, boolean upper) {
    requests.add("inspect " + target + (upper ? " upper" : ""));
    return answer(inspections.get(target));
  }

  @Override
  public CompletableFuture<MountsResult> mounts(String target, boolean diffWithHost) {
    requests.add("mounts " + target + (diffWithHost ? " diff host" : ""));
    return answer(mountTables.get(target));
  }

  @Override
  public CompletableFuture<StatsResult> stats(Collection<String> containers) {
    requests.add("stats " + String.join(",", containers));
    StatsResult all = stats;
    if (containers.isEmpty()) {
      return CompletableFuture.completedFuture(all);
    }
    return CompletableFuture.completedFuture(
        new StatsResult(
            all.containers().stream().filter(e -> containers.contains(e.container())).toList()));
  }

  /** Records "subscribe c1,c2 telemetry,mounts 1000" ("*" for all containers). */
  @Override
  public CompletableFuture<Subscription> subscribe(
      Collection<String> containers, Collection<Topic> topics, int intervalMs) {
    int id = subscriptionIds.incrementAndGet();
    requests.add(
        "subscribe "
            + (containers.isEmpty() ? "*" : String.join(",", containers))
            + " "
            + String.join(",", topics.stream().map(Topic::wireName).toList())
            + " "
            + intervalMs);
    Subscription s =
        () -> {
          requests.add("unsubscribe " + id);
          return CompletableFuture.completedFuture(null);
        };
    return CompletableFuture.completedFuture(s);
  }

  private static <T> CompletableFuture<T> answer(T value) {
    return value == null
        ? CompletableFuture.failedFuture(new LabException("not_found", "no such container"))
        : CompletableFuture.completedFuture(value);
  }

  @Override
  public void close() {}
}
