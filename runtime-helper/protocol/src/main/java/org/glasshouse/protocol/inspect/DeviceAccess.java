package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

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
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceAccess(String cgroup, String source, List<String> allow, Integer bpfPrograms) {}
