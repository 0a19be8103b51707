package org.glasshouse.app.glasshouse;

import java.util.List;
import org.glasshouse.app.core.Inspections;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.ProcessInfo;

/**
 * The host around the containers, from {@code inspect host}.
 *
 * @param known whether the host was read yet
 * @param hostname its hostname; null before it was read (or when it could not be)
 * @param rootSource the device of its /
 * @param rootFsType its filesystem type
 * @param pid1 the command of the process read as the host (PID 1, or the helper when PID 1 is not
 *     readable)
 * @param pid1Pid that process's pid
 * @param interfaces its network interfaces' names
 * @param caps how many capabilities its bounding set holds
 */
public record HostModel(
    boolean known,
    String hostname,
    String rootSource,
    String rootFsType,
    String pid1,
    long pid1Pid,
    List<String> interfaces,
    int caps) {

  /** Before the host was read. */
  public static final HostModel UNKNOWN =
      new HostModel(false, null, null, null, null, 0, List.of(), 0);

  /** The host as {@code inspect host} describes it; {@link #UNKNOWN} for null or gone. */
  public static HostModel of(InspectResult r) {
    if (r == null || r.gone()) {
      return UNKNOWN;
    }
    ProcessInfo p = r.processes() == null || r.processes().isEmpty() ? null : r.processes().get(0);
    List<String> ifaces =
        r.network() == null || r.network().interfaces() == null
            ? List.of()
            : r.network().interfaces().stream().map(NetworkInfo.Interface::name).toList();
    int caps = 0;
    if (p != null && p.capabilities() != null && p.capabilities().get("bounding") != null) {
      caps = p.capabilities().get("bounding").size();
    }
    String hostname = Inspections.hostname(r);
    return new HostModel(
        true,
        hostname,
        r.mounts() == null ? null : r.mounts().rootSource(),
        r.mounts() == null ? null : r.mounts().rootFsType(),
        p == null ? null : Inspections.command(p),
        p == null ? 0 : p.pid(),
        ifaces,
        caps);
  }
}
