package org.glasshouse.app.levels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every experiment of every guide, as "Try it" runs it (the run panel's own spec, so the Command
 * field's splitting is part of what is proven), on the real kernel, with its effect asserted. The
 * list comes from the guides: a bullet with an experiment id and no entry here, or no "Try it",
 * fails — the guides are kept honest by this test as PROTOCOL.md is by ProtocolDocTest.
 */
class GuideExperimentsTest {

  /** The experiment ids of every guide, in order. */
  static List<Guide.Item> experimentItems() {
    List<Guide.Item> items = new ArrayList<>();
    for (Level l : Levels.ALL) {
      LevelsViewModel.readGuide(l).items().stream().filter(i -> i.id() != null).forEach(items::add);
    }
    return items;
  }

  /** The Try its said to print nothing are Try its, and none of them a chart's or a plain shell. */
  @Test
  void everyExperimentSaidToPrintNothingExists() {
    for (String id : Experiments.PRINT_NOTHING) {
      Experiments.TryIt t = Experiments.ALL.get(id);
      assertTrue(t != null, id + " is no experiment");
      assertFalse(t.printsTheLesson(), id);
    }
  }

  @Test
  void everyGuideExperimentHasATryItAndAnEffectTest() {
    List<String> missing = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Level l : Levels.ALL) {
      Guide g = LevelsViewModel.readGuide(l);
      boolean inExperiments = false;
      for (Guide.Block b : g.blocks()) {
        if (b instanceof Guide.Heading h) {
          inExperiments = h.text().equals("Experiments");
        } else if (b instanceof Guide.Bullets list && inExperiments) {
          for (Guide.Item i : list.items()) {
            if (i.id() == null) {
              missing.add(l.code() + ": an experiment without an id: " + i.plainText());
              continue;
            }
            seen.add(i.id());
            Experiments.TryIt t = Experiments.ALL.get(i.id());
            if (t == null) {
              missing.add(i.id() + ": no Try it");
            } else if (!commandsOf(i).isEmpty()
                && commandsOf(i).stream()
                    .noneMatch(
                        c -> t.command().contains(c) || t.commandFor("debian").contains(c))) {
              missing.add(
                  i.id() + ": Try it runs '" + t.command() + "', the guide says " + commandsOf(i));
            }
            if (!EFFECTS.containsKey(i.id())) {
              missing.add(i.id() + ": no effect test");
            }
          }
        }
      }
    }
    Set<String> extra = new TreeSet<>(Experiments.ALL.keySet());
    extra.removeAll(seen);
    extra.forEach(id -> missing.add(id + ": a Try it no guide mentions"));
    assertTrue(missing.isEmpty(), String.join("\n", missing));
  }

  private static List<String> commandsOf(Guide.Item i) {
    return i.runs().stream()
        .filter(r -> r.kind() == Guide.Kind.CODE && GuideView.isCommand(r.text()))
        .map(Guide.Inline::text)
        .toList();
  }

  // ---------------------------------------------------------------- the effects, on the kernel

  /** What an experiment must show, given its containers. */
  @FunctionalInterface
  interface Effect {
    void check(LevelLab h, List<LevelLab.Run> runs) throws Exception;
  }

  private static final Map<String, Effect> EFFECTS =
      Map.ofEntries(
          Map.entry(
              "00-shell",
              (h, r) -> {
                // The shell itself waits for input; what it would show is the host's tree.
                InspectResult i = inspect(h, r.get(0));
                assertEquals("/", i.mounts().root());
                assertTrue(i.namespaces().values().stream().allMatch(n -> n.sameAsHost()));
              }),
          Map.entry("00-exit", (h, r) -> assertEquals(3, exit(r.get(0)).code())),
          Map.entry(
              "00-env",
              (h, r) -> {
                exit(r.get(0));
                Set<String> names = new TreeSet<>();
                for (String line : r.get(0).output().split("\n")) {
                  if (line.contains("=")) {
                    names.add(line.substring(0, line.indexOf('=')));
                  }
                }
                assertEquals(Set.of("HOME", "PATH", "TERM"), names, r.get(0).output());
              }),
          Map.entry(
              "01-ls",
              (h, r) -> {
                // Its shell stays open for the Mounts tab it shows.
                String out = answered(r.get(0), "ls /", o -> o.contains("linuxrc"));
                assertTrue(out.contains("bin") && out.contains("linuxrc"), out);
                assertFalse(out.contains("work"), "the host's /work is not there: " + out);
              }),
          Map.entry(
              "01-leak",
              (h, r) -> {
                // The container's /proc, /sys and /dev in the host's table, traced to it; gone
                // with it.
                LevelLab.Run c = r.get(0);
                LevelLab.await(
                    "the leaked mounts",
                    Duration.ofSeconds(10),
                    () ->
                        mounts(h, "host").entries().stream()
                            .anyMatch(m -> c.id.equals(m.leakedFrom())));
                h.remove(c);
                LevelLab.await(
                    "the leak gone with the container",
                    Duration.ofSeconds(20),
                    () ->
                        mounts(h, "host").entries().stream()
                            .noneMatch(m -> c.id.equals(m.leakedFrom())));
              }),
          Map.entry(
              "01-proc1",
              (h, r) -> {
                String host = Files.readString(Path.of("/proc/1/cmdline")).replace("\0", "");
                answered(r.get(0), "the host's PID 1", o -> o.replace("\0", "").contains(host));
              }),
          Map.entry(
              "01-proc-root",
              (h, r) -> {
                // Same process table, same root: the container gets what the host's root gets.
                // Where the host's PID 1 refuses even the host's root (a VM's non-dumpable init),
                // the container is refused the same way.
                boolean hostCan;
                try (var l = Files.list(Path.of("/proc/1/root/"))) {
                  hostCan = l.findAny().isPresent();
                } catch (java.nio.file.AccessDeniedException e) {
                  hostCan = false;
                }
                if (hostCan) {
                  assertEscaped(r.get(0), true);
                } else {
                  exit(r.get(0));
                  assertTrue(r.get(0).output().contains("Permission denied"), r.get(0).output());
                }
              }),
          Map.entry("01-escape", (h, r) -> assertEscaped(r.get(0), true)),
          Map.entry(
              "02-tmpfs",
              (h, r) -> {
                LevelLab.Run c = r.get(0);
                LevelLab.await(
                    "the tmpfs inside",
                    Duration.ofSeconds(10),
                    () -> mountPoints(mounts(h, c.id)).contains("/tmp"));
                MountsResult host = mounts(h, "host");
                assertTrue(
                    host.entries().stream()
                        .noneMatch(
                            m -> c.id.equals(m.leakedFrom()) || m.mountPoint().contains(c.id)),
                    "nothing of the container's in the host's table");
              }),
          Map.entry(
              "02-dev",
              (h, r) -> {
                exit(r.get(0));
                String out = r.get(0).output();
                assertTrue(out.contains("null") && out.contains("urandom"), out);
                for (String host : new File("/dev").list()) {
                  if (host.startsWith("vd") || host.startsWith("sd") || host.startsWith("nvme")) {
                    assertFalse(out.contains(host), host + " is the host's: " + out);
                  }
                }
              }),
          Map.entry(
              "02-leak",
              (h, r) -> {
                LevelLab.Run c = r.get(0);
                LevelLab.await(
                    "the leak",
                    Duration.ofSeconds(10),
                    () ->
                        mounts(h, "host").entries().stream()
                            .anyMatch(m -> c.id.equals(m.leakedFrom())));
              }),
          Map.entry("02-kmsg", (h, r) -> assertWrote(r.get(0))),
          Map.entry(
              "03-ebusy",
              (h, r) -> {
                StepEntry s = failedStep(r.get(0));
                assertEquals("pivot_root", s.call(), s.toString());
                assertEquals("EBUSY", s.errno(), s.toString());
              }),
          Map.entry("03-escape", (h, r) -> assertEscaped(r.get(0), false)),
          Map.entry(
              "03-nodev",
              (h, r) -> {
                // The node is made; opening it is refused by the nodev mount.
                assertNotEquals(0, exit(r.get(0)).code());
                String out = r.get(0).output();
                assertTrue(out.contains("can't create /tmp/k: Permission denied"), out);
              }),
          Map.entry("03-nodev-off", (h, r) -> assertWrote(r.get(0))),
          Map.entry("04-motd", (h, r) -> assertUpper(h, r.get(0), "etc/motd", "file", true)),
          Map.entry("04-whiteout", (h, r) -> assertUpper(h, r.get(0), "bin/vi", "whiteout", true)),
          Map.entry(
              "04-big-file",
              (h, r) -> {
                assertUpper(h, r.get(0), "usr/share/big-file", "file", true);
                var e =
                    inspect(h, r.get(0)).upperDir().stream()
                        .filter(u -> u.path().equals("usr/share/big-file"))
                        .findFirst()
                        .orElseThrow();
                // Copied up whole: 16 MiB and the appended line.
                assertEquals(16L * 1024 * 1024 + "more\n".length(), e.size(), e.toString());
              }),
          Map.entry(
              "04-two",
              (h, r) -> {
                assertEquals(2, r.size());
                for (LevelLab.Run c : r) {
                  assertUpper(h, c, "etc/motd", "file", true);
                }
                String a = upper(h, r.get(0)).upper();
                String b = upper(h, r.get(1)).upper();
                assertNotEquals(a, b, "each its own upper");
                assertNotEquals(
                    Files.readString(Path.of(a, "etc/motd")),
                    Files.readString(Path.of(b, "etc/motd")),
                    "neither sees the other's write");
              }),
          Map.entry(
              "05-hostname",
              (h, r) -> {
                String out = answered(r.get(0), "the hostname", o -> o.contains("\n"));
                assertEquals(r.get(0).id, out.lines().findFirst().orElse("").strip());
              }),
          Map.entry(
              "05-rename",
              (h, r) -> {
                String before = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
                String out = answered(r.get(0), "the new hostname", o -> o.contains("\n"));
                assertEquals("other", out.lines().findFirst().orElse("").strip());
                assertEquals(
                    before, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
              }),
          Map.entry(
              "05-no-uts",
              (h, r) -> {
                exit(r.get(0));
                assertTrue(r.get(0).steps.stream().noneMatch(s -> s.call().equals("sethostname")));
              }),
          Map.entry(
              "06-ps",
              (h, r) -> {
                // ps writes its header and its rows in separate chunks: wait for PID 1's row.
                String pid1 = "(?s).*\\n\\s*1 \\S+\\s.*sh -c.*";
                LevelLab.await(
                    "ps output", Duration.ofSeconds(10), () -> r.get(0).output().matches(pid1));
                assertTrue(r.get(0).output().matches(pid1), r.get(0).output());
              }),
          Map.entry(
              "06-kill1",
              (h, r) -> {
                assertEquals(0, exit(r.get(0)).code());
                assertTrue(r.get(0).output().contains("still here"), r.get(0).output());
              }),
          Map.entry(
              "06-orphan",
              (h, r) -> {
                long t0 = System.nanoTime();
                exit(r.get(0));
                assertTrue(r.get(0).output().contains("started"));
                assertTrue(
                    System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30),
                    "the sleep died with PID 1");
              }),
          Map.entry(
              "07-lo",
              (h, r) -> {
                String out = answered(r.get(0), "ip link", o -> o.contains("# "));
                assertTrue(out.contains(": lo:"), out);
                assertFalse(out.matches("(?s).*\\d+: (?!lo:).*"), out);
              }),
          Map.entry(
              "07-ping",
              (h, r) -> {
                assertNotEquals(0, exit(r.get(0)).code());
                assertTrue(r.get(0).output().contains("unreachable"), r.get(0).output());
              }),
          Map.entry(
              "07-port80",
              (h, r) -> {
                // Both still listen a moment later: neither found the port taken.
                Thread.sleep(1500);
                assertTrue(r.get(0).live() && r.get(1).live(), r.get(1).output());
              }),
          Map.entry(
              "07-bridge",
              (h, r) -> {
                // Two shells on the bridge; the second pings the first as the guide says, by
                // typing into its terminal. Both addresses are the helper's own: nothing leaves.
                var wa = inspect(h, r.get(0)).network().wiring();
                var wb = inspect(h, r.get(1)).network().wiring();
                assertTrue(wa != null && wb != null, "both wired: " + wa + " / " + wb);
                assertEquals(wa.bridge(), wb.bridge());
                assertNotEquals(wa.address(), wb.address());
                assertTrue(Files.exists(Path.of(wa.netns())) && Files.exists(Path.of(wb.netns())));
                String a = wa.address().substring(0, wa.address().indexOf('/'));
                // -W 10, not 2: the wait for a first answer only, which ends the moment one
                // comes. -c 2 -W 2 gave the first answer 3 s, the one tight window of this
                // experiment (it failed twice at load 50, not reproduced at load 60): the first
                // echo request waits for ARP (retried each second), and a new host end forwards
                // only once the kernel's linkwatch work has run, which needs the rtnl lock that
                // other tests' namespace teardowns hold.
                h.lab
                    .stdin(r.get(1).id, ("ping -c 2 -W 10 " + a + "; echo pinged=$?\n").getBytes())
                    .get(30, TimeUnit.SECONDS);
                LevelLab.await(
                    "the ping's answer",
                    Duration.ofSeconds(30),
                    () -> r.get(1).output().matches("(?s).*pinged=[0-9].*"));
                assertTrue(r.get(1).output().contains("pinged=0"), r.get(1).output());
                var after = inspect(h, r.get(0)).network().wiring();
                assertTrue(after.containerEndRxBytes() > 0, "a's end received: " + after);
                assertTrue(r.get(0).live() && r.get(1).live(), "both shells still open");
                r.forEach(h::remove);
                LevelLab.await(
                    "the netns links gone",
                    Duration.ofSeconds(20),
                    () -> !Files.exists(Path.of(wa.netns())) && !Files.exists(Path.of(wb.netns())));
                assertFalse(
                    Files.exists(Path.of("/sys/class/net", wa.hostEnd())), "a's host end removed");
              }),
          Map.entry(
              "08-cgroup",
              (h, r) -> {
                exit(r.get(0));
                assertTrue(
                    r.get(0)
                            .output()
                            .matches("(?s).*cpu[^\\n]*/glasshouse[^/\\n]*/" + r.get(0).id + ".*")
                        || r.get(0).output().contains("0::/"),
                    r.get(0).output());
              }),
          Map.entry(
              "08-quota",
              (h, r) -> {
                // The kernel holds the quota; the loop never gets more than half a core. (On a
                // machine busier than the quota the loop gets less and is never throttled.)
                CgroupStats.Cpu cpu = stats(h, r.get(0)).cpu();
                assertEquals(50000L, cpu.quotaUs(), cpu.toString());
                assertEquals(100000L, cpu.periodUs(), cpu.toString());
                double[] cores = cores(h, r, 4);
                assertTrue(cores[0] < 0.6, "capped near half a core: " + cores[0]);
              }),
          Map.entry(
              "08-contention",
              (h, r) -> {
                double[] c = cores(h, r, 6);
                System.out.printf(
                    "08-contention: shares 1024 vs 256 got %.3f vs %.3f cores (ratio %.2f)%n",
                    c[0], c[1], c[0] / c[1]);
                assertTrue(c[0] > 2 * c[1], "shares 1024 vs 256: " + c[0] + " vs " + c[1]);
              }),
          Map.entry(
              "08-devices",
              (h, r) -> {
                // No nodev mount any more: the device cgroup refuses it.
                assertNotEquals(0, exit(r.get(0)).code());
                String out = r.get(0).output();
                assertTrue(out.contains("Operation not permitted"), out);
                assertFalse(out.contains("Permission denied"), "not the mount's refusal: " + out);
              }),
          Map.entry(
              "09-oom",
              (h, r) -> {
                LevelLab.Run c = r.get(0);
                if ("debian".equals(c.spec.image())) {
                  // stress-ng's memory worker is killed while stress-ng and its sleeper live
                  // on: the kill counts in the container's memory cgroup (or, should the
                  // killer take stress-ng itself, the container ends OOM-killed).
                  String[] last = {"nothing read yet"};
                  try {
                    LevelLab.await(
                        "an OOM kill in its memory cgroup",
                        Duration.ofSeconds(60),
                        () -> {
                          if (c.exited.isDone()) {
                            var x = c.exited.getNow(null);
                            last[0] = "ended " + x;
                            return x != null && x.oomKilled();
                          }
                          try {
                            CgroupStats.Memory m = stats(h, c).memory();
                            last[0] = m.toString();
                            return m.oomKills() != null && m.oomKills() > 0;
                          } catch (Exception e) {
                            last[0] = e.toString();
                            return false;
                          }
                        });
                  } catch (AssertionError e) {
                    throw new AssertionError(
                        e.getMessage() + "; last: " + last[0] + "; output: " + c.output(), e);
                  }
                } else {
                  assertTrue(exit(c).oomKilled(), "OOM-killed");
                }
              }),
          Map.entry(
              "09-raise",
              (h, r) -> {
                var x = exit(r.get(0));
                assertEquals(0, x.code(), r.get(0).output());
                assertFalse(x.oomKilled());
              }),
          Map.entry("09-awk", (h, r) -> assertTrue(exit(r.get(0)).oomKilled(), "OOM-killed")),
          Map.entry(
              "09-soft",
              (h, r) -> {
                LevelLab.Run c = r.get(0);
                if (memoryOnV1()) {
                  // Twice the soft limit, and nothing happens: the machine is not short.
                  LevelLab.await(
                      "32 MiB held",
                      Duration.ofSeconds(30),
                      () -> memory(h, c).usageBytes() > (24L << 20));
                  CgroupStats.Memory m = stats(h, c).memory();
                  assertEquals(16L << 20, m.softLimitBytes(), m.toString());
                  assertTrue(c.live(), "not killed above its soft limit");
                } else {
                  LevelLab.await(
                      "memory.high events",
                      Duration.ofSeconds(30),
                      () -> {
                        Long n = memory(h, c).highEvents();
                        return n != null && n > 0;
                      });
                }
              }),
          Map.entry(
              "09-oom-off",
              (h, r) -> {
                LevelLab.Run c = r.get(0);
                if (!memoryOnV1()) {
                  assertTrue(failedStep(c).explanation().contains("memory.high"));
                  return;
                }
                LevelLab.await(
                    "the group waiting under OOM",
                    Duration.ofSeconds(30),
                    () -> Boolean.TRUE.equals(memory(h, c).underOom()));
                assertTrue(stats(h, c).memory().oomKillDisabled());
                assertTrue(c.live(), "not killed: waiting");
              }),
          Map.entry(
              "09-oom-group",
              (h, r) -> {
                if (memoryOnV1()) {
                  StepEntry s = failedStep(r.get(0));
                  assertTrue(s.args().contains("memory.oom.group\", \"1\""), s.toString());
                  assertTrue(s.explanation().contains("memory.oom_control"), s.toString());
                } else {
                  assertTrue(exit(r.get(0)).oomKilled(), "the group OOM-killed");
                }
              }),
          Map.entry(
              "09-swappiness",
              (h, r) -> {
                if (!memoryOnV1()) {
                  assertTrue(failedStep(r.get(0)).explanation().contains("memory.swap.max"));
                  return;
                }
                assertTrue(exit(r.get(0)).oomKilled(), "OOM-killed at 32 MiB");
                assertTrue(
                    r.get(0).steps.stream()
                        .anyMatch(
                            e ->
                                e.ok()
                                    && e.args() != null
                                    && e.args().endsWith("memory.swappiness\", \"0\"")),
                    "memory.swappiness written: " + r.get(0).steps);
              }),
          Map.entry(
              "09-kmem",
              (h, r) -> {
                LevelLab.Run c = r.get(0);
                if (c.id == null) {
                  // Linux ≥ 5.16 (v1: the read-back found the value dropped) or v2 (no file).
                  String why = failedStep(c).explanation();
                  assertTrue(
                      why.contains("ignores kernel memory limits") || why.contains("memory.max"),
                      why);
                } else {
                  assertNotEquals(0, exit(c).code());
                  assertTrue(c.output().contains("Cannot allocate memory"), c.output());
                }
              }),
          Map.entry(
              "09-mkdir",
              (h, r) -> {
                // The directories' dentries and inodes are charged to the group: at 16 MiB the
                // loop is killed, or mkdir is refused, long before the host's memory is touched.
                // Thousands of mkdirs until 16 MiB is charged: quick on a quiet machine, minutes on
                // a loaded one (a suite at load 23 saw no exit within 90 s): it has 300 s.
                var x = exit(r.get(0), Duration.ofSeconds(300));
                String out = r.get(0).output();
                assertTrue(x.oomKilled() || out.contains("Cannot allocate memory"), x + " " + out);
              }),
          Map.entry(
              "10-id",
              (h, r) -> {
                String out = answered(r.get(0), "id", o -> o.contains("\n"));
                assertTrue(out.matches("(?s)uid=1000\\(\\w+\\) gid=1000\\(\\w+\\).*"), out);
              }),
          Map.entry(
              "10-touch",
              (h, r) -> {
                assertNotEquals(0, exit(r.get(0)).code());
                assertTrue(r.get(0).output().contains("denied"), r.get(0).output());
              }),
          Map.entry(
              "10-host-ps",
              (h, r) -> {
                LevelLab.await("the start", Duration.ofSeconds(20), () -> r.get(0).pid > 0);
                String status = Files.readString(Path.of("/proc/" + r.get(0).pid + "/status"));
                assertTrue(status.matches("(?s).*\\nUid:\\s+1000\\s.*"), status);
              }),
          Map.entry("10-owner", (h, r) -> assertUpper(h, r.get(0), "tmp/mine", "file", false)),
          Map.entry(
              "11-hostname",
              (h, r) -> answered(r.get(0), "hostname's refusal", o -> o.contains("not permitted"))),
          Map.entry(
              "11-caps",
              (h, r) ->
                  answered(r.get(0), "the cut sets", o -> o.contains("CapBnd:\t00000000a00425fb"))),
          Map.entry("11-add-back", (h, r) -> assertEquals(0, exit(r.get(0)).code())),
          Map.entry(
              "11-mknod",
              (h, r) -> {
                assertNotEquals(0, exit(r.get(0)).code());
                assertTrue(
                    r.get(0).output().contains("Operation not permitted"), r.get(0).output());
              }),
          Map.entry(
              "11-mknod-add",
              (h, r) -> {
                // mknod passes (CAP_MKNOD back); the write behind it is still refused.
                assertNotEquals(0, exit(r.get(0)).code());
                String out = r.get(0).output();
                assertFalse(out.contains("mknod:"), out);
                assertTrue(out.contains("can't create /tmp/k"), out);
              }),
          Map.entry(
              "11-masked",
              (h, r) -> {
                assertNotEquals(0, exit(r.get(0)).code());
                String out = r.get(0).output();
                for (String f : List.of("kcore", "keys")) {
                  // Masked where the kernel has it (a kernel without CONFIG_PROC_KCORE has none).
                  if (Files.exists(Path.of("/proc", f))) {
                    assertTrue(out.matches("(?s)(.*\\s)?0 /proc/" + f + "\\s.*"), out);
                  } else {
                    assertTrue(out.contains("/proc/" + f + ": No such file"), out);
                  }
                }
                assertTrue(out.contains("Read-only file system"), out);
              }),
          Map.entry(
              "12-fork-bomb",
              (h, r) -> {
                LevelLab.await(
                    "a refused fork",
                    Duration.ofSeconds(20),
                    () -> r.get(0).output().contains("can't fork"));
                CgroupStats.Pids p = stats(h, r.get(0)).pids();
                assertEquals(32L, p.max());
                assertTrue(p.rejected() > 0, p.toString());
              }),
          Map.entry(
              "12-awk-flood",
              (h, r) -> {
                LevelLab.await(
                    "refused forks",
                    Duration.ofSeconds(20),
                    () -> {
                      try {
                        return stats(h, r.get(0)).pids().rejected() > 0;
                      } catch (Exception e) {
                        return false;
                      }
                    });
                CgroupStats.Pids p = stats(h, r.get(0)).pids();
                assertEquals(16L, p.max());
                assertTrue(p.current() <= 16, p.toString());
              }),
          Map.entry(
              "13-unshare",
              (h, r) -> {
                assertNotEquals(0, exit(r.get(0)).code());
                assertTrue(r.get(0).output().contains("Operation not permitted"));
              }),
          Map.entry(
              "13-unshare-at-12",
              (h, r) -> {
                assertEquals(0, exit(r.get(0)).code(), r.get(0).output());
                assertTrue(r.get(0).output().contains("mounted"));
              }),
          Map.entry(
              "13-mknod",
              (h, r) -> {
                assertNotEquals(0, exit(r.get(0)).code());
                String out = r.get(0).output();
                assertTrue(out.contains("fifo made") && out.contains("not permitted"), out);
              }),
          Map.entry(
              "13-linux32",
              (h, r) -> {
                exit(r.get(0));
                assertEquals("i686", r.get(0).output().strip());
              }),
          Map.entry(
              "13-walls",
              (h, r) -> {
                exit(r.get(0));
                String out = r.get(0).output();
                assertEquals(3, out.split("not permitted", -1).length - 1, out);
              }),
          Map.entry(
              "13-filter-alone",
              (h, r) -> {
                // busybox's mount words EPERM as "permission denied (are you root?)".
                assertNotEquals(0, exit(r.get(0)).code());
                assertTrue(r.get(0).output().contains("permission denied"), r.get(0).output());
              }),
          Map.entry("13-no-filter", (h, r) -> assertEquals(0, exit(r.get(0)).code())),
          Map.entry(
              "13-nnp",
              (h, r) -> {
                StepEntry s = failedStep(r.get(0));
                assertEquals("seccomp", s.step(), s.toString());
                assertEquals("EACCES", s.errno(), s.toString());
              }));

  private static LevelLab helper;

  @BeforeAll
  static void start() throws Exception {
    if (org.glasshouse.testsupport.Prerequisites.runningAsRoot()) {
      helper = LevelLab.startOrSkip("GuideExperimentsTest");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  @Tag("root")
  @Test
  void everyExperimentWorksAsWritten() throws Exception {
    if (helper == null) {
      helper = LevelLab.startOrSkip("GuideExperimentsTest");
    }
    List<String> failures = new ArrayList<>();
    // -Dglasshouse.experiments=07-,09-soft runs only the ids starting so (while working on them).
    List<String> only =
        Arrays.stream(System.getProperty("glasshouse.experiments", "").split(","))
            .filter(p -> !p.isBlank())
            .toList();
    for (Guide.Item item : experimentItems()) {
      if (!only.isEmpty() && only.stream().noneMatch(p -> item.id().startsWith(p))) {
        continue;
      }
      run(item.id(), "busybox", failures);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * The workshop's exercises that run unchanged on the debian image but depend on its files and
   * tools: the big file's copy-up (the image's own 16 MiB file), two containers on the bridge
   * (iputils' ping, dash), the mkdir loop DoS (dash, coreutils' mkdir).
   */
  static final Set<String> ALSO_ON_DEBIAN = Set.of("04-big-file", "07-bridge", "09-mkdir");

  /**
   * The experiments that run something else on the debian image (stress-ng instead of a busybox
   * loop: the workshop's two containers with different shares under stress-ng, the quota, the
   * memory+swap limit crossed) and those of {@link #ALSO_ON_DEBIAN}, from the run panel with debian
   * in its Image field, each with its effect asserted. In the {@code debian} group, as the image
   * takes minutes to build: run when asked ({@code ./glasshouse test -pl app -am -Dgroups=debian
   * -Dtest=GuideExperimentsTest -Dsurefire.failIfNoSpecifiedTests=false}).
   */
  @Tag("root")
  @Tag("debian")
  @Test
  void theWorkshopsExercisesRunOnTheDebianImage() throws Exception {
    org.glasshouse.testsupport.Prerequisites.require(
        Files.isRegularFile(org.glasshouse.app.RealHelper.imagesDir().resolve("debian.tar")),
        "needs the debian image (./glasshouse images build debian)");
    if (helper == null) {
      helper = LevelLab.startOrSkip("GuideExperimentsTest");
    }
    helper.importImage("debian");
    List<String> failures = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    for (Guide.Item item : experimentItems()) {
      Experiments.TryIt t = Experiments.ALL.get(item.id());
      if (t != null
          && (!t.commandFor("debian").equals(t.command()) || ALSO_ON_DEBIAN.contains(item.id()))) {
        ran.add(item.id());
        run(item.id(), "debian", failures);
      }
    }
    assertTrue(
        ran.containsAll(List.of("08-contention", "09-oom", "04-big-file", "09-mkdir")),
        "the workshop's exercises on the debian image: " + ran);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /** Runs experiment {@code id} as Try it sets it up, with {@code image}; a failure is listed. */
  private static void run(String id, String image, List<String> failures) throws Exception {
    Experiments.TryIt t = Experiments.ALL.get(id);
    Effect effect = EFFECTS.get(id);
    if (t == null || effect == null) {
      return; // reported by the first test
    }
    List<LevelLab.Run> runs = new ArrayList<>();
    try {
      // The panel only builds the spec here; its containers list (the applied-limits echo)
      // watches a lab that never answers.
      RunViewModel panel =
          new RunViewModel(
              new org.glasshouse.app.containers.ContainersViewModel(
                  new org.glasshouse.app.core.FakeLabService(), Runnable::run));
      panel.imageProperty().set(image);
      Experiments.apply(t, panel);
      runs.add(helper.run(panel.spec()));
      if (t.copies() == 2) {
        if (t.secondShares() != null) {
          panel.cpuSharesProperty().set(t.secondShares());
        }
        runs.add(helper.run(panel.spec()));
      }
      effect.check(helper, runs);
      // Inside vs outside compares a running container (and Check reads one): the experiment's
      // shell must still be there once its effect shows.
      if (t.view() == org.glasshouse.app.core.Navigator.View.INSIDE_OUTSIDE
          && runs.get(0).id != null
          && !runs.get(0).removed
          && !runs.get(0).live()) {
        throw new AssertionError(
            "it shows Inside vs outside, but its container has ended: nothing to compare ("
                + runs.get(0).output()
                + ")");
      }
      System.out.println("experiment " + id + " (" + image + "): ok");
    } catch (Exception | AssertionError e) {
      failures.add(id + " (" + image + "): " + e.getMessage());
      System.out.println("experiment " + id + " (" + image + "): FAILED " + e.getMessage());
    } finally {
      runs.forEach(helper::remove);
    }
  }

  // ------------------------------------------------------------------------------- helpers

  /** Waits until the container's output satisfies {@code done}; returns that output. */
  private static String answered(
      LevelLab.Run r, String what, java.util.function.Predicate<String> done) {
    if (r.id == null) {
      throw new AssertionError("the start failed: " + r.error + " at " + r.failedStep);
    }
    try {
      LevelLab.await(what, Duration.ofSeconds(30), () -> done.test(r.output()));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its output: " + r.output(), e);
    }
    return r.output();
  }

  private static org.glasshouse.app.core.LabEvent.Exited exit(LevelLab.Run r) throws Exception {
    return exit(r, Duration.ofSeconds(90));
  }

  /**
   * The exit of {@code r} within {@code wait}; a timeout says so with the output so far (a bare
   * {@code TimeoutException} has no message, and the report read "FAILED null").
   */
  private static org.glasshouse.app.core.LabEvent.Exited exit(LevelLab.Run r, Duration wait)
      throws Exception {
    org.glasshouse.app.core.LabEvent.Exited x;
    try {
      x = r.exited.get(wait.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "no exit within " + wait.toSeconds() + " s; the output so far: " + r.output());
    }
    if (x == null) {
      throw new AssertionError("the start failed: " + r.error + " " + r.steps);
    }
    return x;
  }

  /** The step a start failed at, as the helper's error reply names it. */
  private static StepEntry failedStep(LevelLab.Run r) {
    assertTrue(r.id == null && r.failedStep != null, "the start should fail at a step");
    return r.failedStep;
  }

  private static InspectResult inspect(LevelLab h, LevelLab.Run r) throws Exception {
    if (r.id == null) {
      throw new AssertionError("the start failed: " + r.error + " at " + r.failedStep);
    }
    LevelLab.await("the start", Duration.ofSeconds(30), () -> r.pid > 0);
    return h.lab.inspect(r.id, true).get(30, TimeUnit.SECONDS);
  }

  private static MountsResult mounts(LevelLab h, String target) {
    return h.lab.mounts(target, false).join();
  }

  private static List<String> mountPoints(MountsResult m) {
    return m.entries().stream().map(MountsResult.Mount::mountPoint).toList();
  }

  private static org.glasshouse.protocol.inspect.OverlayInfo upper(LevelLab h, LevelLab.Run r)
      throws Exception {
    return inspect(h, r).overlay();
  }

  /** The upper dir lists the path; {@code notInImage}: the image's own layer lacks it or has it. */
  private static void assertUpper(
      LevelLab h, LevelLab.Run r, String path, String kind, boolean rootOwned) throws Exception {
    LevelLab.await(
        path + " in the upper dir",
        Duration.ofSeconds(15),
        () -> {
          try {
            return inspect(h, r).upperDir().stream()
                .anyMatch(u -> u.path().equals(path) && u.kind().equals(kind));
          } catch (Exception e) {
            return false;
          }
        });
    InspectResult i = inspect(h, r);
    var e = i.upperDir().stream().filter(u -> u.path().equals(path)).findFirst().orElseThrow();
    assertEquals(rootOwned ? 0 : 1000, e.uid(), e.toString());
    Path lower = Path.of(i.overlay().lower().get(0), path);
    if (kind.equals("whiteout")) {
      assertTrue(
          Files.exists(lower, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the image keeps it");
    } else if (path.startsWith("etc/motd")) {
      assertFalse(Files.exists(lower), "the image has no " + path);
    }
  }

  /** The node was made and written: the write reached the host's kernel log. */
  private static void assertWrote(LevelLab.Run r) throws Exception {
    assertEquals(0, exit(r).code(), r.output());
  }

  private static void assertEscaped(LevelLab.Run r, boolean escapes) throws Exception {
    exit(r);
    Set<String> listed = new TreeSet<>(Arrays.asList(r.output().split("\n")));
    Set<String> host = new TreeSet<>(Arrays.asList(new File("/").list()));
    boolean sawHost = listed.containsAll(host);
    assertEquals(escapes, sawHost, r.output());
    if (!escapes) {
      assertTrue(listed.contains("linuxrc"), "the image's / : " + r.output());
    }
  }

  /** Whether the memory controller is on a v1 hierarchy here (hybrid hosts: yes). */
  private static boolean memoryOnV1() {
    return Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
  }

  /** The container's memory figures now; for polling, so a failed read is a condition not met. */
  private static CgroupStats.Memory memory(LevelLab h, LevelLab.Run r) {
    try {
      return stats(h, r).memory();
    } catch (Exception e) {
      throw new AssertionError("reading " + r.id + "'s memory", e);
    }
  }

  private static CgroupStats stats(LevelLab h, LevelLab.Run r) throws Exception {
    return inspect(h, r).cgroup().stats();
  }

  /** Cores each container used over the same {@code seconds}, from its cgroup's CPU time. */
  private static double[] cores(LevelLab h, List<LevelLab.Run> runs, int seconds) throws Exception {
    for (LevelLab.Run r : runs) {
      inspect(h, r);
    }
    // Let the loops start, then measure all of them over one window.
    Thread.sleep(1000);
    long[] u0 = new long[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      u0[i] = stats(h, runs.get(i)).cpu().usageNs();
    }
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double[] cores = new double[runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      long u1 = stats(h, runs.get(i)).cpu().usageNs();
      cores[i] = (u1 - u0[i]) / (double) (System.nanoTime() - t0);
    }
    return cores;
  }
}
