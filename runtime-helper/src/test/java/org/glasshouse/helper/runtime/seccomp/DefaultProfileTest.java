package org.glasshouse.helper.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default profile compiled for x86_64 and aarch64 and run through {@link BpfInterpreter}: a
 * table of calls (architecture, syscall, arguments) and the verdict each must get, then properties
 * over every syscall of both tables.
 */
class DefaultProfileTest {
  static final int I386 = Arch.AUDIT_ARCH_I386;
  static final int ARM = Arch.AUDIT_ARCH_ARM;

  static final String ALLOW = "ALLOW";
  static final String EPERM = "ERRNO(EPERM)";
  static final String ENOSYS = "ERRNO(ENOSYS)";
  static final String KILL = "KILL_PROCESS";

  static final long CLONE_NEWUSER = 0x10000000L;
  static final long CLONE_NEWNS = 0x00020000L;
  static final long CLONE_NEWNET = 0x40000000L;
  static final long SIGCHLD = 17;

  /** What glibc's pthread_create passes to clone. */
  static final long PTHREAD_FLAGS = 0x003d0f00L;

  private static String verdict(Arch arch, int auditArch, int nr, long... args) {
    Program p = DefaultProfile.program(arch);
    return BpfInterpreter.describe(BpfInterpreter.run(p.instructions(), auditArch, nr, args));
  }

  private static String verdict(Arch arch, String syscall, long... args) {
    Integer nr = arch.table().number(syscall);
    if (nr == null) {
      throw new IllegalArgumentException(arch + " has no " + syscall);
    }
    return verdict(arch, arch.auditArch(), nr, args);
  }

