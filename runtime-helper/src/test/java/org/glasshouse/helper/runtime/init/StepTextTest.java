package org.glasshouse.helper.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.glasshouse.helper.linux.Capability;
import org.glasshouse.helper.linux.FailingLibc;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.helper.runtime.seccomp.Arch;
import org.glasshouse.helper.runtime.seccomp.DefaultProfile;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step log and the errors say each call the same way: for every syscall the init stage makes,
 * at every level and in exec mode, the step entry of the call that succeeded names the call and its
 * arguments exactly as {@code JnaSyscalls}' {@code SyscallException} does when the same call, with
 * the same arguments, fails. The calls are made against the recording fake (so the ladder runs to
 * the end) and, each one, again against the real wrappers over a libc that refuses everything.
 */
class StepTextTest {

  /** Every syscall the init stage makes across the plans below: the test must meet each one. */
  private static final Set<String> INIT_SYSCALLS =
      Set.of(
          "prctl",
          "open",
          "openat2",
          "mount",
          "mknodat",
          "mkdirat",
          "symlinkat",
          "mkdir",
          "pivot_root",
          "chdir",
          "umount2",
          "rmdir",
          "chroot",
          "sethostname",
          "unshare",
          "setsid",
          "ioctl",
          "dup2",
          "close",
          "setgroups",
          "setresgid",
          "setresuid",
          "capset",
          "close_range",
          "seccomp",
          "execve",
          "setns",
          "fchdir",
          "posix_spawn");

  @TempDir Path root;

  private final RecordingSyscalls recording = new RecordingSyscalls();
  private final Syscalls failing = FailingLibc.syscalls();
  private SyscallException lastError;
  private final List<String> disagreements = new ArrayList<>();
  private final Set<String> met = new TreeSet<>();
  private final List<StepEntry> entries = new ArrayList<>();

  @BeforeEach
  void image() throws IOException {
    ImageFixture.create(root);
  }

  /** Each call goes to the failing wrappers first (its error kept), then to the recording fake. */
  private final Syscalls probe =
      (Syscalls)
          Proxy.newProxyInstance(
              Syscalls.class.getClassLoader(),
              new Class<?>[] {Syscalls.class},
              (proxy, m, args) -> {
                if (m.getDeclaringClass() == Syscalls.class && !m.getName().equals("endAs")) {
                  lastError = null;
                  try {
                    m.invoke(failing, args);
                  } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof SyscallException s) {
                      lastError = s;
                    }
                  }
                }
                try {
                  return m.invoke(recording, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  private final InitLink link =
      new InitLink() {
        @Override
        public void step(StepEntry entry) {
          entries.add(entry);
          String logged = entry.call() + "(" + entry.args() + ")";
          if (lastError == null) {
            disagreements.add(logged + ": the wrapper threw nothing");
          } else {
            String thrown = lastError.call() + "(" + lastError.args() + ")";
            if (!thrown.equals(logged)) {
              disagreements.add("step log: " + logged + "\n     error: " + thrown);
            }
            met.add(entry.call());
          }
          lastError = null;
        }

        @Override
        public void awaitRoots() {}

        @Override
        public void ready(long pid) {}

        @Override
        public void awaitGo() {}

        @Override
        public void aboutToExec(StepEntry pending) {}

        @Override
        public void spawned(long pid) {}
      };

  private InitPlan plan(Set<Feature> f, String tty, String user) {
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv("/bin/sh", "-c", "true")
            .env(Map.of("PATH", "/bin"))
            .tty(tty != null)
            .features(f)
            .user(user)
            .build();
    boolean overlay = f.contains(Feature.OVERLAY);
    return InitPlan.builder()
        .containerId("0123456789ab")
        .spec(spec)
        .features(f)
        .rootfs(root.toString())
        .overlayLower(overlay ? "/img" : null)
        .overlayUpper(overlay ? "/c/upper" : null)
        .overlayWork(overlay ? "/c/work" : null)
        .ptySlave(tty)
        // Not ASCII: its length in UTF-8 bytes (what the kernel gets) is not its length in chars.
        .hostname("glashüs")
        .uid(user == null ? null : 1000)
        .gid(user == null ? null : 1000)
        .capabilities(Capability.containerDefault().stream().map(Capability::capName).toList())
        .capLastCap(40)
        .workdir("/")
        .seccomp(
            f.contains(Feature.SECCOMP) ? FilterPlan.of(DefaultProfile.program(Arch.X86_64)) : null)
        .build();
  }

  private void run(InitPlan p) throws Exception {
    new InitStage(probe, p, link).run();
  }

  @Test
  void everyInitStepReadsAsItsErrorWould() throws Exception {
    for (int level = 0; level <= 13; level++) {
      run(plan(Feature.upTo(level), null, null));
      run(plan(Feature.upTo(level), "/dev/pts/7", "1000:1000"));
    }
    // A device node made rather than bound: level 02's nodes without nodev.
    run(plan(EnumSet.of(Feature.MOUNT_NS, Feature.CHROOT, Feature.DEV_NODES), null, null));
    for (Set<Feature> f : List.of(Feature.upTo(5), Feature.upTo(13))) {
      InitPlan exec =
          plan(f, "/dev/pts/7", "1000:1000").toBuilder()
              .rootfs("/proc/42/root")
              .execMode(true)
              .targetPid(42)
              .build();
      run(exec);
    }
    assertEquals(List.of(), disagreements, "steps whose text is not their error's");
    Set<String> missed = new TreeSet<>(INIT_SYSCALLS);
    missed.removeAll(met);
    assertEquals(Set.of(), missed, "init syscalls this test never met; met: " + met);
  }

  /**
   * The case that had drifted: sethostname's length is the name's UTF-8 bytes (8 for the 7 chars of
   * "glashüs"), in the log as in the error.
   */
  @Test
  void sethostnameCountsBytesInTheLogAsInTheError() throws Exception {
    run(plan(Feature.upTo(5), null, null));
    StepEntry logged =
        entries.stream().filter(e -> e.call().equals("sethostname")).findFirst().orElseThrow();
    assertEquals("\"glashüs\", 8", logged.args());
    SyscallException e = assertThrows(SyscallException.class, () -> failing.sethostname("glashüs"));
    assertEquals(logged.args(), e.args());
    assertEquals(List.of(), disagreements);
  }
}
