package org.glasshouse.helper.runtime;

import static org.glasshouse.helper.runtime.RootHarness.level;
import static org.glasshouse.helper.runtime.RootHarness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import org.glasshouse.helper.inspect.HostFs;
import org.glasshouse.helper.inspect.ProcessReader;
import org.glasshouse.helper.runtime.RootHarness.Result;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.ProcessInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Level 13 on the real kernel: the escape of issue 12 (a new user namespace, and mounting in it)
 * works at 12 and fails with EPERM at 13, while everything a busybox container normally does keeps
 * working, and the earlier levels' checks still pass with the filter on.
 */
@Tag("root")
class SeccompLevelTest extends SharedRootHarness {

  private static final String USERNS_MOUNT =
      "unshare -U -r -m sh -c 'mount -t tmpfs glasshouse-probe /tmp && grep -c glasshouse-probe"
          + " /proc/self/mountinfo'; echo status=$?";

  @Test
  void level12ANewUserNamespaceAndAMountInsideItWork() throws Exception {
    Result r =
        h.runAndRemove(
            level(12, USERNS_MOUNT + "; grep '^Seccomp:' /proc/self/status; unshare -U id -u"));
    assertEquals(0, r.status().code(), r.toString());
    assertTrue(r.out().startsWith("1\nstatus=0\n"), "the escape works at 12: " + r);
    assertTrue(r.out().contains("Seccomp:\t0\n"), r.toString());
    // Without -r the new namespace maps nobody: the overflow uid.
    assertTrue(r.out().endsWith("65534\n"), r.toString());
  }

  @Test
  void level13UnshareUserFailsWithEpermAndTheContainerKeepsWorking() throws Exception {
    Result r =
        h.run(
            level(
                13,
                USERNS_MOUNT
                    + "; unshare -U true; echo unshare=$?"
                    + "; ls / | grep -c '^bin$'"
                    + "; echo hello | tr a-z A-Z | cat"
                    + "; sh -c 'exit 3'; echo sh=$?"
                    + "; sleep 0.1 & wait; echo slept"
                    + "; ps -o pid,args | grep -c 'ps -o'"
                    + "; mkfifo /tmp/fifo && echo fifo"
                    + "; echo data > /tmp/file && cp /tmp/file /tmp/copy && cat /tmp/copy"
                    + "; find /etc -name passwd"
                    + "; date +%Y >/dev/null && echo date"
                    + "; id -u"
                    + "; linux32 uname -m"
                    + "; grep -E '^(NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status"));
    assertEquals(0, r.status().code(), r.toString());
    String out = r.out();
    assertTrue(out.startsWith("status=1\n"), "the escape fails at 13: " + r);
    assertTrue(
        r.err().contains("unshare: unshare(0x10000000): Operation not permitted"), r.toString());
    for (String line :
        List.of(
            "unshare=1",
            "1",
            "HELLO",
            "sh=3",
            "slept",
            "fifo",
            "data",
            "/etc/passwd",
            "date",
            "0",
            "i686",
            "NoNewPrivs:\t1",
            "Seccomp:\t2",
            "Seccomp_filters:\t1")) {
      assertTrue(out.contains("\n" + line + "\n"), "'" + line + "' in " + r);
    }
    // The step log: the filter is the last step before execve, with its rules and its size.
    List<StepEntry> steps = r.container().steps();
    int seccomp = indexOf(steps, "seccomp");
    assertTrue(seccomp > 0, steps.toString());
    StepEntry s = steps.get(seccomp);
    assertTrue(s.ok(), s.toString());
    assertTrue(s.args().contains("default ERRNO(EPERM)"), s.args());
    assertTrue(
        s.args().matches("SECCOMP_SET_MODE_FILTER, 0, \\{len=\\d+, filter=…} /\\* .*"), s.args());
    assertEquals("execve", steps.get(seccomp + 1).call(), steps.toString());
    assertTrue(indexOf(steps, "capabilities") < seccomp);
    h.runtime.remove(r.container().id(), true);
  }

