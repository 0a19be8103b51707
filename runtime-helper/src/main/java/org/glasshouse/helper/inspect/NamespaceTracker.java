package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.glasshouse.helper.linux.JnaProcConnectorCalls;
import org.glasshouse.helper.linux.ProcConnectorCalls;
import org.glasshouse.helper.netlink.ProcEvents;

/**
 * What the {@code namespaces} topic reads each tick: the namespaces of every process of each
 * container, re-read only for the containers where a process may have come, gone or changed.
 *
 * <p>Polling every member's ten {@code /proc/PID/ns/*} links each tick, and the {@code ns/pid} link
 * of every process of the machine to find the members of a pid namespace, was most of the topics'
 * cost at 10 Hz (issue 16). With the kernel's process events ({@link ProcEventWatch}: fork, exec,
 * exit) the tracker knows which processes changed since the last tick:
 *
 * <ul>
 *   <li>an exit of a member, a fork by a member, a new process or an exec in a container's own pid
 *       namespace, or an exec of a process in a container's cgroup marks that container; only
 *       marked containers (and new ones) are read again, the links of their unchanged members come
 *       from a cache (the links of a forked or exec'd process are always read afresh);
 *   <li>the pid-namespace index is kept up to date from the same events: one {@code ns/pid}
 *       readlink per new process instead of one per process of the machine per tick;
 *   <li>{@code setns} and {@code unshare} have no event: a sweep every {@value #SWEEP_MS} ms reads
 *       everything again, as a poll does (most such moves are followed by an exec — {@code unshare
 *       sh}, {@code nsenter}, the helper's own {@code exec} — and are seen at once);
 *   <li>when the kernel dropped events, the next tick is a sweep.
 * </ul>
 *
 * Without the events (not root, not the kernel's procfs, a kernel without the connector) every tick
 * is a sweep, as before; that is said once through the log. Not thread-safe: the pump's.
 */
public final class NamespaceTracker implements AutoCloseable {

  /** How often everything is read again for the moves no event reports (setns, unshare). */
  public static final long SWEEP_MS = 1000;

  private final Inspector inspector;
  private final HostFs fs;
  private final LongSupplier clockMs;
  private ProcEventWatch events;
  private final Consumer<String> log;
  private long lastSweep;
  private boolean swept;
  private Namespaces host;

  /** pid → its links (type → inode); valid until the pid forks anew, execs or exits, or a sweep. */
  private final Map<Long, Map<String, Long>> links = new HashMap<>();

  /**
   * pid → its pid namespace, for every process of the machine; null until some container needs it.
   */
  private Map<Long, Long> pidNsOf;

  private final Map<Long, TreeSet<Long>> byPidNs = new HashMap<>();

  /** {@link #byPidNs} as {@link Inspector#memberPids} takes it; null after any change. */
  private Map<Long, List<Long>> indexView;

  /** What the tracker last read of each container: what its events are matched against. */
  private record Known(long pid, Set<Long> members, Long ownPidNs, String cgroup) {}

  private final Map<String, Known> known = new HashMap<>();

  /** Where the host's cgroups are, located at most once per sweep. */
  private Supplier<CgroupLocation> hostCgroups;

  /** The host's {@code /proc/PID/cgroup}, read at most once per sweep. */
  private String hostCgroup;

  /** Containers marked by events that were not read yet (not due on the tick that marked them). */
  private final Set<String> marked = new HashSet<>();

  /**
   * Processes whose exit event came and that may still be zombies: the kernel says when a process
   * exits, not when its parent reaps it, and until then it holds its pid (and its place in
   * pids.max) in its container. Each tick drops the ones that are gone.
   */
  private final Set<Long> exited = new HashSet<>();

  NamespaceTracker(
      Inspector inspector, ProcEventWatch events, LongSupplier clockMs, Consumer<String> log) {
    this.inspector = inspector;
    this.fs = inspector.fs();
    this.events = events;
    this.clockMs = clockMs;
    this.log = log;
  }

  /**
   * A tracker following the kernel's process events when {@code inspector} reads the kernel's
   * procfs and the connector opens; else a poller (a fixture's proc root, or the reason logged).
   */
  public static NamespaceTracker open(Inspector inspector, Consumer<String> log) {
    return open(inspector, new JnaProcConnectorCalls(), log);
  }

  /** As {@link #open(Inspector, Consumer)} on another connector seam (tests). */
  static NamespaceTracker open(
      Inspector inspector, ProcConnectorCalls calls, Consumer<String> log) {
    ProcEventWatch w = null;
    if (inspector.fs().proc().toAbsolutePath().normalize().toString().equals("/proc")) {
      try {
        w =
            ProcEventWatch.open(
                calls,
                why ->
                    log.accept(
                        "namespaces topic: no process events ("
                            + why
                            + "); every process's namespace links are read every tick"));
      } catch (LinkageError e) {
        log.accept("namespaces topic: no process events (" + e + "); polling every tick");
      }
    }
    return new NamespaceTracker(inspector, w, () -> System.nanoTime() / 1_000_000, log);
  }

