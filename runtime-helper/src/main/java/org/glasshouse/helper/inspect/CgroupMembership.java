package org.glasshouse.helper.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of {@code /proc/PID/cgroup}: {@code 4:memory:/glasshouse/3f9a…} (v1: hierarchy id,
 * controllers, path) or {@code 0::/glasshouse/3f9a…} (v2: id 0, no controllers).
 *
 * @param hierarchy hierarchy id (0 for the unified hierarchy)
 * @param controllers controllers bound to it ({@code cpu}, {@code cpuacct}, {@code name=systemd});
 *     empty for v2
 * @param path the cgroup's path relative to the hierarchy's root
 */
public record CgroupMembership(int hierarchy, List<String> controllers, String path) {

  /** Whether this is the unified (v2) hierarchy's line. */
  public boolean unified() {
    return hierarchy == 0 && controllers.isEmpty();
  }

  /** Parses the whole file; total: malformed lines are skipped. */
  public static List<CgroupMembership> parse(String text) {
    List<CgroupMembership> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int a = line.indexOf(':');
      int b = a < 0 ? -1 : line.indexOf(':', a + 1);
      if (b < 0) {
        continue;
      }
      try {
        int id = Integer.parseInt(line.substring(0, a));
        String ctl = line.substring(a + 1, b);
        List<String> controllers = ctl.isEmpty() ? List.of() : Arrays.asList(ctl.split(","));
        out.add(new CgroupMembership(id, List.copyOf(controllers), line.substring(b + 1)));
      } catch (NumberFormatException e) {
        // Not a cgroup line; the format has no other kind, so skipping loses nothing real.
      }
    }
    return List.copyOf(out);
  }
}
