package org.glasshouse.helper.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.runtime.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The compiled default filter on the real kernel, without a container: a throwaway thread of this
 * JVM loads it (seccomp filters belong to the thread that loads them, unless asked to spread) and
 * makes raw syscalls, next to a second thread without it that makes the same calls. The arguments
 * are chosen so that without the filter the kernel answers something else than the filter does (a
 * path that does not exist, a bad fd, a bad magic number), and so that nothing happens to the
 * machine if the filter let a call through. Both threads end when the test is done.
 */
@Tag("root")
class SeccompKernelRootTest {

  /** Raw syscall(2), to reach calls JnaSyscalls has no wrapper for. */
  interface C extends Library {
    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;
  }

  private static final String NOWHERE = "/glasshouse-test-nowhere/x";
  private static C c;

  @BeforeAll
  static void rootOnly() {
    TestSupport.requireRoot("the tests that load a filter");
    c = Native.load("c", C.class);
  }

  /**
   * A call, what the filter must answer, and whether the kernel's own answer without the filter is
   * known to differ (so the test tells the filter's EPERM from the kernel's).
   */
  private record Probe(
      String label, String filtered, boolean differs, String syscall, Object... args) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** What a call returned: {@code "0"}, {@code "5"}, or an errno name. */
  private static String call(Arch arch, Probe p) {
    int nr = arch.table().number(p.syscall());
    try {
      long r = c.syscall(new NativeLong(nr), p.args()).longValue();
      return r >= 0 ? "ok" : String.valueOf(r);
    } catch (LastErrorException e) {
      return org.glasshouse.helper.linux.Errno.name(e.getErrorCode());
    }
  }

