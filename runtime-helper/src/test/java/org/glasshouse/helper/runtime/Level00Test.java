package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Level 00 on the real kernel: spawn, env, exit status, namespaces shared with the host. */
@Tag("root")
class Level00Test {
  private Path state;
  private LinuxContainerRuntime runtime;

  @BeforeEach
  void setUp() throws Exception {
    TestSupport.requireRoot("level tests");
    state = Files.createTempDirectory("glasshouse-test-");
    // A cgroup parent of its own: the default one ("glasshouse") is a live helper's.
    String parent = "glasshouse-test-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    runtime =
        new LinuxContainerRuntime(
            RuntimeConfig.of(state, TestSupport.imagesDir()).withCgroupParent(parent));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (runtime != null) {
      runtime.close();
      org.glasshouse.helper.runtime.rootfs.SafeDelete.deleteTree(state);
    }
  }

  static RunSpec level0(String script, Map<String, String> env) {
    return RootHarness.plain(null, 0, env, "/bin/sh", "-c", script);
  }

  @Test
  void runsTheCommandAsAChildWithExactlyItsEnvAndReportsTheExitCode() throws Exception {
    CollectingListener l = new CollectingListener();
    String script =
        "echo \"foo=$FOO\"; env | wc -l; pwd; ls /proc/self/fd; readlink /proc/self/ns/mnt"
            + " /proc/self/ns/pid /proc/self/ns/uts; cat /proc/$$/cmdline | tr '\\0' ' '; echo;"
            + " grep PPid /proc/$$/status; exit 3";
    Container c = runtime.start("0123456789ab", level0(script, Map.of("FOO", "bar")), l);
    ExitStatus s = l.await();
    String out = l.stdout();
    assertEquals(3, s.code(), out + l.stderr());
    assertTrue(out.contains("foo=bar\n"), out);
    // env prints FOO plus the PWD sh sets itself.
    assertTrue(out.contains("\n2\n") || out.contains("\n1\n"), out);
    assertTrue(out.contains(state.resolve("containers/0123456789ab").toString()), out);
    assertTrue(out.contains("/bin/sh -c "), out);
    assertTrue(out.contains("PPid:\t" + ProcessHandle.current().pid()), out);
    for (String ns : List.of("mnt", "pid", "uts")) {
      assertTrue(out.contains(Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)).toString()));
    }
    // Only 0 1 2 (and the fd ls itself opens for the directory, 3) are open in the command.
    assertTrue(out.contains("0\n1\n2\n3\n") && !out.contains("\n4\n"), out);
    List<String> calls = c.steps().stream().map(e -> e.call()).toList();
    assertTrue(calls.contains("posix_spawn"), calls.toString());
    assertTrue(calls.contains("execve"), calls.toString());
    assertEquals("waitpid", calls.get(calls.size() - 1));
    assertFalse(c.steps().stream().anyMatch(e -> !e.ok()), c.steps().toString());
  }

  @Test
  void aSecondRuntimeOnTheSameStateDirIsRefused() {
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () -> new LinuxContainerRuntime(RuntimeConfig.of(state, TestSupport.imagesDir())));
    assertTrue(e.getMessage().contains("another glasshouse helper"), e.getMessage());
  }

  @Test
  void aMissingCommandFailsTheStartWithTheExecveErrno() throws Exception {
    CollectingListener l = new CollectingListener();
    RunSpec spec = RootHarness.plain(null, 0, Map.of(), "/nonexistent/cmd");
    StartFailedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StartFailedException.class, () -> runtime.start("0123456789ac", spec, l));
    assertEquals("execve", e.failedStep().call());
    assertEquals("ENOENT", e.failedStep().errno());
    assertTrue(runtime.list().isEmpty());
    assertFalse(Files.exists(state.resolve("containers/0123456789ac")));
  }
}
