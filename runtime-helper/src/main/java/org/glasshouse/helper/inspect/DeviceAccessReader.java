package org.glasshouse.helper.inspect;

import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;
import org.glasshouse.protocol.inspect.DeviceAccess;

/** Reads {@link DeviceAccess}: which devices a process may open, as its cgroups say. */
final class DeviceAccessReader {
  private DeviceAccessReader() {}

  /**
   * Reads what applies to a process in {@code loc} (its full location, not only its own groups: an
   * inherited {@code a *:* rwm} is the answer for a container without a device list); null when
   * neither hierarchy is there.
   *
   * @param programs counts the BPF device programs attached to a v2 cgroup dir
   */
  static DeviceAccess read(CgroupLocation loc, ToIntFunction<Path> programs) {
    Path v1 = loc.v1().get("devices");
    if (v1 != null) {
      List<String> lines =
          HostFs.readOptional(v1.resolve("devices.list"))
              .orElse("")
              .lines()
              .map(String::trim)
              .filter(l -> !l.isEmpty())
              .toList();
      return new DeviceAccess(v1.toString(), "devices.list", lines, null);
    }
    if (loc.v2() != null) {
      return new DeviceAccess(loc.v2().toString(), "bpf", null, programs.applyAsInt(loc.v2()));
    }
    return null;
  }
}
