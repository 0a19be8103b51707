package org.glasshouse.app.levels;

import java.util.List;
import org.glasshouse.app.core.Inspections;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.inspect.CgroupStats;

/**
 * The fourteen levels, in order, with their checks. Their numbers are the helper's ({@link
 * org.glasshouse.protocol.Feature#upTo}): a test holds the two together.
 */
public final class Levels {
  private Levels() {}

  private static Level.Check contains(String needle, String description, String... argv) {
    return new Level.Check(
        List.of(argv),
        null,
        null,
        (c, code, out) -> code != null && code == 0 && out.contains(needle),
        description);
  }

  /** All levels, 00 to 13. */
  public static final List<Level> ALL =
      List.of(
          new Level(
              0,
              "fork-exec",
              "fork & exec",
              contains(
                  "hello-from-glasshouse",
                  "echo prints its argument and exits 0",
                  "echo",
                  "hello-from-glasshouse")),
          new Level(
              1,
              "chroot",
              "chroot",
              contains("bin", "ls / lists the image's root, not the host's", "ls", "/")),
          new Level(
              2,
              "mount-ns",
              "mount namespace",
              contains(
                  "1,3",
                  "/dev/null is the character device 1,3",
                  "stat",
                  "-c",
                  "%t,%T",
                  "/dev/null")),
          new Level(
              3,
              "pivot-root",
              "pivot_root",
              contains(
                  "pivoted",
                  "the old root is detached: /.oldroot is gone",
                  "sh",
                  "-c",
                  "test ! -e /.oldroot && echo pivoted")),
          new Level(
              4,
              "overlay",
              "overlay",
              contains(
                  "copy-up",
                  "a write lands in the container's upper layer and reads back",
                  "sh",
                  "-c",
                  "echo copy-up > /glasshouse-probe && cat /glasshouse-probe")),
          new Level(
              5,
              "uts",
              "UTS namespace",
              new Level.Check(
                  List.of("hostname"),
                  null,
                  null,
                  (c, code, out) -> code != null && code == 0 && out.trim().equals(c),
                  "hostname prints the container id")),
          new Level(
              6,
              "pid-ns",
              "PID namespace",
              new Level.Check(
                  List.of("sh", "-c", "echo $$"),
                  null,
                  null,
                  (c, code, out) -> code != null && code == 0 && out.trim().equals("1"),
                  "the shell is PID 1")),
          new Level(
              7,
              "net-ns",
              "network namespace",
              new Level.Check(
                  List.of("ls", "/sys/class/net"),
                  null,
                  null,
                  (c, code, out) -> code != null && code == 0 && out.trim().equals("lo"),
                  "the only network interface is lo")),
          new Level(
              8,
              "cgroup-cpu",
              "CPU cgroup",
              new Level.Check(
                  List.of("sleep", "2"),
                  new Limits(null, null, 512, null, null),
                  null,
                  (c, code, out) -> code != null && code == 0,
                  "the helper reads cpu shares 512 from the container's own cgroup",
                  i ->
                      Inspections.stats(i)
                          .map(CgroupStats::cpu)
                          .map(CgroupStats.Cpu::shares)
                          .filter(shares -> shares == 512)
                          .isPresent())),
          new Level(
              9,
              "cgroup-memory",
              "memory cgroup",
              new Level.Check(
                  List.of("sleep", "2"),
                  new Limits(256L << 20, 256L << 20, null, null, null),
                  null,
                  (c, code, out) -> code != null && code == 0,
                  "the helper reads a 256 MiB memory limit from the container's own cgroup",
                  i ->
                      Inspections.stats(i)
                          .map(CgroupStats::memory)
                          .map(CgroupStats.Memory::limitBytes)
                          .filter(limit -> limit == 256L << 20)
                          .isPresent())),
          new Level(
              10,
              "setuid",
              "setuid",
              new Level.Check(
                  List.of("id"),
                  null,
                  "1000:1000",
                  (c, code, out) ->
                      code != null
                          && code == 0
                          && out.contains("uid=1000")
                          && out.contains("gid=1000"),
                  "id prints uid=1000 gid=1000")),
          new Level(
              11,
              "capabilities",
              "capabilities",
              new Level.Check(
                  List.of("hostname", "glasshouse-escape"),
                  null,
                  null,
                  (c, code, out) -> code != null && code != 0,
                  "hostname x fails although uid is 0")),
          new Level(
              12,
              "cgroup-pids",
              "pids cgroup",
              new Level.Check(
                  List.of("sh", "-c", "for i in $(seq 1 32); do sleep 2 & done; wait"),
                  new Limits(null, null, null, null, 16),
                  null,
                  (c, code, out) -> out.contains("fork") || out.contains("unavailable"),
                  "starting 32 processes hits the limit of 16")),
          new Level(
              13,
              "seccomp",
              "seccomp",
              new Level.Check(
                  List.of("sh", "-c", "unshare -U true 2>&1; grep '^Seccomp:' /proc/self/status"),
                  null,
                  null,
                  (c, code, out) ->
                      out.contains("Operation not permitted")
                          && out.matches("(?s).*Seccomp:\\s+2\\b.*"),
                  "unshare -U fails with EPERM under the seccomp filter (Seccomp: 2)")));

  /** The level with that number. */
  public static Level get(int number) {
    return ALL.get(number);
  }
}
