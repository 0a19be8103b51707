package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glasshouse.cli.PlacedHelper.Result;

/**
 * The CLI scenario of each resource level on a pure cgroup v2 host, as a student runs it: {@code
 * glasshouse run}, {@code ps}, {@code stats}, {@code inspect}, {@code exec}, {@code rm} against a
 * real helper; every limit checked twice, in the kernel's own files under {@code
 * /sys/fs/cgroup/glasshouse/<id>} and in what the CLI reports. The commands run in the test's JVM
 * ({@link PlacedHelper#cli}) but for the OOM-killed {@code run} and the {@code ps -a} after it,
 * which go through the launcher as separate JVMs ({@link PlacedHelper#launched}).
 *
 * <p>The one list to extend: a level or a cgroup rule that lands later (the v2 device filter) adds
 * its {@link Scenario} to {@link #all()}, and the guest runs it with the helper in each placement.
 */
final class CgroupV2Scenarios {

  /** One level's scenario; {@code name} is what the test report shows. */
  record Scenario(String name, Body body) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A scenario's steps against a running helper. */
  @FunctionalInterface
  interface Body {
    void run(PlacedHelper h) throws Exception;
  }

  /** Every scenario, in level order. */
  static List<Scenario> all() {
    return List.of(
        new Scenario("08 cpu: weight, max and throttling", CgroupV2Scenarios::cpu),
        new Scenario(
            "09 memory: max, swap max, an OOM kill in ps, stats, inspect",
            CgroupV2Scenarios::memory),
        new Scenario(
            "09 memory bonus: high, swap max 0, oom group, events", CgroupV2Scenarios::memoryBonus),
        new Scenario("12 pids: max, events and a contained fork flood", CgroupV2Scenarios::pids),
        new Scenario(
            "13 seccomp: the filter on top of every v2 limit", CgroupV2Scenarios::seccomp));
  }

  /** Where the helper makes the containers' cgroups: its default parent. */
  static final Path PARENT = PlacedHelper.CGROUP.resolve("glasshouse");

  private static final Duration KERNEL = Duration.ofMinutes(3);

  private CgroupV2Scenarios() {}

  /**
   * Level 08: shares 512 become {@code cpu.weight} 20 (runc's conversion), {@code --cpus 0.5}
   * becomes {@code cpu.max} "50000 100000"; a busy loop is throttled, and stats and inspect say so.
   */
  static void cpu(PlacedHelper h) throws Exception {
    String id =
        h.detached("--level 8 --cpu-shares 512 --cpus 0.5", "/bin/sh", "-c", "while :; do :; done");
    Path cg = PARENT.resolve(id);
    assertEquals("20", read(cg.resolve("cpu.weight")));
    assertEquals("50000 100000", read(cg.resolve("cpu.max")));
    List<Long> pids = procs(cg);
    assertEquals(1, pids.size(), "the busy shell alone: " + pids);
    assertEquals(
        "0::/glasshouse/" + id, read(Path.of("/proc/" + pids.get(0) + "/cgroup")), "its cgroup");
    PlacedHelper.await(
        "the busy loop to be throttled (cpu.stat nr_throttled >= 5)",
        KERNEL,
        () -> keyed(cg.resolve("cpu.stat"), "nr_throttled") >= 5);

    String row = row(h.ok("stats", "--no-stream", id).out(), id);
    // CONTAINER  CPU %  MEM USAGE / LIMIT  MEM %  PIDS  THROTTLED  OOM
    double cpu = Double.parseDouble(group(row, id + "\\s+([0-9.]+)%"));
    assertTrue(cpu > 5 && cpu <= 75, "about half a core under cpu.max 50000 100000: " + row);
    assertTrue(
        group(row, "([0-9.]+ (?:us|µs|ms|s))\\s+\\S+$").matches("[1-9].*|0\\.[0-9]*[1-9].*"), row);

    String inspect = h.ok("inspect", id).out();
    assertTrue(inspect.contains("\nCgroup (v2)\n"), inspect);
    assertTrue(inspect.contains("  unified  " + cg + "\n"), inspect);
    String throttled =
        group(
            inspect,
            "quota 0\\.50 cores \\(50000/100000 "
                + micro()
                + "\\), weight 20, throttled ([0-9]+) of [0-9]+ periods");
    assertTrue(Long.parseLong(throttled) >= 5, inspect);
    removeAndCheck(h, id);
  }

