package org.glasshouse.helper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.glasshouse.helper.inspect.Inspector;
import org.glasshouse.helper.inspect.MountDiff;
import org.glasshouse.helper.inspect.MountSteps;
import org.glasshouse.helper.inspect.MountTableWatch;
import org.glasshouse.helper.inspect.NamespaceChanges;
import org.glasshouse.helper.inspect.NamespaceTracker;
import org.glasshouse.helper.inspect.Namespaces;
import org.glasshouse.helper.inspect.ProcessGoneException;
import org.glasshouse.helper.inspect.TelemetrySampler;
import org.glasshouse.helper.inspect.UpperDiff;
import org.glasshouse.helper.inspect.UpperDirScanner;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.net.NetworkAttachment;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.TelemetryText;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.StatsResult;
import org.glasshouse.protocol.inspect.TelemetryEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.TelemetryTree;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.glasshouse.protocol.inspect.UpperEvent;

/**
 * The inspection ops and the telemetry/mounts/namespaces topics as the helper's server calls them:
 * results and event bodies as JSON, each the tree of one record of {@code
 * org.glasshouse.protocol.inspect}; containers found through {@link ContainerRuntime} only.
 * Thread-safe.
 *
 * <p>Errors the server maps to codes: {@link NoSuchElementException} → {@code not_found} (no such
 * container), {@link IllegalStateException} → {@code conflict} (the container is not running, so
 * there is no process to read). A process that vanishes while it is read is not an error: the
 * result says {@code "gone":true}.
 */
public final class InspectionService implements AutoCloseable {

  private final ContainerRuntime runtime;
  private final Inspector inspector;
  private final TelemetrySampler sampler;
  private final Map<String, MountsState> lastMounts = new ConcurrentHashMap<>();

  private final Map<String, NamespacesState> lastNamespaces = new ConcurrentHashMap<>();

  private record MountsState(long pid, String text, List<MountEntry> entries) {}

  private record HostMountsState(
      String text, List<String> running, List<MountsResult.Mount> entries) {}

  private record UpperState(long pid, List<UpperDirEntry> entries) {}

  private final Map<String, UpperState> lastUpper = new ConcurrentHashMap<>();
  private volatile HostMountsState lastHostMounts;
  private volatile MountTableWatch mountWatch;
  private volatile boolean mountWatchMade;
  private final Consumer<String> log;
  private NamespaceTracker namespaceTracker;

  private record NamespacesState(long pid, Map<Long, Map<String, Long>> processes) {}

  /**
   * @param runtime the containers (null: only "host" can be inspected, as the CLI does without a
   *     helper)
   * @param inspector the readers
   */
  public InspectionService(ContainerRuntime runtime, Inspector inspector) {
    this(runtime, inspector, line -> {});
  }

  /**
   * As {@link #InspectionService(ContainerRuntime, Inspector)}, with where the topics say once how
   * they read (the {@code namespaces} topic without the kernel's process events).
   */
  public InspectionService(ContainerRuntime runtime, Inspector inspector, Consumer<String> log) {
    this.runtime = runtime;
    this.inspector = inspector;
    this.log = log;
    this.sampler = new TelemetrySampler(inspector.fs());
  }

  /** {@code inspect} {container|"host"} → {@link InspectResult} as JSON. */
  public JsonNode inspect(String target) {
    return inspect(target, false);
  }

  /**
   * {@code inspect} {container|"host", upper?:bool}: with {@code upper} the content of the upper
   * dir the helper made for the container is listed too ({@code upperDir}; absent without one).
   */
  public JsonNode inspect(String target, boolean upper) {
    if ("host".equals(target)) {
      return Json.tree(inspector.inspect("host", inspector.hostPid()));
    }
    Container c = running(target);
    InspectResult r =
        upper
            ? inspector.inspectWithUpperDir(
                c.id(), c.hostPid(), c.upperDir().orElse(null), c.lowerDir().orElse(null))
            : inspector.inspect(c.id(), c.hostPid());
    if (r.network() != null && c.network().isPresent()) {
      r = r.withNetwork(r.network().withWiring(wiring(c.network().get(), r.network())));
    }
    return Json.tree(r);
  }