  static Stream<Arguments> calls() {
    List<Arguments> t = new ArrayList<>();
    for (Arch a : Arch.values()) {
      // What every program does.
      t.add(Arguments.of(a, "read", new long[] {0, 0, 10}, ALLOW));
      t.add(Arguments.of(a, "openat", new long[] {-100, 0, 0}, ALLOW));
      t.add(Arguments.of(a, "execve", new long[] {}, ALLOW));
      t.add(Arguments.of(a, "exit_group", new long[] {0}, ALLOW));
      t.add(Arguments.of(a, "wait4", new long[] {-1}, ALLOW));
      t.add(Arguments.of(a, "rt_sigreturn", new long[] {}, ALLOW));
      t.add(Arguments.of(a, "restart_syscall", new long[] {}, ALLOW));
      t.add(Arguments.of(a, "close_range", new long[] {3, ~0L, 4}, ALLOW));
      // clone: fork and threads yes, namespaces no; clone3 falls back to clone.
      t.add(Arguments.of(a, "clone", new long[] {SIGCHLD}, ALLOW));
      t.add(Arguments.of(a, "clone", new long[] {PTHREAD_FLAGS}, ALLOW));
      t.add(Arguments.of(a, "clone", new long[] {CLONE_NEWUSER | SIGCHLD}, EPERM));
      t.add(Arguments.of(a, "clone", new long[] {CLONE_NEWNS | SIGCHLD}, EPERM));
      t.add(Arguments.of(a, "clone", new long[] {CLONE_NEWNET}, EPERM));
      // clone() ignores the upper half of its flags, and so does the rule.
      t.add(Arguments.of(a, "clone", new long[] {0xffffffff_00000000L | SIGCHLD}, ALLOW));
      t.add(Arguments.of(a, "clone3", new long[] {0x7ffc0000L, 88}, ENOSYS));
      t.add(Arguments.of(a, "unshare", new long[] {CLONE_NEWUSER}, EPERM));
      t.add(Arguments.of(a, "unshare", new long[] {CLONE_NEWUSER | CLONE_NEWNS}, EPERM));
      t.add(Arguments.of(a, "unshare", new long[] {0x80}, EPERM)); // CLONE_NEWTIME
      t.add(Arguments.of(a, "unshare", new long[] {0x02000000}, EPERM)); // CLONE_NEWCGROUP
      t.add(Arguments.of(a, "unshare", new long[] {0x200}, ALLOW)); // CLONE_FS
      t.add(Arguments.of(a, "unshare", new long[] {0x400}, ALLOW)); // CLONE_FILES
      t.add(Arguments.of(a, "setns", new long[] {3, 0}, EPERM));
      // personality: the harmless personas and the query only.
      t.add(Arguments.of(a, "personality", new long[] {0}, ALLOW));
      t.add(Arguments.of(a, "personality", new long[] {8}, ALLOW)); // linux32
      t.add(Arguments.of(a, "personality", new long[] {0xffffffffL}, ALLOW)); // query
      t.add(Arguments.of(a, "personality", new long[] {0x20008}, ALLOW));
      t.add(Arguments.of(a, "personality", new long[] {0x0040000}, EPERM)); // ADDR_NO_RANDOMIZE
      t.add(Arguments.of(a, "personality", new long[] {0x0400000}, EPERM)); // READ_IMPLIES_EXEC
      // socket: anything but AF_VSOCK.
      t.add(Arguments.of(a, "socket", new long[] {1, 1, 0}, ALLOW)); // AF_UNIX
      t.add(Arguments.of(a, "socket", new long[] {2, 2, 0}, ALLOW)); // AF_INET
      t.add(Arguments.of(a, "socket", new long[] {16, 3, 0}, ALLOW)); // AF_NETLINK
      t.add(Arguments.of(a, "socket", new long[] {40, 1, 0}, EPERM)); // AF_VSOCK
      // mknodat: FIFOs yes, device nodes no.
      t.add(Arguments.of(a, "mknodat", new long[] {-100, 0, 0010644, 0}, ALLOW));
      t.add(Arguments.of(a, "mknodat", new long[] {-100, 0, 0020666, 0x103}, EPERM));
      t.add(Arguments.of(a, "mknodat", new long[] {-100, 0, 0060660, 0x800}, EPERM));
      t.add(Arguments.of(a, "mknodat", new long[] {-100, 0, 0140777, 0}, ALLOW)); // socket
      // Denied by name.
      for (String s :
          List.of(
              "mount",
              "umount2",
              "pivot_root",
              "move_mount",
              "open_tree",
              "fsopen",
              "fsmount",
              "fsconfig",
              "fspick",
              "mount_setattr",
              "reboot",
              "kexec_load",
              "kexec_file_load",
              "init_module",
              "finit_module",
              "delete_module",
              "settimeofday",
              "clock_settime",
              "clock_adjtime",
              "adjtimex",
              "keyctl",
              "add_key",
              "request_key",
              "bpf",
              "perf_event_open",
              "ptrace",
              "process_vm_readv",
              "process_vm_writev",
              "pidfd_getfd",
              "userfaultfd",
              "io_uring_setup",
              "io_uring_enter",
              "io_uring_register",
              "name_to_handle_at",
              "open_by_handle_at",
              "swapon",
              "swapoff",
              "acct",
              "syslog",
              "sethostname",
              "quotactl")) {
        t.add(Arguments.of(a, s, new long[] {}, EPERM));
      }
    }
    // x86_64 only: the old calls arm64 never had, and the ABIs that share its door.
    Arch x = Arch.X86_64;
    t.add(Arguments.of(x, "open", new long[] {0, 0}, ALLOW));
    t.add(Arguments.of(x, "fork", new long[] {}, ALLOW));
    t.add(Arguments.of(x, "arch_prctl", new long[] {0x1002, 0}, ALLOW));
    t.add(Arguments.of(x, "mknod", new long[] {0, 0020666, 0x103}, EPERM));
    t.add(Arguments.of(x, "mknod", new long[] {0, 0010644, 0}, ALLOW));
    t.add(Arguments.of(x, "iopl", new long[] {3}, EPERM));
    t.add(Arguments.of(x, "modify_ldt", new long[] {1}, EPERM));
    t.add(Arguments.of(x, "uselib", new long[] {}, EPERM));
    return t.stream();
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @MethodSource("calls")
  void eachCallGetsItsVerdict(Arch arch, String syscall, long[] args, String expected) {
    assertEquals(expected, verdict(arch, syscall, args));
  }

  @Test
  void numbersTheTableDoesNotKnowGetEnosysAndOtherAbisAreKilled() {
    Arch x = Arch.X86_64;
    assertEquals(ENOSYS, verdict(x, x.auditArch(), 400)); // the gap before 424
    assertEquals(ENOSYS, verdict(x, x.auditArch(), x.table().highest() + 1));
    assertEquals(ENOSYS, verdict(x, x.auditArch(), 100_000));
    assertEquals(ENOSYS, verdict(x, x.auditArch(), -1)); // syscall(-1): no call, as the kernel
    assertEquals(ENOSYS, verdict(x, x.auditArch(), Integer.MIN_VALUE));
    // x32: the native arch value, bit 30 in the number. 0x40000000 + 59 is x32's execve.
    assertEquals(KILL, verdict(x, x.auditArch(), 0x40000000));
    assertEquals(KILL, verdict(x, x.auditArch(), 0x40000000 + 59));
    assertEquals(KILL, verdict(x, x.auditArch(), 0x40000000 + 520));
    assertEquals(KILL, verdict(x, x.auditArch(), 0x7fffffff));
    // int 0x80: i386's 11 is execve, x86_64's 11 munmap: killed whatever the number.
    assertEquals(KILL, verdict(x, I386, 11));
    assertEquals(KILL, verdict(x, I386, 0));
    assertEquals(KILL, verdict(x, Arch.AARCH64.auditArch(), 63));
    Arch a = Arch.AARCH64;
    assertEquals(ENOSYS, verdict(a, a.auditArch(), 42)); // unassigned in the generic table
    assertEquals(ENOSYS, verdict(a, a.auditArch(), 0x40000000)); // no x32 on arm64
    assertEquals(KILL, verdict(a, ARM, 3));
    assertEquals(KILL, verdict(a, x.auditArch(), 0));
  }

  @Test
  void everySyscallOfBothTablesIsDecidedAndTheVerdictMatchesItsRule() {
    Set<String> undecided = new TreeSet<>();
    for (Arch arch : Arch.values()) {
      arch.table()
          .byNumber()
          .forEach(
              (nr, name) -> {
                Rule r = DefaultProfile.PROFILE.rule(name);
                if (r == null) {
                  undecided.add(name);
                } else if (!r.conditional()) {
                  assertEquals(r.action().name(), verdict(arch, arch.auditArch(), nr), name);
                }
              });
    }
    assertEquals(Set.of(), undecided, "syscalls the profile does not decide");
  }

  @Test
  void everyRuleNamesASyscallOfSomeTableAndConditionalRulesAgreeWithTheirConditions() {
    for (Rule r : DefaultProfile.PROFILE.rules()) {
      boolean known = Stream.of(Arch.values()).anyMatch(a -> a.table().number(r.syscall()) != null);
      assertTrue(known, "no architecture has " + r.syscall());
      for (Arch a : Arch.values()) {
        Integer nr = a.table().number(r.syscall());
        if (nr == null || !r.conditional()) {
          continue;
        }
        // Each case's own example must get its action: a value that satisfies the condition.
        for (Rule.Case c : r.cases()) {
          long[] args = new long[6];
          Rule.Condition w = c.when();
          args[w.arg()] = w.test() == Rule.Condition.Test.ANY_BIT_SET ? w.mask() : w.value();
          assertTrue(w.holds(args[w.arg()]));
          assertEquals(c.then().name(), verdict(a, a.auditArch(), nr, args), r + " " + c);
        }
      }
    }
  }

  @Test
  void theProgramsAreSmallAndTheSummaryCountsTheRules() {
    for (Arch a : Arch.values()) {
      Program p = DefaultProfile.program(a);
      assertTrue(p.length() < 400, a + ": " + p.length() + " instructions");
      assertEquals(
          DefaultProfile.PROFILE.rules().stream()
              .filter(r -> a.table().number(r.syscall()) != null)
              .count(),
          p.counts().total());
      assertTrue(p.summary().startsWith("glasshouse-default (" + a + "): "), p.summary());
      assertTrue(p.summary().contains("default ERRNO(EPERM)"), p.summary());
      assertTrue(p.summary().endsWith(p.length() + " instructions"), p.summary());
    }
    Program x = DefaultProfile.program(Arch.X86_64);
    assertEquals(
        6, x.counts().conditional(), x.summary()); // clone unshare personality socket mknod(at)
    assertFalse(x.counts().allowed() < 250, x.summary());
  }

  @Test
  void theTreeDecidesInAFewComparisons() {
    // Count the instructions executed for every known syscall: a binary tree over a few dozen
    // intervals, not a list of 300 comparisons.
    Program p = DefaultProfile.program(Arch.X86_64);
    int worst = 0;
    for (int nr : Arch.X86_64.table().byNumber().keySet()) {
      worst = Math.max(worst, depth(p, nr));
    }
    assertTrue(worst <= 16, "worst path " + worst + " instructions");
  }

  private static int depth(Program p, int nr) {
    // The path length: the number of distinct instructions the interpreter would visit.
    var prog = p.instructions();
    int pc = 0;
    int steps = 0;
    int a = 0;
    while (true) {
      var f = prog.get(pc);
      steps++;
      int code = f.code();
      if (code == (Bpf.RET | Bpf.K)) {
        return steps;
      } else if (code == (Bpf.LD | Bpf.W | Bpf.ABS)) {
        a = f.k() == Bpf.DATA_ARCH ? Arch.X86_64.auditArch() : f.k() == Bpf.DATA_NR ? nr : 0;
        pc++;
      } else if (code == (Bpf.JMP | Bpf.JA)) {
        pc += 1 + f.k();
      } else if (code == (Bpf.JMP | Bpf.JGE | Bpf.K)) {
        pc += 1 + (Integer.compareUnsigned(a, f.k()) >= 0 ? f.jt() : f.jf());
      } else if (code == (Bpf.JMP | Bpf.JEQ | Bpf.K)) {
        pc += 1 + (a == f.k() ? f.jt() : f.jf());
      } else if (code == (Bpf.JMP | Bpf.JSET | Bpf.K)) {
        pc += 1 + ((a & f.k()) != 0 ? f.jt() : f.jf());
      } else {
        a &= f.k();
        pc++;
      }
    }
  }
}
