package org.glasshouse.helper.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Which devices a process may open, as its cgroups say: on cgroup v1 the {@code devices.list} of
 * its devices cgroup ({@code a *:* rwm}: any device, the host's default; {@code c 1:3 rwm} …: an
 * allow-list, level 08 and up); on cgroup v2, which has no devices controller, how many BPF device
 * programs are attached to its cgroup (the program itself is the list: its rules are in the
 * container's step log).
 *
 * @param cgroup the devices cgroup's directory (v1) or the unified cgroup's (v2)
 * @param source {@code devices.list} or {@code bpf}
 * @param allow v1: the allow-list, one {@code devices.list} line each
 * @param bpfPrograms v2: device programs attached to that cgroup itself (-1: could not be asked)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceAccess(String cgroup, String source, List<String> allow, Integer bpfPrograms) {

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