  /** The helper's record of a container's wiring with both ends' counters read now. */
  private NetworkInfo.Wiring wiring(NetworkAttachment a, NetworkInfo inside) {
    NetworkInfo.Interface end =
        inside.interfaces().stream()
            .filter(i -> i.name().equals(a.containerEnd()))
            .findFirst()
            .orElse(null);
    return new NetworkInfo.Wiring(
        a.bridge(),
        a.bridgeAddress(),
        a.hostEnd(),
        inspector.hostLinkCounter(a.hostEnd(), "rx_bytes"),
        inspector.hostLinkCounter(a.hostEnd(), "tx_bytes"),
        a.containerEnd(),
        end == null ? null : end.rxBytes(),
        end == null ? null : end.txBytes(),
        a.address(),
        a.gateway(),
        a.netns());
  }

  /**
   * {@code mounts} {container|"host", diff?:"host"} → {@link MountsResult} as JSON. The host's
   * table marks mounts lying under the root of a running container that shares the host's mount
   * namespace ({@code leakedFrom}); every mount a container's start made carries that step's {@code
   * seq} ({@code step}, see {@link MountSteps}).
   */
  public JsonNode mounts(String target, String diff) {
    if (diff != null && !diff.equals("host")) {
      throw new IllegalArgumentException("diff must be \"host\", not \"" + diff + "\"");
    }
    if ("host".equals(target)) {
      return Json.tree(hostMounts(runningContainers(null)));
    }
    Container c = running(target);
    MountsResult r = inspector.mounts(c.id(), c.hostPid(), diff, Map.of());
    if (r.gone()) {
      return Json.tree(r);
    }
    Map<Integer, Integer> steps = MountSteps.match(r.entries(), c.steps(), root(c), false);
    MountsResult.Diff d = r.diff();
    if (d != null) {
      d =
          new MountsResult.Diff(
              d.against(), MountSteps.annotate(d.added(), steps), d.removed(), d.changed());
    }
    return Json.tree(
        new MountsResult(
            r.target(),
            r.pid(),
            false,
            r.root(),
            MountSteps.annotate(r.entries(), steps),
            r.malformed(),
            d));
  }

  /** The host's table, its leaked mounts traced to the steps of the containers they leak from. */
  private MountsResult hostMounts(List<Container> live) {
    Map<String, Long> pids = new LinkedHashMap<>();
    Map<String, Container> byId = new HashMap<>();
    for (Container c : live) {
      pids.put(c.id(), c.hostPid());
      byId.put(c.id(), c);
    }
    MountsResult r = inspector.mounts("host", inspector.hostPid(), null, pids);
    if (r.gone() || r.entries() == null) {
      return r;
    }
    Map<String, List<MountsResult.Mount>> leaked = new LinkedHashMap<>();
    for (MountsResult.Mount m : r.entries()) {
      if (m.leakedFrom() != null) {
        leaked.computeIfAbsent(m.leakedFrom(), k -> new ArrayList<>()).add(m);
      }
    }
    if (leaked.isEmpty()) {
      return r;
    }
    Map<Integer, Integer> steps = new HashMap<>();
    leaked.forEach(
        (id, mounts) -> {
          Container c = byId.get(id);
          if (c != null) {
            steps.putAll(MountSteps.match(mounts, c.steps(), root(c), true));
          }
        });
    return new MountsResult(
        r.target(),
        r.pid(),
        false,
        r.root(),
        MountSteps.annotate(r.entries(), steps),
        r.malformed(),
        null);
  }

  private static String root(Container c) {
    return c.rootDir().map(Object::toString).orElse(null);
  }

  /**
   * {@code stats} {containers?} → {@link StatsResult} as JSON: one {@link TelemetrySample} per
   * running container asked for (all when null). CPU % is over the time since the previous reading
   * of that container by this service (stats or telemetry), null the first time.
   *
   * @throws NoSuchElementException when a container asked for by name does not exist
   */
  public JsonNode stats(Collection<String> containers) {
    if (containers != null && runtime != null) {
      for (String w : containers) {
        // Asking for a container that does not exist is a mistake worth a clear answer; one that
        // exists but is not running simply has no sample.
        runtime.find(w).orElseThrow(() -> new NoSuchElementException("no container '" + w + "'"));
      }
    }
    List<StatsResult.Entry> out = new ArrayList<>();
    for (Container c : runningContainers(containers)) {
      out.add(new StatsResult.Entry(c.id(), sampler.sample(c.id(), c.hostPid())));
    }
    return Json.tree(new StatsResult(out));
  }