  /** Runs the probes on a fresh thread, with or without the filter loaded first. */
  private static Map<String, String> onThread(boolean filtered, List<Probe> probes)
      throws Exception {
    Arch arch = Arch.host();
    Program program = DefaultProfile.program(arch);
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              Map<String, String> out = new LinkedHashMap<>();
              try {
                if (filtered) {
                  new JnaSyscalls().seccompFilter(program.instructions(), program.summary());
                }
                out.put("Seccomp", status("Seccomp:"));
                out.put("Seccomp_filters", status("Seccomp_filters:"));
                for (Probe p : probes) {
                  out.put(p.label(), call(arch, p));
                }
                result.set(out);
              } catch (SyscallException | RuntimeException e) {
                result.set(e);
              }
            },
            "glasshouse-test-seccomp-" + filtered);
    t.start();
    t.join();
    if (result.get() instanceof Exception e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    Map<String, String> out = (Map<String, String>) result.get();
    return out;
  }

  /** A line of this thread's /proc/thread-self/status. */
  private static String status(String key) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
        if (l.startsWith(key)) {
          return l.substring(key.length()).trim();
        }
      }
      return "absent";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static final long AT_FDCWD = -100;
  private static final long CLONE_NEWUSER = 0x10000000L;
  private static final long S_IFCHR = 0020000;
  private static final long S_IFIFO = 0010000;

  private static final String OK = "ok";
  private static final String EPERM = "EPERM";

  private static final List<Probe> PROBES =
      List.of(
          new Probe("getpid", OK, false, "getpid"),
          new Probe("unshare(CLONE_NEWUSER)", EPERM, true, "unshare", CLONE_NEWUSER),
          new Probe("unshare(CLONE_FS)", OK, false, "unshare", 0x200L),
          new Probe("clone3(NULL, 0)", "ENOSYS", true, "clone3", null, 0L),
          new Probe("setns(-1, 0)", EPERM, true, "setns", -1L, 0L),
          new Probe("mount(…nowhere…)", EPERM, true, "mount", null, NOWHERE, null, 0L, null),
          new Probe("umount2(nowhere)", EPERM, true, "umount2", NOWHERE, 0L),
          new Probe("pivot_root(nowhere)", EPERM, true, "pivot_root", NOWHERE, NOWHERE),
          // A bad magic number: EINVAL without the filter, nothing reboots.
          new Probe("reboot(0, 0, 0, 0)", EPERM, true, "reboot", 0L, 0L, 0L, 0L),
          new Probe("keyctl(-1)", EPERM, true, "keyctl", -1L, 0L, 0L, 0L, 0L),
          new Probe("add_key(NULL…)", EPERM, true, "add_key", null, null, null, 0L, 0L),
          new Probe("request_key(NULL…)", EPERM, true, "request_key", null, null, null, 0L),
          new Probe("bpf(-1)", EPERM, true, "bpf", -1L, null, 0L),
          new Probe(
              "perf_event_open(NULL…)", EPERM, true, "perf_event_open", null, 0L, -1L, -1L, 0L),
          // PTRACE_PEEKUSER of a pid that does not exist: ESRCH without the filter.
          new Probe("ptrace(PEEKUSER, nobody)", EPERM, true, "ptrace", 3L, 0x7ffffffeL, 0L, 0L),
          new Probe("userfaultfd(-1)", EPERM, true, "userfaultfd", -1L),
          new Probe("swapoff(nowhere)", EPERM, true, "swapoff", NOWHERE),
          new Probe("acct(nowhere)", EPERM, true, "acct", NOWHERE),
          new Probe("clock_settime(-1, NULL)", EPERM, true, "clock_settime", -1L, null),
          new Probe("finit_module(-1)", EPERM, true, "finit_module", -1L, "", 0L),
          new Probe("delete_module(nowhere)", EPERM, true, "delete_module", "glasshouse_x", 0L),
          new Probe("open_by_handle_at(-1)", EPERM, true, "open_by_handle_at", -1L, null, 0L),
          new Probe(
              "name_to_handle_at(NULL)",
              EPERM,
              true,
              "name_to_handle_at",
              AT_FDCWD,
              null,
              null,
              null,
              0L),
          new Probe(
              "mknodat(S_IFCHR 1,3)",
              EPERM,
              true,
              "mknodat",
              AT_FDCWD,
              NOWHERE,
              S_IFCHR | 0600,
              0x103L),
          // A FIFO passes the filter: the kernel answers that the directory does not exist.
          new Probe(
              "mknodat(S_IFIFO)",
              "ENOENT",
              false,
              "mknodat",
              AT_FDCWD,
              NOWHERE,
              S_IFIFO | 0600,
              0L),
          new Probe("personality(query)", OK, false, "personality", 0xffffffffL),
          new Probe("personality(ADDR_NO_RANDOMIZE)", EPERM, false, "personality", 0x0040000L));

  @Test
  void theFilterDeniesWhatTheProfileDeniesAndTheKernelAnswersTheRest() throws Exception {
    // Without the filter only the calls that change nothing are made: personality would change
    // the thread's persona.
    List<Probe> harmless = PROBES.stream().filter(p -> !p.syscall().equals("personality")).toList();
    Map<String, String> without = onThread(false, harmless);
    Map<String, String> with = onThread(true, PROBES);
    StringBuilder table = new StringBuilder();
    with.forEach(
        (k, v) ->
            table.append(String.format("%-32s %-14s %s%n", k, without.getOrDefault(k, "-"), v)));
    String t = table.toString();
    assertEquals("0", without.get("Seccomp"), t);
    assertEquals("2", with.get("Seccomp"), "mode 2: filter\n" + t);
    assertEquals("1", with.get("Seccomp_filters"), t);
    for (Probe p : PROBES) {
      assertEquals(p.filtered(), with.get(p.label()), p + "\n" + t);
      if (p.differs()) {
        // The kernel itself answers something else: the EPERM is the filter's, not the
        // capabilities' (the test runs as root with all of them).
        assertNotEquals(p.filtered(), without.get(p.label()), p + "\n" + t);
      }
    }
    System.out.println("syscall                      without filter with filter\n" + t);
  }
}
