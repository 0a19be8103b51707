package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.net.NetworkAttachment;
import org.glasshouse.helper.runtime.net.NetworkConfig;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Level 07's bonus on the real kernel: two containers on the helper's bridge ping each other,
 * {@code ip netns} sees exactly the running ones, and nothing of the wiring outlives them. Every
 * address pinged is one of these containers', in namespaces the test made: no packet leaves the
 * machine.
 */
@Tag("root")
class NetworkRootTest {

  static RunSpec bridged(int level, String script) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("/bin/sh", "-c", script))
        .env(RootHarness.ENV)
        .level(level)
        .network(RunSpec.NETWORK_BRIDGE)
        .build();
  }

  /** {@code ip netns list}, one name per line (ip prints "name (id: N)"). */
  static List<String> ipNetnsList() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "ip netns list: " + out);
    return out.lines().map(l -> l.split(" ")[0]).toList();
  }

  static String ipNetnsExec(String name, String... cmd) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(List.of(cmd));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  static boolean link(String name) {
    return Files.exists(Path.of("/sys/class/net", name), LinkOption.NOFOLLOW_LINKS);
  }

  static String ip(NetworkAttachment a) {
    return a.address().substring(0, a.address().indexOf('/'));
  }

  @Test
  void twoBridgedContainersPingEachOtherAndLeaveNoLinkBridgeOrNetnsBehind() throws Exception {
    try (RootHarness h = new RootHarness()) {
      String bridge = h.runtime.network().config().bridge();
      assertFalse(link(bridge), "no bridge before the first networked container");
      CollectingListener la = new CollectingListener();
      CollectingListener lb = new CollectingListener();
      // Both wait on stdin: alive while the host looks at them.
      Container a = h.runtime.start(RootHarness.newId(), bridged(7, "read x"), la);
      Container b = h.runtime.start(RootHarness.newId(), bridged(7, "read x"), lb);
      NetworkAttachment wa = a.network().orElseThrow();
      NetworkAttachment wb = b.network().orElseThrow();
      assertEquals(bridge, wa.bridge());
      assertEquals(wa.gateway(), wb.gateway());
      assertTrue(!wa.address().equals(wb.address()), wa + " / " + wb);

      List<String> names = ipNetnsList();
      assertTrue(names.contains(a.id()) && names.contains(b.id()), "ip netns list: " + names);
      assertTrue(
          ipNetnsExec(a.id(), "ip", "-br", "addr", "show", "eth0").contains(wa.address()),
          "ip netns exec reaches the container's namespace");
      assertTrue(link(bridge) && link(wa.hostEnd()) && link(wb.hostEnd()));
      assertEquals(
          bridge,
          Files.readSymbolicLink(Path.of("/sys/class/net", wa.hostEnd(), "master"))
              .getFileName()
              .toString(),
          "the host end is a port of the bridge");

      // Each pings the other, from inside (exec joins the container's namespaces).
      assertEquals(0, exec(h, a, "ping -c 2 -W 2 " + ip(wb)), "a → b");
      assertEquals(0, exec(h, b, "ping -c 2 -W 2 " + ip(wa)), "b → a");

      List<String> requests =
          a.steps().stream()
              .filter(e -> e.step().equals("network"))
              .map(StepEntry::call)
              .filter(c -> c.startsWith("RTM_"))
              .distinct()
              .toList();
      assertTrue(
          requests.containsAll(
              List.of("RTM_GETADDR", "RTM_NEWLINK", "RTM_GETLINK", "RTM_NEWADDR", "RTM_NEWROUTE")),
          requests.toString());
      assertTrue(
          a.steps().stream()
              .filter(e -> e.call().startsWith("RTM_NEW"))
              .allMatch(e -> e.ok() && "ACK".equals(e.result())),
          "every change acknowledged by the kernel");

      // Exit: the wiring goes with it, before the exit is reported.
      a.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
      assertEquals(0, la.await().code(), la.stderr());
      assertFalse(ipNetnsList().contains(a.id()), "gone from ip netns list at exit");
      assertFalse(link(wa.hostEnd()));
      assertTrue(link(bridge), "b still uses the bridge");
      assertTrue(a.network().isEmpty());

      b.writeStdin("\n".getBytes(StandardCharsets.UTF_8));
      assertEquals(0, lb.await().code(), lb.stderr());
      List<String> after = ipNetnsList();
      assertFalse(after.contains(a.id()) || after.contains(b.id()), "ip netns list: " + after);
      h.runtime.remove(a.id(), false);
      h.runtime.remove(b.id(), false);
      assertFalse(link(wb.hostEnd()), "no veth end left");
      assertFalse(link(bridge), "the bridge went with the last container");
      for (Container c : List.of(a, b)) {
        assertFalse(
            Files.exists(NetworkConfig.NETNS_DIR.resolve(c.id()), LinkOption.NOFOLLOW_LINKS));
      }
      assertFalse(
          Files.readString(Path.of("/proc/self/mountinfo")).contains("/run/netns/" + a.id()));
    }
  }

  @Test
  void removingARunningContainerUnwiresIt() throws Exception {
    try (RootHarness h = new RootHarness()) {
      Container c =
          h.runtime.start(RootHarness.newId(), bridged(12, "read x"), new CollectingListener());
      NetworkAttachment w = c.network().orElseThrow();
      assertTrue(ipNetnsList().contains(c.id()));
      h.runtime.remove(c.id(), true);
      assertFalse(ipNetnsList().contains(c.id()));
      assertFalse(link(w.hostEnd()) || link(w.bridge()));
    }
  }

  @Test
  void withoutANetworkNamespaceTheBridgeIsRefused() throws Exception {
    try (RootHarness h = new RootHarness()) {
      StartFailedException e =
          assertThrows(
              StartFailedException.class,
              () ->
                  h.runtime.start(
                      RootHarness.newId(), bridged(6, "true"), new CollectingListener()));
      assertTrue(e.getMessage().contains("net-ns"), e.getMessage());
    }
  }

  @Test
  void aHelperStartedAfterACrashRemovesTheDeadOnesWiring() throws Exception {
    try (RootHarness h = new RootHarness()) {
      Container c =
          h.runtime.start(RootHarness.newId(), bridged(7, "read x"), new CollectingListener());
      NetworkAttachment w = c.network().orElseThrow();
      long pid = c.hostPid();
      h.crash();
      try (LinuxContainerRuntime next =
          new LinuxContainerRuntime(
              RuntimeConfig.of(h.state, TestSupport.imagesDir())
                  .withCgroupParent(h.cgroupParent))) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isPresent()) {
          p.get().onExit().get(10, TimeUnit.SECONDS);
        }
        // The abandoned runtime's waiter is still alive in this JVM (a crashed helper's is not):
        // when the new one kills the container, either may take the netns link away first, so
        // the end state is what is asserted, not who did it.
        assertTrue(next.recovery().clean(), next.recovery().toString());
        assertFalse(ipNetnsList().contains(c.id()));
        assertFalse(link(w.hostEnd()), "the pair is gone");
        assertFalse(link(w.bridge()), "the dead helper's bridge is gone");
      }
    }
  }

  private static int exec(RootHarness h, Container c, String script) throws Exception {
    CollectingListener l = new CollectingListener();
    h.runtime.exec(
        c.id(),
        RootHarness.newId(),
        RootHarness.plain(null, null, RootHarness.ENV, "/bin/sh", "-c", script),
        l);
    ExitStatus s = l.await();
    int code = s.code() == null ? 128 + s.signal() : s.code();
    if (code != 0) {
      System.err.println(script + ": " + l.stdout() + l.stderr());
    }
    return code;
  }
}