  /**
   * One tick of the {@code telemetry} topic: a {@code telemetry} event ({@link TelemetryEvent}) per
   * running container (of {@code containers}, or all when null). Containers no longer running are
   * forgotten (their held files closed).
   */
  public List<ObjectNode> telemetryTick(Collection<String> containers) {
    List<ObjectNode> events = new ArrayList<>();
    telemetrySamples(containers)
        .forEach(
            (id, sample) -> {
              // The body of a TelemetryEvent, built without data binding (TelemetryTree).
              ObjectNode e = Messages.event(EventType.TELEMETRY, id);
              e.set("sample", TelemetryTree.of(sample));
              events.add(e);
            });
    return events;
  }

  /**
   * One {@code telemetry} event of the topic's tick, already written as its line ({@link
   * TelemetryText}: the bytes {@code JsonLines.encode} gives for {@link #telemetryTick}'s tree).
   *
   * @param container the container's id
   * @param line the event's line, newline included
   */
  public record TelemetryLine(String container, byte[] line) {}

  /**
   * {@link #telemetryTick} as the lines the helper sends: the same events, each written straight to
   * its bytes without a tree (what the topic's pump publishes).
   */
  public List<TelemetryLine> telemetryLines(Collection<String> containers) {
    List<TelemetryLine> lines = new ArrayList<>();
    telemetrySamples(containers)
        .forEach(
            (id, sample) -> lines.add(new TelemetryLine(id, TelemetryText.eventLine(id, sample))));
    return lines;
  }

  private Map<String, TelemetrySample> telemetrySamples(Collection<String> containers) {
    List<Container> live = runningContainers(containers);
    if (containers == null) {
      sampler.retainOnly(live.stream().map(Container::id).toList());
    }
    Map<String, TelemetrySample> samples = new LinkedHashMap<>();
    for (Container c : live) {
      samples.put(c.id(), sampler.sample(c.id(), c.hostPid()));
    }
    return samples;
  }

  /**
   * One tick of the {@code mounts} topic: a {@code mounts} event ({@link MountsEvent}) per running
   * container whose mount table changed since the previous tick — {container, pid, count,
   * diff:{against:"previous", added, removed, changed}}; the first tick for a container reports
   * every mount as added (against "none"). A table is re-read only when it may have changed ({@link
   * MountTableWatch}: the kernel marks the held mountinfo descriptor of a namespace whose mounts
   * changed; a new mount namespace or root of the process counts as a change too) and its text is
   * compared with the previous one (not a hash: two tables with equal 32-bit hashes would hide a
   * change). Without the kernel's procfs (a fixture) every tick re-reads every table.
   */
  public List<ObjectNode> mountsTick(Collection<String> containers) {
    List<ObjectNode> events = new ArrayList<>();
    List<Container> live = runningContainers(containers);
    MountTableWatch watch = mountWatch();
    if (containers == null) {
      List<String> ids = live.stream().map(Container::id).toList();
      lastMounts.keySet().removeIf(k -> !ids.contains(k));
      if (watch != null) {
        watch.retainOnly(ids);
      }
    }
    java.util.Set<String> marked = null;
    if (watch != null) {
      Map<String, Long> pids = new LinkedHashMap<>();
      for (Container c : live) {
        pids.put(c.id(), c.hostPid());
      }
      marked = watch.maybeChanged(pids);
    }
    for (Container c : live) {
      MountsState prev = lastMounts.get(c.id());
      if (marked != null && !marked.contains(c.id()) && prev != null && prev.pid == c.hostPid()) {
        continue; // the kernel says its table is as it was when last read
      }
      String text;
      try {
        text =
            watch != null
                ? watch.read(c.id(), c.hostPid())
                : inspector.fs().readPidFile(c.hostPid(), "mountinfo");
      } catch (ProcessGoneException e) {
        lastMounts.remove(c.id());
        continue;
      }
      if (prev != null && prev.pid == c.hostPid() && prev.text.equals(text)) {
        continue;
      }
      List<MountEntry> now = MountInfoParser.parseTotal(text).entries();
      boolean first = prev == null || prev.pid != c.hostPid();
      MountDiff d = MountDiff.between(first ? List.of() : prev.entries, now);
      lastMounts.put(c.id(), new MountsState(c.hostPid(), text, now));
      if (d.isEmpty()) {
        continue;
      }
      MountsResult.Diff wire = d.toWire(first ? "none" : "previous");
      List<MountsResult.Mount> table = now.stream().map(e -> e.toWire(null, null)).toList();
      Map<Integer, Integer> steps = MountSteps.match(table, c.steps(), root(c), false);
      List<MountsResult.Change> changed = new ArrayList<>();
      for (MountsResult.Change ch : wire.changed()) {
        Integer seq = steps.get(ch.after().id());
        changed.add(
            new MountsResult.Change(
                ch.before(), seq == null ? ch.after() : ch.after().withStep(seq), ch.fields()));
      }
      wire =
          new MountsResult.Diff(
              wire.against(), MountSteps.annotate(wire.added(), steps), wire.removed(), changed);
      events.add(event(EventType.MOUNTS, c.id(), new MountsEvent(c.hostPid(), now.size(), wire)));
    }
    return events;
  }

