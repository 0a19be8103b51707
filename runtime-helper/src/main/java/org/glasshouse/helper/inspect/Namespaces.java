package org.glasshouse.helper.inspect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Namespace identities of one process: the nsfs inode behind each {@code /proc/PID/ns/X} link
 * ({@code mnt:[4026531840]} → 4026531840). Two processes share a namespace exactly when the inodes
 * are equal (the device is always nsfs's).
 *
 * @param pid the process (host pid)
 * @param inodes inode per namespace type, in {@link #TYPES} order; a type the kernel lacks is
 *     absent
 */
public record Namespaces(long pid, Map<String, Long> inodes) {

  /** Every namespace link the lab shows, in display order. */
  public static final List<String> TYPES =
      List.of(
          "mnt",
          "uts",
          "ipc",
          "pid",
          "net",
          "cgroup",
          "user",
          "time",
          "pid_for_children",
          "time_for_children");

  /** Compact canonical constructor: keeps a copy. */
  public Namespaces {
    inodes = Map.copyOf(inodes);
  }

  /** Reads all links of {@code pid}. */
  public static Namespaces read(HostFs fs, long pid) throws ProcessGoneException {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String type : TYPES) {
      var link = fs.readPidLink(pid, "ns/" + type);
      if (link.isPresent()) {
        OptionalLong ino = parseLink(link.get());
        if (ino.isPresent()) {
          m.put(type, ino.getAsLong());
        }
      }
    }
    if (m.isEmpty() && !fs.alive(pid)) {
      throw new ProcessGoneException(pid);
    }
    return new Namespaces(pid, m);
  }

  /** {@code "mnt:[4026531840]"} → 4026531840; empty for anything else. */
  public static OptionalLong parseLink(String target) {
    int open = target.indexOf(":[");
    if (open < 0 || !target.endsWith("]")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(target.substring(open + 2, target.length() - 1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * This process's namespaces side by side with the host's (PID 1's).
   *
   * @return per type in {@link #TYPES} order: the two inodes and whether they are equal
   */
  public Map<String, Comparison> compareWith(Namespaces host) {
    Map<String, Comparison> out = new LinkedHashMap<>();
    for (String type : TYPES) {
      Long mine = inodes.get(type);
      Long theirs = host.inodes.get(type);
      if (mine != null || theirs != null) {
        out.put(type, new Comparison(mine, theirs, mine != null && mine.equals(theirs)));
      }
    }
    return out;
  }

  /**
   * One namespace of a process against the host's.
   *
   * @param inode this process's inode (null when unreadable)
   * @param hostInode the host's inode
   * @param sameAsHost whether they are the same namespace
   */
  public record Comparison(Long inode, Long hostInode, boolean sameAsHost) {}
}
