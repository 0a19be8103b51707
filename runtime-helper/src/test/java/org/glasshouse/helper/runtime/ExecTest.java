package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** exec into a running container: its namespaces, root, cgroup, user and capabilities. */
@Tag("root")
@Tag("cgroup")
class ExecTest extends SharedRootHarness {
  private static RunSpec cmd(String script) {
    return RootHarness.plain(null, null, RootHarness.ENV, "/bin/sh", "-c", script);
  }

  @Test
  void execJoinsTheNamespacesRootAndCgroupOfALevel12Container() throws Exception {
    CollectingListener main = new CollectingListener();
    Container c =
        h.runtime.start(
            RootHarness.newId(),
            RootHarness.spec(
                Feature.upTo(12),
                new Limits(64L << 20, null, null, null, 32),
                "1000:1000",
                "/bin/sh",
                "-c",
                "read x"),
            main);
    CollectingListener l = new CollectingListener();
    Container e =
        h.runtime.exec(
            c.id(),
            RootHarness.newId(),
            cmd(
                "hostname; id; cat /proc/1/cmdline; echo; ls /; for n in mnt uts ipc net pid cgroup;"
                    + " do readlink /proc/self/ns/$n; done"),
            l);
    assertEquals(0, l.await().code(), l.stderr() + e.steps());
    String out = l.stdout();
    assertTrue(out.startsWith(c.id() + "\n"), out);
    assertTrue(out.contains("uid=1000(student) gid=1000"), out);
    assertTrue(out.contains("/bin/sh\0-c\0read x"), out);
    assertTrue(out.contains("\nbin\n"), out);
    for (String ns : List.of("mnt", "uts", "ipc", "net", "pid", "cgroup")) {
      String inside =
          Files.readSymbolicLink(Path.of("/proc/" + c.hostPid() + "/ns/" + ns)).toString();
      assertTrue(out.contains(inside + "\n"), ns + " joined: " + out);
    }
    c.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, main.await().code());
    h.runtime.remove(c.id(), true);
    assertTrue(h.runtime.find(e.id()).isEmpty(), "the exec went with its container");
  }

  @Test
  void execIntoAChrootOnlyContainerEntersItsRoot() throws Exception {
    CollectingListener main = new CollectingListener();
    Container c = h.runtime.start(RootHarness.newId(), RootHarness.level(1, "read x"), main);
    CollectingListener l = new CollectingListener();
    h.runtime.exec(c.id(), RootHarness.newId(), cmd("ls /; pwd"), l);
    assertEquals(0, l.await().code(), l.stderr());
    assertTrue(l.stdout().contains("bin\n") && l.stdout().endsWith("/\n"), l.stdout());
    h.runtime.remove(c.id(), true);
  }
}