  /**
   * One tick of the host's {@code mounts} events (subscribed to as container {@code "host"}): a
   * {@code mounts} event ({@link MountsEvent}, {@code "container":"host"}) when the host's mount
   * table changed since the previous tick, or which running containers leak into it did; its mounts
   * carry {@code leakedFrom} and {@code step} as in the {@code mounts host} result, and a mount
   * whose {@code leakedFrom} or {@code step} changed is in {@code changed}. The first tick reports
   * every mount as added (against "none"). The table is re-read each tick and parsed only when its
   * text, or the set of running containers, differs from the previous tick's.
   */
  public java.util.Optional<ObjectNode> hostMountsTick() {
    List<Container> live = runningContainers(null);
    long pid = inspector.hostPid();
    String text;
    try {
      text = inspector.fs().readPidFile(pid, "mountinfo");
    } catch (ProcessGoneException e) {
      return java.util.Optional.empty();
    }
    List<String> running = live.stream().map(c -> c.id() + "/" + c.hostPid()).toList();
    HostMountsState prev = lastHostMounts;
    if (prev != null && prev.text.equals(text) && prev.running.equals(running)) {
      return java.util.Optional.empty();
    }
    MountsResult r = hostMounts(live);
    if (r.gone() || r.entries() == null) {
      return java.util.Optional.empty();
    }
    lastHostMounts = new HostMountsState(text, running, r.entries());
    MountsResult.Diff d =
        MountDiff.between(
            prev == null ? List.of() : prev.entries,
            r.entries(),
            prev == null ? "none" : "previous");
    if (prev != null && d.added().isEmpty() && d.removed().isEmpty() && d.changed().isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        event(EventType.MOUNTS, "host", new MountsEvent(pid, r.entries().size(), d)));
  }

  /** Forgets the host's last mount table: the next {@link #hostMountsTick} reports all of it. */
  public void forgetHostMounts() {
    lastHostMounts = null;
  }

  /**
   * Forgets every last mount table, the host's too: the next events report them in full. The
   * watched descriptors are closed; the next tick opens them again.
   */
  public void forgetMounts() {
    lastMounts.clear();
    lastHostMounts = null;
    MountTableWatch w = mountWatch;
    if (w != null) {
      w.close();
    }
  }

  /** Forgets every container's last namespaces: the next events report them in full. */
  public void forgetNamespaces() {
    lastNamespaces.clear();
  }

  /** Forgets every container's last upper-dir listing: the next events report them in full. */
  public void forgetUpper() {
    lastUpper.clear();
  }