  /**
   * Level 09: {@code memory.max} and {@code memory.swap.max} (memory+swap − memory); a hog started
   * by {@code exec} is OOM-killed while the container lives on, and ps, stats and inspect report
   * it; a container whose own process is the hog exits 137 and {@code ps -a} says OOM.
   */
  static void memory(PlacedHelper h) throws Exception {
    // The hog waits on a fifo, not in a polling loop: a fork per poll costs seconds in a guest.
    String id =
        h.detached(
            "--level 9 --memory 32m --memory-swap 48m",
            "/bin/sh",
            "-c",
            "mkfifo /tmp/go && read go </tmp/go;"
                + " dd if=/dev/zero of=/dev/null bs=64M count=1; exec sleep 600");
    Path cg = PARENT.resolve(id);
    assertEquals(Long.toString(32L << 20), read(cg.resolve("memory.max")));
    assertEquals(Long.toString(16L << 20), read(cg.resolve("memory.swap.max")));
    assertEquals(0, keyed(cg.resolve("memory.events"), "oom_kill"));
    awaitInContainer(cg, "tmp/go");
    h.ok("exec", id, "/bin/sh", "-c", "echo go >/tmp/go");
    PlacedHelper.await(
        "dd's OOM kill (memory.events oom_kill 1)",
        KERNEL,
        () -> keyed(cg.resolve("memory.events"), "oom_kill") == 1);

    assertTrue(row(h.ok("ps").out(), id).contains(" Up "), "still running after its hog died");
    String stats = row(h.ok("stats", "--no-stream", id).out(), id);
    assertTrue(stats.contains(" / 32.0 MiB "), stats);
    assertEquals("1", group(stats, "(\\S+)$"), "the OOM column: " + stats);
    String inspect = h.ok("inspect", id).out();
    assertTrue(
        inspect.matches(
            "(?s).*\\n  memory   [^\\n]+ / 32\\.0 MiB \\(peak [^)]+\\), swap [^,]+ / 16\\.0 MiB,"
                + " failcnt [0-9]+, OOM kills 1\\n.*"),
        inspect);
    removeAndCheck(h, id);

    String name = "oom-" + Long.toHexString(System.nanoTime());
    h.started(name);
    // The launcher's path, once per placement: this run and the ps after it are JVMs of their own,
    // as a user starts them (the exit status is the process's); every other command runs in the
    // test's JVM against the same helper.
    Result hog =
        h.launched(
            ("run --name "
                    + name
                    + " --level 9 --memory 16m -- /bin/dd if=/dev/zero of=/dev/null bs=64M count=1")
                .split(" "));
    assertEquals(137, hog.status(), "128 + SIGKILL: " + hog);
    String exited = row(h.okLaunched("ps", "-a").out(), name);
    assertTrue(exited.contains("Killed (signal 9) OOM"), exited);
    assertEquals(name + "\n", h.ok("rm", name).out());
    assertEquals(List.of(), children(PARENT), "rm removed its cgroup");
  }

  /**
   * Level 09's bonus on v2, its own block: {@code --memory-reservation} becomes {@code
   * memory.high}, {@code --memory-swap} equal to {@code --memory} makes {@code memory.swap.max} 0
   * and {@code --oom-group} sets {@code memory.oom.group}. A 24 MiB hog above the 16 MiB {@code
   * memory.high} is throttled, not killed ({@code memory.events high} counts it, the container
   * lives on); a 64 MiB hog above the 48 MiB {@code memory.max}, with no swap to go to, is
   * OOM-killed and, the group being one OOM unit, takes the container's shell with it ({@code
   * oom_group_kill}; without the option the shell lives on, as {@link #memory} shows).
   */
  static void memoryBonus(PlacedHelper h) throws Exception {
    // Each hog waits on its own fifo: the test reads memory.events between the two.
    String id =
        h.detached(
            "--level 9 --memory 48m --memory-swap 48m --memory-reservation 16m --oom-group",
            "/bin/sh",
            "-c",
            "mkfifo /tmp/high /tmp/max && read go </tmp/high;"
                + " dd if=/dev/zero of=/dev/null bs=24M count=1; read go </tmp/max;"
                + " dd if=/dev/zero of=/dev/null bs=64M count=1; exec sleep 600");
    Path cg = PARENT.resolve(id);
    Path events = cg.resolve("memory.events");
    assertEquals(Long.toString(48L << 20), read(cg.resolve("memory.max")));
    assertEquals(Long.toString(16L << 20), read(cg.resolve("memory.high")));
    assertEquals("0", read(cg.resolve("memory.swap.max")));
    assertEquals("1", read(cg.resolve("memory.oom.group")));
    assertEquals(0, keyed(events, "high"), "nothing above memory.high yet");
    awaitInContainer(cg, "tmp/max");

    h.ok("exec", id, "/bin/sh", "-c", "echo go >/tmp/high");
    PlacedHelper.await(
        "the first hog above memory.high (memory.events high >= 1)",
        KERNEL,
        () -> keyed(events, "high") >= 1);
    assertEquals(0, keyed(events, "oom_kill"), "memory.high throttles, it does not kill");
    // While it runs (inspect refuses an exited container): the bonus line of inspect.
    String inspect = h.ok("inspect", id).out();
    assertTrue(
        inspect.matches(
            "(?s).*\\n  memory\\+  soft limit 16\\.0 MiB \\(crossed [1-9][0-9]* times\\),"
                + " OOM group on.*"),
        inspect);
    // The second fifo opens once the throttled hog finished: the container lived through it.
    h.ok("exec", id, "/bin/sh", "-c", "echo go >/tmp/max");
    PlacedHelper.await(
        "the second hog's OOM kill to take the group (memory.events oom_group_kill >= 1)",
        KERNEL,
        () -> keyed(events, "oom_group_kill") >= 1);
    assertTrue(keyed(events, "oom_kill") >= 1, Files.readString(events));
    assertTrue(keyed(events, "max") >= 1, "memory.max was hit: " + Files.readString(events));
    PlacedHelper.await("the group's processes gone", KERNEL, () -> procsOrNone(cg).isEmpty());
    PlacedHelper.await(
        "ps -a to show the shell killed with its hog",
        KERNEL,
        () -> {
          try {
            return row(h.ok("ps", "-a").out(), id).contains("Killed (signal 9) OOM");
          } catch (Exception e) {
            return false;
          }
        });
    removeAndCheck(h, id);
  }