  /** Whether process events drive the tracker (false: every tick is a sweep). */
  public boolean eventDriven() {
    return events != null;
  }

  /** The host's namespaces as of the last read (the last sweep, when events drive the tracker). */
  public Namespaces host() throws ProcessGoneException {
    if (host == null || events == null) {
      host = Namespaces.read(fs, inspector.hostPid());
    }
    return host;
  }

  /**
   * One tick.
   *
   * @param containers id → first pid, of the running containers due this tick
   * @param fresh the ids among them that need a reading whatever happened (no previous one)
   * @return id → (pid → (type → inode)) for the containers that may have changed — every one of
   *     {@code containers} on a sweep — and id → empty for one whose first process is gone
   */
  public Map<String, Optional<Map<Long, Map<String, Long>>>> tick(
      Map<String, Long> containers, Set<String> fresh) {
    long now = clockMs.getAsLong();
    boolean sweep = events == null || !swept || now - lastSweep >= SWEEP_MS;
    boolean lost = events == null || !swept;
    if (events != null) {
      ProcEventWatch.Drained d = events.drain();
      if (events.broken()) {
        lost = true;
        log.accept(
            "namespaces topic: the process events socket failed; every process's namespace links"
                + " are read every tick from now on");
        events = null;
        sweep = true;
      } else if (d.lost()) {
        sweep = true;
        lost = true;
      } else {
        apply(d.events());
      }
    }
    reaped();
    Map<String, Optional<Map<Long, Map<String, Long>>>> out = new LinkedHashMap<>();
    if (sweep) {
      lastSweep = now;
      swept = true;
      links.clear();
      known.clear();
      marked.clear();
      if (lost) {
        // A process's pid namespace never changes: the index is only rebuilt when events were
        // missed (or there are none), not on every sweep.
        pidNsOf = null;
        byPidNs.clear();
        indexView = null;
      }
      host = null;
      hostCgroups = inspector.hostCgroupsOnce();
      hostCgroup = null;
    }
    for (Map.Entry<String, Long> c : containers.entrySet()) {
      String id = c.getKey();
      Known k = known.get(id);
      if (sweep
          || fresh.contains(id)
          || k == null
          || k.pid != c.getValue()
          || marked.contains(id)) {
        out.put(id, Optional.ofNullable(read(id, c.getValue())));
        marked.remove(id);
      }
    }
    return out;
  }

  /** Forgets the containers not in {@code ids}. */
  public void retainOnly(Collection<String> ids) {
    known.keySet().retainAll(ids);
    marked.retainAll(ids);
  }

  /** Invalidates caches and marks the containers the events touch. */
  private void apply(List<ProcEvents.Event> evs) {
    if (evs.isEmpty()) {
      return;
    }
    boolean anyOwnPidNs = false;
    boolean anyCgroup = false;
    for (Known k : known.values()) {
      anyOwnPidNs |= k.ownPidNs != null;
      anyCgroup |= k.cgroup != null;
    }
    for (ProcEvents.Event e : evs) {
      long p = e.pid();
      links.remove(p);
      boolean member = false;
      for (Map.Entry<String, Known> k : known.entrySet()) {
        Set<Long> m = k.getValue().members;
        if (m.contains(p) || (e.kind() == ProcEvents.Kind.FORK && m.contains(e.parent()))) {
          marked.add(k.getKey());
          member = true;
        }
      }
      if (e.kind() == ProcEvents.Kind.EXIT) {
        // A zombie from now until its parent reaps it: still in its pid namespace (reaped()). Only
        // a container's process is watched for that; any other exit of the machine is forgotten.
        if (member || (pidNsOf != null && pidNsOf.containsKey(p))) {
          exited.add(p);
        } else {
          forgetPidNs(p);
        }
        continue;
      }
      exited.remove(p); // the pid came back: a new process (its fork) or the same one (an exec)
      if (pidNsOf != null || anyOwnPidNs) {
        Long ns = readPidNs(p);
        if (ns != null) {
          for (Map.Entry<String, Known> k : known.entrySet()) {
            if (ns.equals(k.getValue().ownPidNs)) {
              marked.add(k.getKey());
            }
          }
        }
      }
      if (e.kind() == ProcEvents.Kind.EXEC && !member && anyCgroup) {
        // A process that joined a container's cgroup (an exec into it) shows by its exec.
        String cg = cgroupOf(p);
        if (cg != null) {
          for (Map.Entry<String, Known> k : known.entrySet()) {
            if (cg.equals(k.getValue().cgroup)) {
              marked.add(k.getKey());
            }
          }
        }
      }
    }
  }

