package org.glasshouse.helper.inspect;

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
import java.util.function.Supplier;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.protocol.EventType;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.StatsResult;
import org.glasshouse.protocol.inspect.TelemetryEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;

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

  private record MountsState(long pid, int hash, List<MountEntry> entries) {}

  private record NamespacesState(long pid, Map<Long, Map<String, Long>> processes) {}

  /**
   * @param runtime the containers (null: only "host" can be inspected, as the CLI does without a
   *     helper)
   * @param inspector the readers
   */
  public InspectionService(ContainerRuntime runtime, Inspector inspector) {
    this.runtime = runtime;
    this.inspector = inspector;
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
    return Json.tree(
        upper
            ? inspector.inspectWithUpperDir(c.id(), c.hostPid(), c.upperDir().orElse(null))
            : inspector.inspect(c.id(), c.hostPid()));
  }

  /**
   * {@code mounts} {container|"host", diff?:"host"} → {@link MountsResult} as JSON. The host's
   * table marks mounts lying under the root of a running container that shares the host's mount
   * namespace ({@code leakedFrom}).
   */
  public JsonNode mounts(String target, String diff) {
    if (diff != null && !diff.equals("host")) {
      throw new IllegalArgumentException("diff must be \"host\", not \"" + diff + "\"");
    }
    if ("host".equals(target)) {
      Map<String, Long> pids = new LinkedHashMap<>();
      for (Container c : runningContainers(null)) {
        pids.put(c.id(), c.hostPid());
      }
      return Json.tree(inspector.mounts("host", inspector.hostPid(), null, pids));
    }
    Container c = running(target);
    return Json.tree(inspector.mounts(c.id(), c.hostPid(), diff, Map.of()));
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
    List<Container> live = runningContainers(containers);
    if (containers == null) {
      sampler.retainOnly(live.stream().map(Container::id).toList());
    }
    List<ObjectNode> events = new ArrayList<>();
    for (Container c : live) {
      events.add(
          event(
              EventType.TELEMETRY,
              c.id(),
              new TelemetryEvent(sampler.sample(c.id(), c.hostPid()))));
    }
    return events;
  }

  /**
   * One tick of the {@code mounts} topic: a {@code mounts} event ({@link MountsEvent}) per running
   * container whose mount table changed since the previous tick — {container, pid, count,
   * diff:{against:"previous", added, removed, changed}}; the first tick for a container reports
   * every mount as added (against "none"). Changes are found by re-reading {@code
   * /proc/PID/mountinfo} and comparing a hash, a periodic rescan: polling POLLPRI on it would need
   * poll(2) through JNA outside the linux package.
   */
  public List<ObjectNode> mountsTick(Collection<String> containers) {
    List<ObjectNode> events = new ArrayList<>();
    List<Container> live = runningContainers(containers);
    if (containers == null) {
      List<String> ids = live.stream().map(Container::id).toList();
      lastMounts.keySet().removeIf(k -> !ids.contains(k));
    }
    for (Container c : live) {
      String text;
      try {
        text = inspector.fs().readPidFile(c.hostPid(), "mountinfo");
      } catch (ProcessGoneException e) {
        lastMounts.remove(c.id());
        continue;
      }
      MountsState prev = lastMounts.get(c.id());
      int hash = text.hashCode();
      if (prev != null && prev.pid == c.hostPid() && prev.hash == hash) {
        continue;
      }
      List<MountEntry> now = MountInfoParser.parseTotal(text).entries();
      boolean first = prev == null || prev.pid != c.hostPid();
      MountDiff d = MountDiff.between(first ? List.of() : prev.entries, now);
      lastMounts.put(c.id(), new MountsState(c.hostPid(), hash, now));
      if (d.isEmpty()) {
        continue;
      }
      events.add(
          event(
              EventType.MOUNTS,
              c.id(),
              new MountsEvent(c.hostPid(), now.size(), d.toWire(first ? "none" : "previous"))));
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
    if (live.isEmpty()) {
      return events;
    }
    Namespaces host;
    try {
      host = Namespaces.read(inspector.fs(), inspector.hostPid());
    } catch (ProcessGoneException e) {
      return events;
    }
    Map<Long, List<Long>> index = new HashMap<>();
    boolean[] indexed = {false};
    Supplier<Map<Long, List<Long>>> pidNsIndex =
        () -> {
          if (!indexed[0]) {
            index.putAll(inspector.pidNamespaceIndex());
            indexed[0] = true;
          }
          return index;
        };
    for (Container c : live) {
      Map<Long, Map<String, Long>> now;
      try {
        now = inspector.containerNamespaces(c.hostPid(), host, pidNsIndex);
      } catch (ProcessGoneException e) {
        lastNamespaces.remove(c.id());
        continue;
      }
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
    lastMounts.keySet().removeIf(k -> !ids.contains(k));
    lastNamespaces.keySet().removeIf(k -> !ids.contains(k));
  }

  @Override
  public void close() {
    sampler.close();
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