  /**
   * One tick of the {@code upper} topic: an {@code upper} event ({@link UpperEvent}) per running
   * container with an upper dir (of {@code containers}) whose listing changed since the previous
   * tick — entries keyed by path, {@code changed} when kind, size, owner, mode, opaque mark or
   * change time differ; the first tick for a container reports every entry as added (against
   * "none"). The listing is {@link UpperDirScanner#scan}'s, of the dirs the helper made.
   */
  public List<ObjectNode> upperTick(Collection<String> containers) {
    List<ObjectNode> events = new ArrayList<>();
    List<Container> live = runningContainers(containers);
    for (Container c : live) {
      java.util.Optional<java.nio.file.Path> upper = c.upperDir();
      if (upper.isEmpty()) {
        continue;
      }
      UpperDirScanner.Listing now;
      try {
        now =
            UpperDirScanner.scan(upper.get(), c.lowerDir().orElse(null), Inspector.UPPER_DIR_LIMIT);
      } catch (java.io.IOException e) {
        continue; // the container changed the tree under the walk; the next tick reads it again
      }
      UpperState prev = lastUpper.get(c.id());
      boolean first = prev == null || prev.pid != c.hostPid();
      UpperEvent.Diff d =
          UpperDiff.between(
              first ? List.of() : prev.entries, now.entries(), first ? "none" : "previous");
      lastUpper.put(c.id(), new UpperState(c.hostPid(), now.entries()));
      if (!first && d.added().isEmpty() && d.removed().isEmpty() && d.changed().isEmpty()) {
        continue;
      }
      UpperEvent.Layers layers =
          new UpperEvent.Layers(
              c.lowerDir().map(p -> List.of(p.toString())).orElse(List.of()),
              upper.get().toString(),
              c.workDir().map(Object::toString).orElse(null),
              c.rootDir().map(Object::toString).orElse(null));
      events.add(
          event(
              EventType.UPPER,
              c.id(),
              new UpperEvent(c.hostPid(), now.entries().size(), now.truncated(), layers, d)));
    }
    return events;
  }

  /**
   * One tick of the {@code namespaces} topic: a {@code namespaces} event ({@link NamespacesEvent})
   * per running container whose processes' namespaces changed since the previous tick (a process
   * came, went, or is in another namespace of some type) — {container, pid, processes:[{pid,
   * namespaces:{type:{inode, sameAsHost}}}], diff:{against:"previous", added:[pid…],
   * removed:[pid…], changed:[{pid, ns, before, after}]}}; the first tick for a container reports
   * every process as added (against "none"). Reading costs one readlink per namespace type per
   * member process, plus — once per tick, only when some container has its own pid namespace — one
   * readlink of {@code ns/pid} per process of the machine to find that namespace's members.
   */
  public List<ObjectNode> namespacesTick(Collection<String> containers) {
    List<ObjectNode> events = new ArrayList<>();
    List<Container> live = runningContainers(containers);
    if (containers == null) {
      List<String> ids = live.stream().map(Container::id).toList();
      lastNamespaces.keySet().removeIf(k -> !ids.contains(k));
    }
    NamespaceTracker t = namespaceTracker();
    Map<String, Long> pids = new LinkedHashMap<>();
    java.util.Set<String> fresh = new java.util.HashSet<>();
    for (Container c : live) {
      pids.put(c.id(), c.hostPid());
      NamespacesState prev = lastNamespaces.get(c.id());
      if (prev == null || prev.pid != c.hostPid()) {
        fresh.add(c.id());
      }
    }
    // Even with nothing due, the tracker drains the kernel's events (they mark containers).
    var read = t.tick(pids, fresh);
    if (read.isEmpty()) {
      return events;
    }
    Namespaces host;
    try {
      host = t.host();
    } catch (ProcessGoneException e) {
      return events;
    }
    for (Container c : live) {
      var r = read.get(c.id());
      if (r == null) {
        continue; // nothing happened to it since its last event
      }
      if (r.isEmpty()) {
        lastNamespaces.remove(c.id());
        continue;
      }
      Map<Long, Map<String, Long>> now = r.get();
      NamespacesState prev = lastNamespaces.get(c.id());
      boolean first = prev == null || prev.pid != c.hostPid();
      NamespaceChanges d = NamespaceChanges.between(first ? Map.of() : prev.processes, now);
      lastNamespaces.put(c.id(), new NamespacesState(c.hostPid(), now));
      if (!d.isEmpty()) {
        events.add(namespacesEvent(c, host, now, first ? "none" : "previous", d));
      }
    }
    return events;
  }

