package org.glasshouse.helper.inspect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.glasshouse.helper.linux.Dir;
import org.glasshouse.helper.linux.FsCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.protocol.inspect.Accounts;
import org.glasshouse.protocol.inspect.ProcessInfo;

/**
 * Names the uids and gids of a container's processes from the container's own {@code /etc/passwd}
 * and {@code /etc/group} and from the host's. The container's files are read beneath {@code
 * /proc/PID/root} with {@link Dir#readRegular}: the container decides what its files are (a link, a
 * FIFO, a huge file), so they are resolved the way the container would resolve them and never
 * beyond its root, read without blocking and only when regular, at most {@link #MAX_BYTES} each.
 */
public final class AccountReader {
  /** More than any real account file; a bigger one is read only this far. */
  static final int MAX_BYTES = 256 * 1024;

  private AccountReader() {}

  /** The accounts of {@code processes}, whose root is {@code /proc/PID/root} under {@code fs}. */
  public static Accounts read(HostFs fs, long pid, List<ProcessInfo> processes) {
    TreeSet<Long> uids = new TreeSet<>();
    TreeSet<Long> gids = new TreeSet<>();
    for (ProcessInfo p : processes == null ? List.<ProcessInfo>of() : processes) {
      if (p.uids() != null) {
        uids.addAll(p.uids());
      }
      if (p.gids() != null) {
        gids.addAll(p.gids());
      }
    }
    Path root = fs.pidDir(pid).resolve("root");
    Map<Long, String> users = names(root, "etc/passwd");
    Map<Long, String> groups = names(root, "etc/group");
    Map<Long, String> hostUsers = names(fs.root(), "etc/passwd");
    Map<Long, String> hostGroups = names(fs.root(), "etc/group");
    return new Accounts(accounts(uids, users, hostUsers), accounts(gids, groups, hostGroups));
  }

  private static List<Accounts.Account> accounts(
      Collection<Long> ids, Map<Long, String> inside, Map<Long, String> host) {
    List<Accounts.Account> out = new ArrayList<>();
    for (long id : ids) {
      out.add(new Accounts.Account(id, inside.get(id), host.get(id)));
    }
    return out;
  }

  /** id → name of an account file beneath {@code root}; empty when it cannot be read. */
  static Map<Long, String> names(Path root, String file) {
    try (Dir d = Dir.openRootOf(FsCalls.real(), root)) {
      Optional<byte[]> content = d.readRegular(file, MAX_BYTES);
      return content.map(c -> parse(new String(c, StandardCharsets.UTF_8))).orElse(Map.of());
    } catch (SyscallException e) {
      // The process is gone (its root link with it) or its root is unreadable: no names.
      return Map.of();
    }
  }

  /**
   * {@code name:password:id:…} lines (passwd and group share the first three fields) → id → name.
   * The first name of an id wins, as for getpwuid(3); comments, malformed lines and names that are
   * not printable are skipped.
   */
  static Map<Long, String> parse(String content) {
    Map<Long, String> out = new HashMap<>();
    for (String line : content.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length < 3 || f[0].isEmpty() || f[0].startsWith("#") || !printable(f[0])) {
        continue;
      }
      try {
        long id = Long.parseLong(f[2].trim());
        if (id >= 0) {
          out.putIfAbsent(id, f[0]);
        }
      } catch (NumberFormatException e) {
        // Not an account line.
      }
    }
    return out;
  }

  private static boolean printable(String name) {
    return name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c != 0x7f);
  }
}
