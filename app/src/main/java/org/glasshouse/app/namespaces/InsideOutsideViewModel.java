package org.glasshouse.app.namespaces;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.glasshouse.app.core.Inspections;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.Units;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * The central view's model: the selected container side by side with the host — hostname, each
 * namespace, PID 1's command, no_new_privs and seccomp, the network (interfaces; with level 07's
 * bridge both veth ends, the bridge, addresses and byte counters), cgroup limits and usage. Facts
 * come from the {@code inspect} op (asked again when the container starts or exits) and usage from
 * its telemetry samples, both as numbers; the rows it builds for the table are the one place they
 * are put into words ({@link Units}).
 */
public final class InsideOutsideViewModel {
  /** How often the selected container's usage is sampled for the table. */
  static final int TELEMETRY_INTERVAL_MS = 1000;

  private final LabService lab;
  private final Executor ui;
  private final ObservableList<Comparison> rows = FXCollections.observableArrayList();
  private final StringProperty note = new SimpleStringProperty("Select a container.");
  private final ChangeListener<ContainerState> stateListener = (o, a, b) -> refresh();
  // A sample also re-reads both sides: nothing announces `hostname other` typed inside (or on the
  // host, at the levels that share its UTS namespace), so the facts are asked again at the
  // sampling rate, one inspection at a time.
  private final ChangeListener<TelemetrySample> telemetryListener =
      (o, a, b) -> {
        if (this.item == null || !this.item.state().live()) {
          return;
        }
        rebuild();
        if (!this.inspecting) {
          refresh();
        }
      };
  private boolean inspecting;
  private ContainerItem item;
  private InspectResult host;
  private InspectResult inside;
  private CompletableFuture<LabService.Subscription> telemetry;

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
    stopTelemetry();
    item = next;
    inside = null;
    // The rows describe the container shown: none of the previous one's may stand under the next
    // one's name while its inspection is pending (or fails, as it does while it is starting).
    rows.clear();
    if (next == null) {
      note.set("Select a container.");
      return;
    }
    next.stateProperty().addListener(stateListener);
    next.telemetryProperty().addListener(telemetryListener);
    if (next.state().live()) {
      telemetry =
          lab.subscribe(List.of(next.id()), List.of(Topic.TELEMETRY), TELEMETRY_INTERVAL_MS);
      telemetry.exceptionally(t -> null);
    }
    refresh();
  }

  /** Ends the telemetry subscription of the container shown until now, if any. */
  private void stopTelemetry() {
    CompletableFuture<LabService.Subscription> s = telemetry;
    telemetry = null;
    if (s != null) {
      s.thenCompose(LabService.Subscription::unsubscribe).exceptionally(t -> null);
    }
  }

  /** Asks the helper again for both sides. */
  public void refresh() {
    ContainerItem target = item;
    if (target == null) {
      return;
    }
    if (!target.state().live()) {
      // Its namespaces, cgroups and processes are gone: no row may still describe them.
      stopTelemetry();
      inside = null;
      rows.clear();
      note.set(
          "Container "
              + target.shortId()
              + " is not running ("
              + target.summaryProperty().get()
              + "): its namespaces are gone.");
      return;
    }
    note.set("Container " + target.shortId() + " next to the host.");
    inspecting = true;
    CompletableFuture<InspectResult> h = lab.inspect("host", false);
    CompletableFuture<InspectResult> c = lab.inspect(target.id(), false);
    h.thenCombine(c, (hh, cc) -> new InspectResult[] {hh, cc})
        .whenCompleteAsync(
            (pair, t) -> {
              inspecting = false;
              if (item != target || !target.state().live()) {
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
    out.add(
        new Comparison(
            "identity", "hostname", Inspections.hostname(host), Inspections.hostname(inside)));
    // Without a PID namespace of its own the container's PID 1 is the host's: same row, not a
    // difference.
    String hostPid1 = Inspections.pid1Command(host);
    String insidePid1 = Inspections.pid1Command(inside);
    out.add(
        new Comparison("identity", "PID 1", hostPid1, insidePid1 != null ? insidePid1 : hostPid1));
    Map<String, String> hostNs = namespaces(host);
    Map<String, String> insideNs = namespaces(inside);
    Set<String> ns = new LinkedHashSet<>(hostNs.keySet());
    ns.addAll(insideNs.keySet());
    for (String n : ns) {
      out.add(new Comparison("namespace", n, hostNs.get(n), insideNs.get(n)));
    }
    Map<String, String> hostLocks = security(host);
    Map<String, String> insideLocks = security(inside);
    Set<String> locks = new LinkedHashSet<>(hostLocks.keySet());
    locks.addAll(insideLocks.keySet());
    for (String k : locks) {
      out.add(new Comparison("security", k, hostLocks.get(k), insideLocks.get(k)));
    }
    network(host, inside).forEach(out::add);
    CgroupStats stats = Inspections.stats(inside).orElse(null);
    limits(stats).forEach((k, v) -> out.add(new Comparison("limit", k, null, v)));
    TelemetrySample sample = item == null ? null : item.telemetryProperty().get();
    Map<String, String> usage = usage(stats, null);
    if (sample != null && !sample.gone()) {
      usage.putAll(usage(sample.cgroup(), sample.cpuPercent()));
    }
    usage.forEach((k, v) -> out.add(new Comparison("usage", k, null, v)));
    rows.setAll(out);
  }

  /** Type → identity as {@code ls -l /proc/PID/ns} writes it: {@code uts:[4026531838]}. */
  private static Map<String, String> namespaces(InspectResult r) {
    Map<String, String> out = new LinkedHashMap<>();
    if (r != null && r.namespaces() != null) {
      r.namespaces()
          .forEach(
              (type, v) -> out.put(type, v.inode() == null ? null : type + ":[" + v.inode() + "]"));
    }
    return out;
  }

  /**
   * The locks of one process (PID 1 inside, else the first listed), in words: no_new_privs as 0 or
   * 1, the seccomp mode with its filter count ({@code filter (1 filter)}).
   */
  private static Map<String, String> security(InspectResult r) {
    Map<String, String> out = new LinkedHashMap<>();
    ProcessInfo p =
        Inspections.pid1(r)
            .orElse(
                r == null || r.processes() == null || r.processes().isEmpty()
                    ? null
                    : r.processes().get(0));
    if (p == null) {
      return out;
    }
    out.put("no_new_privs", p.noNewPrivs() ? "1" : "0");
    if (p.seccompMode() != null) {
      Integer n = p.seccompFilters();
      out.put(
          "seccomp",
          n != null && n > 0
              ? p.seccompMode() + " (" + n + (n == 1 ? " filter)" : " filters)")
              : p.seccompMode());
    }
    return out;
  }

  /**
   * The network rows: each side's interfaces, and for a container wired to the helper's bridge the
   * wiring with its host side in the host column — the veth end on the bridge, the bridge's address
   * (the gateway), that end's counters, the {@code ip netns} link — next to the container's end,
   * its address, route and counters.
   */
  private static List<Comparison> network(InspectResult host, InspectResult inside) {
    List<Comparison> out = new ArrayList<>();
    NetworkInfo h = host == null ? null : host.network();
    NetworkInfo c = inside == null ? null : inside.network();
    if (h == null && c == null) {
      return out;
    }
    out.add(new Comparison("network", "interfaces", interfaces(h), interfaces(c)));
    NetworkInfo.Wiring w = c == null ? null : c.wiring();
    if (w == null) {
      return out;
    }
    out.add(
        new Comparison(
            "network", "veth pair", w.hostEnd() + " on " + w.bridge(), w.containerEnd()));
    out.add(new Comparison("network", "address", w.bridgeAddress(), w.address()));
    out.add(new Comparison("network", "route", null, "default via " + w.gateway()));
    out.add(
        new Comparison(
            "network",
            "veth bytes",
            traffic(w.hostEndRxBytes(), w.hostEndTxBytes()),
            traffic(w.containerEndRxBytes(), w.containerEndTxBytes())));
    out.add(new Comparison("network", "ip netns", w.netns(), null));
    return out;
  }

  /** Interface names, the first few of a long list ({@code lo, eth0 (+5)}); null when unknown. */
  private static String interfaces(NetworkInfo n) {
    if (n == null || n.interfaces() == null || n.interfaces().isEmpty()) {
      return null;
    }
    List<String> names = n.interfaces().stream().map(NetworkInfo.Interface::name).toList();
    int shown = Math.min(names.size(), 4);
    String text = String.join(", ", names.subList(0, shown));
    return names.size() > shown ? text + " (+" + (names.size() - shown) + ")" : text;
  }

  /** One end's counters: {@code rx 1.2 KiB · tx 880 B}; null when neither could be read. */
  private static String traffic(Long rx, Long tx) {
    if (rx == null && tx == null) {
      return null;
    }
    return "rx "
        + (rx == null ? Units.MISSING : Units.bytes(rx))
        + " · tx "
        + (tx == null ? Units.MISSING : Units.bytes(tx));
  }

  /** The limits the container runs under, in words; absent ones left out. */
  private static Map<String, String> limits(CgroupStats s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null) {
      return out;
    }
    CgroupStats.Cpu cpu = s.cpu();
    if (cpu != null) {
      if (cpu.shares() != null) {
        out.put("cpu shares", Long.toString(cpu.shares()));
      }
      if (cpu.weight() != null) {
        out.put("cpu weight", Long.toString(cpu.weight()));
      }
      if (cpu.quotaUs() != null && cpu.periodUs() != null && cpu.periodUs() > 0) {
        out.put("cpus", Units.ratio(cpu.quotaUs() / (double) cpu.periodUs()));
      }
    }
    CgroupStats.Memory mem = s.memory();
    if (mem != null && mem.limitBytes() != null) {
      out.put("memory limit", Units.bytes(mem.limitBytes()));
    }
    if (mem != null && mem.swapLimitBytes() != null) {
      // v1's memory.memsw.limit_in_bytes is memory and swap together; v2's memory.swap.max swap
      // alone (hybrid: the memory controller is v1's).
      out.put(
          "v1".equals(s.version()) || "hybrid".equals(s.version())
              ? "mem+swap limit"
              : "swap limit",
          Units.bytes(mem.swapLimitBytes()));
    }
    if (s.pids() != null && s.pids().max() != null) {
      out.put("pids max", Long.toString(s.pids().max()));
    }
    return out;
  }

  /** Current usage in words (with a telemetry sample's CPU %); absent figures left out. */
  private static Map<String, String> usage(CgroupStats s, Double cpuPercent) {
    Map<String, String> out = new LinkedHashMap<>();
    if (cpuPercent != null) {
      out.put("cpu", Units.percent(cpuPercent));
    }
    if (s == null) {
      return out;
    }
    CgroupStats.Memory mem = s.memory();
    if (mem != null && mem.usageBytes() != null) {
      out.put("memory", Units.bytes(mem.usageBytes()));
    }
    if (mem != null && mem.oomKills() != null && mem.oomKills() > 0) {
      out.put("OOM kills", Long.toString(mem.oomKills()));
    }
    if (s.pids() != null && s.pids().current() != null) {
      out.put("pids", Long.toString(s.pids().current()));
    }
    return out;
  }
}