  /**
   * Waits until a process of the container sees {@code path} (its shell's fifo) under its root: the
   * test's next {@code exec} must not write there before the shell made it (a plain file then, and
   * mkfifo fails). With the CLI in the test's JVM, {@code run -d} returns well before the shell
   * gets there in a guest.
   */
  static void awaitInContainer(Path cgroup, String path) throws InterruptedException {
    PlacedHelper.await(
        "/" + path + " in the container",
        KERNEL,
        () ->
            procsOrNone(cgroup).stream()
                .anyMatch(p -> Files.exists(Path.of("/proc/" + p + "/root/" + path))));
  }

  /** {@link #procs}, or none once the cgroup is gone. */
  private static List<Long> procsOrNone(Path cgroup) {
    try {
      return procs(cgroup);
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Level 12: {@code pids.max} 16 holds a fork flood — {@code pids.events} counts the refused
   * forks, {@code pids.current} stays at or under the limit, the guest can still fork — and stats,
   * inspect and rm handle a container that forks all the time.
   */
  static void pids(PlacedHelper h) throws Exception {
    // The flood starts in a subshell: a shell whose own fork is refused exits (ash: "can't fork",
    // status 2), and when that was the container's first process the container ended before the
    // checks below (seen once in six runs on the TCG guest). The first process only waits for the
    // subshell, which needs one fork made before any flood, then execs the sleep (no fork).
    String id =
        h.detached(
            "--level 12 --pids-max 16", "/bin/sh", "-c", "f() { f | f & }; (f); exec sleep 600");
    Path cg = PARENT.resolve(id);
    assertEquals("16", read(cg.resolve("pids.max")));
    PlacedHelper.await(
        "the flood to hit pids.max (pids.events max >= 1)",
        KERNEL,
        () -> keyed(cg.resolve("pids.events"), "max") >= 1);
    long current = Long.parseLong(read(cg.resolve("pids.current")));
    assertTrue(current >= 1 && current <= 16, "pids.current " + current);
    Process probe = new ProcessBuilder("true").start();
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the guest still forks");
    assertEquals(0, probe.exitValue());

    String stats = row(h.ok("stats", "--no-stream", id).out(), id);
    long shown = Long.parseLong(group(stats, "\\s([0-9]+) / 16\\s"));
    assertTrue(shown >= 1 && shown <= 16, stats);
    String inspect = h.ok("inspect", id).out();
    long rejected =
        Long.parseLong(group(inspect, "\\n  pids     [0-9]+ / 16, rejected forks ([0-9]+)"));
    assertTrue(rejected >= 1, inspect);
    List<Long> flood = procs(cg);
    removeAndCheck(h, id);
    for (long pid : flood) {
      assertFalse(Files.exists(Path.of("/proc/" + pid + "/cgroup")), "flood process " + pid);
    }
  }

  /**
   * Level 13: the seccomp filter comes on top of every limit of 08, 09 and 12, all in the one v2
   * cgroup — {@code memory.max}, {@code pids.max}, {@code cpu.max} written, the process in it with
   * {@code Seccomp: 2} and no_new_privs; the filter refuses {@code unshare(CLONE_NEWUSER)} (the
   * escape it exists for), and inspect shows the filter and the limits together.
   */
  static void seccomp(PlacedHelper h) throws Exception {
    String id =
        h.detached(
            "--level 13 --memory 32m --pids-max 16 --cpus 0.5",
            "/bin/sh",
            "-c",
            "unshare -U true 2>/dev/null; echo unshare=$? >/tmp/result; exec sleep 600");
    Path cg = PARENT.resolve(id);
    assertEquals(Long.toString(32L << 20), read(cg.resolve("memory.max")));
    assertEquals("16", read(cg.resolve("pids.max")));
    assertEquals("50000 100000", read(cg.resolve("cpu.max")));
    // The shell runs unshare first, a child of its own for a moment (long under emulation, where
    // run -d now returns at once): the result it writes afterwards into the container's own /tmp,
    // read here through a process's root, says unshare is done and the shell is alone.
    PlacedHelper.await(
        "the container's unshare result to be written",
        KERNEL,
        () ->
            procsOrNone(cg).stream()
                .anyMatch(
                    p -> {
                      try {
                        return read(Path.of("/proc/" + p + "/root/tmp/result"))
                            .startsWith("unshare=");
                      } catch (IOException e) {
                        return false;
                      }
                    }));
    List<Long> pids = procs(cg);
    assertEquals(1, pids.size(), "the shell alone: " + pids);
    long pid = pids.get(0);
    assertEquals("0::/glasshouse/" + id, read(Path.of("/proc/" + pid + "/cgroup")), "its cgroup");
    Path result = Path.of("/proc/" + pid + "/root/tmp/result");
    assertEquals("unshare=1", read(result), "unshare -U refused by the filter");
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    assertTrue(status.contains("\nSeccomp:\t2\n"), status);
    assertTrue(status.contains("\nNoNewPrivs:\t1\n"), status);

    String inspect = h.ok("inspect", id).out();
    assertTrue(inspect.contains("no_new_privs 1, seccomp filter (1 filter)"), inspect);
    assertTrue(inspect.contains("\nCgroup (v2)\n"), inspect);
    assertTrue(inspect.contains("  unified  " + cg + "\n"), inspect);
    assertTrue(inspect.matches("(?s).*\\n  memory   [^\\n]+ / 32\\.0 MiB .*"), inspect);
    assertTrue(inspect.matches("(?s).*\\n  pids     [0-9]+ / 16, .*"), inspect);
    removeAndCheck(h, id);
  }

  /** {@code rm -f ID} prints the id and leaves no cgroup under the parent. */
  static void removeAndCheck(PlacedHelper h, String id) throws Exception {
    assertEquals(id + "\n", h.ok("rm", "-f", id).out());
    assertFalse(Files.exists(PARENT.resolve(id)), "rm removed " + PARENT.resolve(id));
    assertEquals(List.of(), children(PARENT), "nothing else under " + PARENT);
  }

  /** µs as the CLI spells it on this terminal: {@code us} when the locale is not UTF-8. */
  static String micro() {
    return TerminalText.unicode(TerminalText.terminalCharset()) ? "µs" : "us";
  }

  static String read(Path file) throws IOException {
    return Files.readString(file).trim();
  }

  /** The pids in a cgroup's {@code cgroup.procs}. */
  static List<Long> procs(Path cgroup) throws IOException {
    return read(cgroup.resolve("cgroup.procs")).lines().map(Long::parseLong).toList();
  }

  /** {@code key}'s value in a flat-keyed file ({@code oom_kill 1}); -1 when absent. */
  static long keyed(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 2 && f[0].equals(key)) {
          return Long.parseLong(f[1]);
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sub-cgroups of {@code dir}, by name; none when it does not exist. */
  static List<String> children(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var s = Files.list(dir)) {
      s.filter(Files::isDirectory).forEach(p -> out.add(p.getFileName().toString()));
    }
    return out;
  }

  /** The line of a table that names {@code key}. */
  static String row(String table, String key) {
    return table
        .lines()
        .filter(l -> l.contains(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + key + " in:\n" + table));
  }

  /** The first group of {@code regex}'s first match in {@code text}. */
  static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("/" + regex + "/ does not match:\n" + text);
    }
    return m.group(1);
  }
}