  private static int indexOf(List<StepEntry> steps, String step) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).step().equals(step)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void theEarlierLevelsChecksStillPassWithTheFilter() throws Exception {
    Result r =
        h.run(
            spec(
                Feature.upTo(13),
                null,
                null,
                "/bin/sh",
                "-c",
                "stat -c %t,%T /dev/null; test ! -e /.oldroot && echo pivoted;"
                    + " echo copy-up > /glasshouse-probe && cat /glasshouse-probe; hostname;"
                    + " echo $$; ls /sys/class/net; hostname glasshouse-escape; echo hostname=$?;"
                    + " ip link | grep -c LOOPBACK"));
    assertEquals(0, r.status().code(), r.toString());
    assertEquals(
        "1,3\npivoted\ncopy-up\n" + r.container().id() + "\n1\nlo\nhostname=1\n1\n", r.out());
    h.runtime.remove(r.container().id(), true);

    Result user = h.runAndRemove(spec(Feature.upTo(13), null, "1000:1000", "/usr/bin/id"));
    assertEquals(0, user.status().code(), user.toString());
    assertTrue(user.out().startsWith("uid=1000(student) gid=1000"), user.toString());

    // Level 12's check at 13: 32 sleeps under a limit of 16 make the shell report a failed fork.
    Result bomb =
        h.runAndRemove(
            spec(
                Feature.upTo(13),
                new Limits(null, null, null, null, 16),
                null,
                "/bin/sh",
                "-c",
                "for i in $(seq 1 32); do sleep 2 & done; wait"));
    String said = bomb.out() + bomb.err();
    assertTrue(said.contains("fork") || said.contains("unavailable"), bomb.toString());
  }

  @Test
  void anExecIntoALevel13ContainerGetsTheFilterAndInspectCountsIt() throws Exception {
    CollectingListener main = new CollectingListener();
    Container c = h.runtime.start(RootHarness.newId(), level(13, "read x"), main);
    ProcessInfo p = ProcessReader.read(HostFs.real(), c.hostPid());
    assertEquals("filter", p.seccompMode());
    assertEquals(2, p.seccomp());
    assertEquals(1, p.seccompFilters());
    assertTrue(p.noNewPrivs());
    CollectingListener l = new CollectingListener();
    h.runtime.exec(
        c.id(),
        RootHarness.newId(),
        RootHarness.plain(
            null,
            null,
            RootHarness.ENV,
            "/bin/sh",
            "-c",
            "grep '^Seccomp' /proc/self/status; unshare -U true; echo unshare=$?"),
        l);
    assertEquals(0, l.await().code(), l.stderr());
    assertEquals("Seccomp:\t2\nSeccomp_filters:\t1\nunshare=1\n", l.stdout());
    assertTrue(l.stderr().contains("Operation not permitted"), l.stderr());
    c.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, main.await().code());
    h.runtime.remove(c.id(), true);
  }

  @Test
  void theFilterDeniesMountEvenToRootWithEveryCapability() throws Exception {
    // Free play: a PID namespace and pivot_root, no capability cut, and the filter. The init is
    // root with CAP_SYS_ADMIN, so the kernel takes the filter without no_new_privs, and the
    // command could mount without it: the EPERM is the filter's.
    EnumSet<Feature> f = EnumSet.copyOf(Feature.upTo(6));
    String script =
        "mount -t tmpfs glasshouse-probe /tmp; echo mount=$?; grep '^CapEff' /proc/self/status";
    Result without = h.runAndRemove(spec(f, null, null, "/bin/sh", "-c", script));
    f.add(Feature.SECCOMP);
    Result with = h.runAndRemove(spec(f, null, null, "/bin/sh", "-c", script));
    assertTrue(without.out().startsWith("mount=0\n"), without.out() + without.err());
    assertFalse(with.out().startsWith("mount=0\n"), with.out());
    // busybox's words for EPERM from mount(2).
    assertTrue(with.err().contains("mount: permission denied"), with.err());
    assertEquals(without.out().split("\n")[1], with.out().split("\n")[1], "same capabilities");
    assertNotEquals("CapEff:\t0000000000000000", with.out().split("\n")[1]);
  }

  @Test
  void withoutNoNewPrivsOrCapSysAdminTheKernelRefusesTheFilter() throws Exception {
    // Free play: setuid without the capabilities step: the uid change drops every capability and
    // nothing sets no_new_privs, so the kernel refuses to let an unprivileged process filter
    // (a filter could fool a setuid program it then executes).
    EnumSet<Feature> f = EnumSet.copyOf(Feature.upTo(13));
    f.remove(Feature.CAPABILITIES);
    String id = RootHarness.newId();
    StartFailedException e =
        assertThrows(
            StartFailedException.class,
            () ->
                h.runtime.start(
                    id, spec(f, null, "1000:1000", "/bin/true"), new CollectingListener()));
    assertEquals("seccomp", e.failedStep().call(), e.failedStep().toString());
    assertEquals("EACCES", e.failedStep().errno());
    assertTrue(e.failedStep().explanation().contains("no_new_privs"), e.failedStep().toString());
    assertFalse(Files.exists(h.state.resolve("containers/" + id)));
  }
}
