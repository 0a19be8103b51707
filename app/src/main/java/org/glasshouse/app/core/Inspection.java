package org.glasshouse.app.core;

import java.util.Map;

/**
 * The facts the inside-vs-outside view compares, for a container or for the host. Maps keep the
 * helper's order.
 *
 * @param hostname the UTS hostname
 * @param namespaces namespace type ({@code uts}, {@code mnt}, …) to its identity ({@code
 *     uts:[4026531838]})
 * @param pid1Command the command line of PID 1 as seen from inside (the host's init for the host);
 *     null for a container without a PID namespace of its own, whose PID 1 is the host's
 * @param limits cgroup limit name to value, human-readable
 * @param usage cgroup usage name to value, human-readable
 * @param security the first process's locks ({@code no_new_privs}, {@code seccomp}) as words:
 *     {@code seccomp} → {@code filter (1 filter)}
 */
public record Inspection(
    String hostname,
    Map<String, String> namespaces,
    String pid1Command,
    Map<String, String> limits,
    Map<String, String> usage,
    Map<String, String> security) {

  /** Nothing known yet. */
  public static final Inspection EMPTY = new Inspection(null, Map.of(), null, Map.of(), Map.of());

  /** Without security facts. */
  public Inspection(
      String hostname,
      Map<String, String> namespaces,
      String pid1Command,
      Map<String, String> limits,
      Map<String, String> usage) {
    this(hostname, namespaces, pid1Command, limits, usage, Map.of());
  }
}
