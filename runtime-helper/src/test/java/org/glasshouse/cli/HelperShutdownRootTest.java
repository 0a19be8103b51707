package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glasshouse.client.HelperClient;
import org.glasshouse.helper.cgroups.CgroupDriver;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.MarkedProcesses;
import org.glasshouse.helper.runtime.TestSupport;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real helper, stopped with SIGTERM as systemd or the launcher stops it, ends every process its
 * level-00 containers started: the background child, the setsid daemon, the job in its own process
 * group and the fork loop ({@link MarkedProcesses#workload}), which no PID namespace ties to them —
 * and leaves no cgroup behind, in any hierarchy: neither its parent ({@code --cgroup-parent}, its
 * own here, so that another helper's cannot hide or cause a leftover) nor the tracking cgroup.
 *
 * <p>A killed process needs the CPU to exit, and on a loaded machine it may wait seconds for it:
 * the helper then waits for it, and what outlives even that is left to the next start's sweep,
 * never forgotten. The wait is played with a v1 freezer cgroup of the test's own: a frozen process
 * with a SIGKILL pending stays until thawed, as a starved one does until it gets the CPU.
 */
@Tag("root")
class HelperShutdownRootTest {

  private static final Path CGROUP = Path.of("/sys/fs/cgroup");

  @Test
  void aHelperStoppedWithSigtermLeavesNoProcessOfItsContainersAndNoCgroup() throws Exception {
    TestSupport.requireRootAndBusybox("the helper shutdown test");
    String parent = TestSupport.uniqueCgroupParent();
    MarkedProcesses m = MarkedProcesses.create();
    try (HelperProcess helper = start(parent)) {
      Run run = run(helper, m);
      // SIGTERM, then waits for the helper to exit.
      assertTrue(helper.stop(), "the helper exited on SIGTERM");
      m.assertNoneLeft("after the helper's SIGTERM (before it: " + run.before + ")");
      assertNoCgroupLeft(parent, helper);
    } finally {
      m.killLeftovers();
      removeLeftovers(parent);
    }
  }

  /**
   * The once-seen leftover of issue 15: the killed processes had not exited when the helper's
   * destroy budget (2 s) ran out, and once they had, their tracking cgroup stayed, empty. Here they
   * need 3 s after the helper's kill.
   */
  @Test
  void killedProcessesThatTakeSecondsToExitStillLeaveNoCgroup() throws Exception {
    TestSupport.requireRootAndBusybox("the helper shutdown test");
    Path freezer = v1Freezer();
    String parent = TestSupport.uniqueCgroupParent();
    MarkedProcesses m = MarkedProcesses.create();
    Freezer hold = Freezer.create(freezer);
    try (HelperProcess helper = start(parent)) {
      Run run = run(helper, m);
      List<Long> held = hold.freezeAllBut(m, run.pid);
      Thread thaw =
          new Thread(
              () -> {
                try {
                  hold.awaitSigkill(held);
                  Thread.sleep(3000); // the killed processes' wait for the CPU
                  hold.thaw();
                } catch (Exception e) {
                  hold.thawQuietly();
                }
              },
              "thaw-after-3s");
      thaw.start();
      assertTrue(helper.stop(), "the helper exited on SIGTERM");
      thaw.join(TimeUnit.SECONDS.toMillis(30));
      m.assertNoneLeft("after the helper's SIGTERM (before it: " + run.before + ")");
      assertNoCgroupLeft(parent, helper);
    } finally {
      hold.thawQuietly();
      m.killLeftovers();
      hold.close();
      removeLeftovers(parent);
    }
  }

  /**
   * Processes that have not exited when the helper gives up (a process in an uninterruptible sleep
   * may never): the helper keeps the container's dir, the next start on its state dir sweeps the
   * cgroup and the dir once they are gone, and says so.
   */
  @Test
  void whatOutlivesTheShutdownIsSweptByTheNextStart() throws Exception {
    TestSupport.requireRootAndBusybox("the helper shutdown test");
    Path freezer = v1Freezer();
    String parent = TestSupport.uniqueCgroupParent();
    MarkedProcesses m = MarkedProcesses.create();
    Freezer hold = Freezer.create(freezer);
    HelperProcess next = null;
    try (HelperProcess helper = start(parent)) {
      Run run = run(helper, m);
      hold.freezeAllBut(m, run.pid);
      assertTrue(helper.stop(), "the helper exited on SIGTERM");
      Path dir = helper.stateDir().resolve("containers").resolve(run.id);
      String log = helper.logText();
      assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS), "the dir is kept: " + log);
      assertTrue(log.contains("kept " + dir), log);
      List<Path> left = cgroupsOf(parent);
      assertFalse(left.isEmpty(), "the frozen processes still hold their tracking cgroup");
      hold.thaw();
      m.assertNoneLeft("once thawed (before: " + run.before + ")");
      next = helper.restart(List.of("--cgroup-parent", parent));
      String sweep = awaitLog(next, "start-up sweep:");
      for (Path p : left) {
        if (p.getFileName().toString().equals(run.id)) {
          assertTrue(
              sweep.contains("rmdir(\"" + p + "\")"),
              "the start-up sweep removed " + p + ": " + sweep);
        }
      }
      assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "and the dir: " + sweep);
      assertTrue(next.stop(), "the second helper exited on SIGTERM");
      assertNoCgroupLeft(parent, next);
    } finally {
      hold.thawQuietly();
      m.killLeftovers();
      if (next != null) {
        next.close();
      }
      hold.close();
      removeLeftovers(parent);
    }
  }

  private static HelperProcess start(String parent) throws Exception {
    return HelperProcess.start(TestSupport.imagesDir(), List.of("--cgroup-parent", parent));
  }

  /** The helper's log once it holds {@code text} (it logs its sweep just after it listens). */
  private static String awaitLog(HelperProcess helper, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String log = helper.logText();
    while (!log.contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(50); // the log line follows the listen
      log = helper.logText();
    }
    return log;
  }

  /** A level-00 container of the marked workload, once it has made its escapes. */
  private record Run(String id, long pid, List<MarkedProcesses.Proc> before) {}

  private static Run run(HelperProcess helper, MarkedProcesses m) throws Exception {
    try (HelperClient c = HelperClient.connect(helper.socket(), "shutdown-test", e -> {})) {
      ObjectNode spec = Json.object();
      spec.put("image", "busybox").put("level", 0).put("tty", true);
      spec.put("cols", 80).put("rows", 24);
      spec.set("argv", Json.tree(List.of("/bin/sh", "-c", m.workload())));
      spec.set("env", Json.tree(Map.of("PATH", "/bin:/usr/bin")));
      ObjectNode f = Json.object().put("attach", false);
      f.set("spec", spec);
      var r = c.call(Op.RUN, f);
      long pid = r.path("pid").asLong(-1);
      List<MarkedProcesses.Proc> before = m.awaitEscapes(() -> pid, "the run's reply: " + r);
      return new Run(r.path("container").asText(), pid, before);
    }
  }

  /** The v1 freezer's mount; the test does not apply to a host without one (pure cgroup v2). */
  private static Path v1Freezer() {
    var h = CgroupLayout.detect(Path.of("/")).controller("freezer").filter(x -> x.version() == 1);
    TestSupport.onlyOn(
        h.isPresent(),
        "a v1 freezer holds a killed process (a v2 freeze lets SIGKILL through): this host has"
            + " none");
    return h.get().mountPoint();
  }

  /**
   * The parent's dirs and the tracking parent's in every hierarchy (a hierarchy is mounted at
   * {@code /sys/fs/cgroup} or one level below), and the container cgroups in them.
   */
  private static List<Path> cgroupsOf(String parent) throws IOException {
    List<Path> roots = new ArrayList<>(List.of(CGROUP));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(CGROUP)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          roots.add(p);
        }
      }
    }
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      for (String name : List.of(parent, parent + CgroupDriver.TRACKING_SUFFIX)) {
        Path p = root.resolve(name);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        out.add(p);
        try (DirectoryStream<Path> kids = Files.newDirectoryStream(p)) {
          for (Path k : kids) {
            if (Files.isDirectory(k, LinkOption.NOFOLLOW_LINKS)) {
              out.add(k);
            }
          }
        } catch (NoSuchFileException e) {
          // Removed while looked at.
        }
      }
    }
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }

  private static void assertNoCgroupLeft(String parent, HelperProcess helper) throws IOException {
    assertEquals(
        List.of(),
        cgroupsOf(parent),
        "cgroups left after the helper's shutdown; its log:\n" + helper.logText());
  }

  /** What a failed run left of the test's own parent: empty dirs, removed deepest first. */
  private static void removeLeftovers(String parent) throws IOException {
    List<Path> left = new ArrayList<>(cgroupsOf(parent));
    left.sort(Comparator.comparing((Path p) -> p.getNameCount()).reversed());
    for (Path p : left) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // Still busy: the assertion named it.
      }
    }
  }

  /**
   * A v1 freezer cgroup of the test's own: a process in it, once frozen, gets no CPU — a SIGKILL it
   * receives stays pending — until thawed.
   */
  private static final class Freezer implements AutoCloseable {
    private final Path mount;
    private final Path dir;

    private Freezer(Path mount, Path dir) {
      this.mount = mount;
      this.dir = dir;
    }

    static Freezer create(Path mount) throws IOException {
      Path dir = mount.resolve(TestSupport.uniqueCgroupParent());
      Files.createDirectory(dir);
      return new Freezer(mount, dir);
    }

    /**
     * Moves every live marked process but {@code except} (the container's command: the helper waits
     * for it before anything else) here and freezes them; repeats until none is outside (the fork
     * loop forks until its shell is frozen).
     *
     * @return the frozen pids
     */
    List<Long> freezeAllBut(MarkedProcesses m, long except) throws Exception {
      boolean frozen = false;
      for (int round = 0; round < 200; round++) {
        List<Long> outside = new ArrayList<>();
        for (MarkedProcesses.Proc p : m.live()) {
          if (p.pid() != except && !holds(p.pid())) {
            outside.add(p.pid());
          }
        }
        if (outside.isEmpty() && frozen) {
          break;
        }
        for (long pid : outside) {
          try {
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
          } catch (IOException e) {
            // Exited meanwhile (a sleep the loop killed).
          }
        }
        if (outside.isEmpty()) {
          Files.writeString(dir.resolve("freezer.state"), "FROZEN");
          frozen = true;
        }
      }
      // FREEZING until every task has stopped.
      PlacedHelper.await(
          "the freezer to freeze",
          Duration.ofSeconds(20),
          () -> readQuietly(dir.resolve("freezer.state")).trim().equals("FROZEN"));
      List<Long> held = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
        held.add(Long.parseLong(line.trim()));
      }
      assertTrue(held.size() >= 4, "the escapes are frozen: " + held);
      return held;
    }

    private boolean holds(long pid) {
      try {
        String want = ":freezer:/" + dir.getFileName();
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")).stream()
            .anyMatch(l -> l.endsWith(want));
      } catch (IOException e) {
        return true; // gone: nothing to move
      }
    }

    /** Waits until the helper's SIGKILL is pending on every one of {@code pids}. */
    void awaitSigkill(List<Long> pids) throws Exception {
      // The helper's shutdown gets there in its own time.
      PlacedHelper.await(
          "the helper's SIGKILL on " + pids,
          Duration.ofSeconds(60),
          () -> pids.stream().allMatch(Freezer::sigkillPending));
    }

    /** A cgroup file's text, or "" while it cannot be read (the poll tries again). */
    private static String readQuietly(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        return "";
      }
    }

    private static boolean sigkillPending(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("SigPnd:") || line.startsWith("ShdPnd:")) {
            long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
            if ((mask & (1L << 8)) != 0) {
              return true;
            }
          }
        }
        return false;
      } catch (IOException e) {
        return true; // exited
      }
    }

    void thaw() throws IOException {
      if (Files.isDirectory(dir)) {
        Files.writeString(dir.resolve("freezer.state"), "THAWED");
      }
    }

    void thawQuietly() {
      try {
        thaw();
      } catch (IOException e) {
        // Removed already, or never frozen.
      }
    }

    /** Thaws, moves what is left back to the root and removes the dir. */
    @Override
    public void close() throws Exception {
      thawQuietly();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (Files.isDirectory(dir)) {
        for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
          try {
            Files.writeString(mount.resolve("cgroup.procs"), line.trim());
          } catch (IOException e) {
            // Exited meanwhile.
          }
        }
        try {
          Files.delete(dir);
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(50); // a task on its way out still counts
        }
      }
    }
  }
}