  /**
   * Forgets the exited processes that are gone (reaped) and marks the containers they were in; a
   * zombie stays. One stat per exited process a tick: most are reaped within the tick they exit.
   */
  private void reaped() {
    for (java.util.Iterator<Long> it = exited.iterator(); it.hasNext(); ) {
      long p = it.next();
      if (fs.alive(p)) {
        continue;
      }
      it.remove();
      forgetPidNs(p);
      links.remove(p);
      for (Map.Entry<String, Known> k : known.entrySet()) {
        if (k.getValue().members.contains(p)) {
          marked.add(k.getKey());
        }
      }
    }
  }

  /** Reads {@code p}'s ns/pid link, keeping the index when it is kept; null when gone. */
  private Long readPidNs(long p) {
    forgetPidNs(p);
    try {
      Optional<String> link = fs.readPidLink(p, "ns/pid");
      OptionalLong ino = link.isPresent() ? Namespaces.parseLink(link.get()) : OptionalLong.empty();
      if (ino.isEmpty()) {
        return null;
      }
      if (pidNsOf != null) {
        pidNsOf.put(p, ino.getAsLong());
        byPidNs.computeIfAbsent(ino.getAsLong(), x -> new TreeSet<>()).add(p);
      }
      return ino.getAsLong();
    } catch (ProcessGoneException g) {
      return null;
    }
  }

  private void forgetPidNs(long p) {
    indexView = null;
    if (pidNsOf == null) {
      return;
    }
    Long was = pidNsOf.remove(p);
    if (was != null) {
      TreeSet<Long> s = byPidNs.get(was);
      if (s != null) {
        s.remove(p);
        if (s.isEmpty()) {
          byPidNs.remove(was);
        }
      }
    }
  }

  private String cgroupOf(long p) {
    try {
      return fs.readPidFile(p, "cgroup");
    } catch (ProcessGoneException g) {
      return null;
    }
  }

  /** The index over every process, built once per sweep (one ns/pid readlink per process). */
  private Map<Long, List<Long>> pidNsIndex() {
    if (pidNsOf == null) {
      pidNsOf = new HashMap<>();
      byPidNs.clear();
      indexView = null;
      inspector
          .pidNamespaceIndex()
          .forEach(
              (ns, pids) -> {
                for (long p : pids) {
                  pidNsOf.put(p, ns);
                }
                byPidNs.computeIfAbsent(ns, x -> new TreeSet<>()).addAll(pids);
              });
    }
    if (indexView == null) {
      Map<Long, List<Long>> view = new HashMap<>();
      byPidNs.forEach((ns, pids) -> view.put(ns, new ArrayList<>(pids)));
      indexView = view;
    }
    return indexView;
  }

  private Map<String, Long> linksOf(long p) throws ProcessGoneException {
    Map<String, Long> l = links.get(p);
    if (l == null) {
      l = Namespaces.read(fs, p).inodes();
      if (events != null) {
        links.put(p, l);
      }
    }
    return l;
  }

  /** Reads one container; null when its first process is gone. */
  private Map<Long, Map<String, Long>> read(String id, long pid) {
    Namespaces hostNs;
    try {
      hostNs = host();
    } catch (ProcessGoneException e) {
      return null;
    }
    Map<String, Long> mine;
    TreeSet<Long> members;
    try {
      mine = linksOf(pid);
      Long pidNs = mine.get("pid");
      Long hostPidNs = hostNs.inodes().get("pid");
      members = inspector.memberPids(pid, pidNs, hostPidNs, this::pidNsIndex, null, hostCgroups);
      boolean own = pidNs != null && hostPidNs != null && !pidNs.equals(hostPidNs);
      String cgroup = own || events == null ? null : cgroupOf(pid);
      if (cgroup != null) {
        if (hostCgroup == null) {
          hostCgroup = cgroupOf(inspector.hostPid());
        }
        if (cgroup.equals(hostCgroup)) {
          cgroup = null; // members are its descendants: a fork by one of them shows them
        }
      }
      known.put(id, new Known(pid, Set.copyOf(members), own ? pidNs : null, cgroup));
    } catch (ProcessGoneException e) {
      known.remove(id);
      links.remove(pid);
      return null;
    }
    Map<Long, Map<String, Long>> out = new TreeMap<>();
    for (long p : members) {
      try {
        out.put(p, p == pid ? mine : linksOf(p));
      } catch (ProcessGoneException e) {
        // Exited between the listing and the reading: not a member any more.
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
  }
}