  /**
   * Closes the namespaces topic's tracker (its socket of process events) while nobody watches the
   * topic; the next tick opens a new one.
   */
  public synchronized void idleNamespaces() {
    if (namespaceTracker != null) {
      namespaceTracker.close();
      namespaceTracker = null;
    }
  }

  /** The tracker of the namespaces topic, made on its first tick. */
  private synchronized NamespaceTracker namespaceTracker() {
    if (namespaceTracker == null) {
      namespaceTracker = NamespaceTracker.open(inspector, log);
    }
    return namespaceTracker;
  }

  private static ObjectNode namespacesEvent(
      Container c,
      Namespaces host,
      Map<Long, Map<String, Long>> now,
      String against,
      NamespaceChanges d) {
    List<NamespacesEvent.Member> members = new ArrayList<>();
    now.forEach(
        (pid, inodes) -> {
          Map<String, NamespacesEvent.Namespace> ns = new LinkedHashMap<>();
          for (String type : Namespaces.TYPES) {
            Long ino = inodes.get(type);
            if (ino != null) {
              ns.put(type, new NamespacesEvent.Namespace(ino, ino.equals(host.inodes().get(type))));
            }
          }
          members.add(new NamespacesEvent.Member(pid, ns));
        });
    return event(
        EventType.NAMESPACES, c.id(), new NamespacesEvent(c.hostPid(), members, d.toWire(against)));
  }

  /** An event line: the envelope {event, container} followed by the body record's fields. */
  private static ObjectNode event(EventType type, String container, Record body) {
    ObjectNode e = Messages.event(type, container);
    e.setAll((ObjectNode) Json.tree(body));
    return e;
  }

  /**
   * Forgets every container not in {@code ids}: its held files, last mount table and last
   * namespaces.
   */
  public void retainOnly(Collection<String> ids) {
    sampler.retainOnly(ids);
    MountTableWatch w = mountWatch;
    if (w != null) {
      w.retainOnly(ids);
    }
    lastMounts.keySet().removeIf(k -> !ids.contains(k));
    lastNamespaces.keySet().removeIf(k -> !ids.contains(k));
    lastUpper.keySet().removeIf(k -> !ids.contains(k));
    synchronized (this) {
      if (namespaceTracker != null) {
        namespaceTracker.retainOnly(ids);
      }
    }
  }

  @Override
  public void close() {
    sampler.close();
    synchronized (this) {
      if (namespaceTracker != null) {
        namespaceTracker.close();
      }
    }
    MountTableWatch w = mountWatch;
    if (w != null) {
      w.close();
    }
  }

  /**
   * The watch of the containers' mount tables, made on the first mounts tick; null for a fixture.
   */
  private MountTableWatch mountWatch() {
    if (!mountWatchMade) {
      mountWatch = MountTableWatch.forProc(inspector.fs(), new JnaSyscalls());
      mountWatchMade = true;
    }
    return mountWatch;
  }

  private Container running(String idOrName) {
    if (runtime == null) {
      throw new NoSuchElementException(
          "no container '" + idOrName + "': only \"host\" can be inspected without the runtime");
    }
    Container c =
        runtime
            .find(idOrName)
            .orElseThrow(() -> new NoSuchElementException("no container '" + idOrName + "'"));
    if (c.state() != Container.State.RUNNING) {
      throw new IllegalStateException(
          "container " + c.id() + " is " + c.state().name().toLowerCase() + ", not running");
    }
    return c;
  }

  private List<Container> runningContainers(Collection<String> wanted) {
    List<Container> out = new ArrayList<>();
    if (runtime == null) {
      return out;
    }
    if (wanted == null) {
      for (Container c : runtime.list()) {
        if (c.state() == Container.State.RUNNING) {
          out.add(c);
        }
      }
      return out;
    }
    for (String w : wanted) {
      runtime.find(w).filter(c -> c.state() == Container.State.RUNNING).ifPresent(out::add);
    }
    return out;
  }
}
