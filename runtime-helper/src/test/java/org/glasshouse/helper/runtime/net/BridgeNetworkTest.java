package org.glasshouse.helper.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wiring's exact step order against a recording Syscalls and a fake rtnetlink. */
class BridgeNetworkTest {
  @TempDir Path tmp;
  final List<StepEntry> entries = new ArrayList<>();
  final StepLog log = new StepLog(entries::add);
  RecordingSyscalls sys;
  FakeNetlink nl;
  NetworkConfig config;

  @BeforeEach
  void setUp() throws Exception {
    sys = new RecordingSyscalls();
    nl = new FakeNetlink();
    Files.createDirectories(tmp.resolve("conf/gh-test"));
    Files.writeString(tmp.resolve("conf/gh-test/forwarding"), "1");
    config = new NetworkConfig(Cidr.parse("10.87.0.0/24"), "gh-test", false, tmp.resolve("netns"));
  }

  private BridgeNetwork network() {
    return new BridgeNetwork(config, nl, sys, tmp.resolve("conf"));
  }

  private List<String> calls() {
    return entries.stream().map(e -> e.call()).toList();
  }

  @Test
  void theFirstContainerMakesTheBridgeThenItsPairThenItsInsideThenTheNetnsLink() throws Exception {
    nl.hostAddresses.add(new String[] {"192.0.2.2", "24", "eth0"});
    BridgeNetwork n = network();
    NetworkAttachment a = n.attach("3f9a0c11b2d4", 4242, log);
    assertEquals(
        List.of(
            // host side: the bridge, once
            "socket",
            "RTM_GETADDR",
            "check",
            "RTM_NEWLINK",
            "RTM_GETLINK",
            "write",
            "RTM_NEWADDR",
            "RTM_NEWLINK",
            // the pair, its peer born in the container's namespace, its host end on the bridge
            "open",
            "RTM_NEWLINK",
            "RTM_NEWLINK",
            // inside, from a thread that joined the namespace
            "open",
            "setns",
            "socket",
            "RTM_NEWLINK",
            "RTM_GETLINK",
            "RTM_NEWADDR",
            "RTM_NEWLINK",
            "RTM_NEWROUTE",
            // ip netns
            "mkdir",
            "open",
            "mount"),
        calls());
    assertTrue(entries.stream().allMatch(StepEntry::ok), entries.toString());
    assertTrue(entries.stream().allMatch(e -> e.step().equals("network")));
    assertEquals("0", Files.readString(tmp.resolve("conf/gh-test/forwarding")));
    assertEquals(
        new NetworkAttachment(
            "gh-test",
            "10.87.0.1/24",
            "gh3f9a0c11b2d4",
            "eth0",
            "10.87.0.2/24",
            "10.87.0.1",
            tmp.resolve("netns/3f9a0c11b2d4").toString()),
        a);
    String veth = entries.get(9).args();
    assertTrue(
        veth.contains("IFLA_IFNAME \"gh3f9a0c11b2d4\"")
            && veth.contains("VETH_INFO_PEER")
            && veth.contains("IFLA_NET_NS_FD")
            && veth.contains("IFLA_IFNAME \"eth0\""),
        veth);
    assertTrue(entries.get(10).args().contains("IFLA_MASTER 2"), entries.get(10).args());
    assertTrue(entries.get(18).args().contains("RTA_GATEWAY 10.87.0.1"));
    // The namespace was joined on a thread of its own, never on the caller's.
    assertEquals(
        List.of(
            "open(\"/proc/4242/ns/net\")",
            "close(10)",
            "open(\"/proc/4242/ns/net\")",
            "setns(/proc/4242/ns/net, CLONE_NEWNET)",
            "close(11)",
            "mount(\"/proc/4242/ns/net\", \""
                + tmp.resolve("netns/3f9a0c11b2d4")
                + "\", \"none\", MS_BIND, NULL)"),
        sys.calls());
    assertEquals(2, nl.openedOn.size());
    assertNotEquals(Thread.currentThread().getName(), nl.openedOn.get(1));
    assertTrue(nl.openedOn.get(1).startsWith("glasshouse-netns-"), nl.openedOn.toString());
    assertTrue(Files.exists(tmp.resolve("netns/3f9a0c11b2d4")));
    assertEquals(a, n.attachment("3f9a0c11b2d4").orElseThrow());
  }

  @Test
  void theSecondContainerSharesTheBridgeAndTheLastOneTakesItAway() throws Exception {
    BridgeNetwork n = network();
    n.attach("aaaaaaaaaaaa", 1, log);
    entries.clear();
    NetworkAttachment b = n.attach("bbbbbbbbbbbb", 2, log);
    assertEquals("10.87.0.3/24", b.address());
    assertFalse(calls().contains("RTM_GETADDR"), "no second bridge: " + calls());
    entries.clear();
    n.detach("aaaaaaaaaaaa", log);
    assertEquals(List.of("umount2", "unlink", "socket", "RTM_DELLINK"), calls());
    assertTrue(entries.get(3).args().contains("\"ghaaaaaaaaaaaa\""));
    // The freed address is the next one handed out.
    entries.clear();
    assertEquals("10.87.0.2/24", n.attach("cccccccccccc", 3, log).address());
    n.detach("cccccccccccc", log);
    entries.clear();
    n.detach("bbbbbbbbbbbb", log);
    assertEquals(List.of("umount2", "unlink", "socket", "RTM_DELLINK", "RTM_DELLINK"), calls());
    assertTrue(entries.get(4).args().contains("\"gh-test\""), "the bridge goes with the last");
    assertFalse(Files.exists(tmp.resolve("netns/bbbbbbbbbbbb")));
    entries.clear();
    n.detach("bbbbbbbbbbbb", log);
    assertEquals(List.of(), calls(), "detaching twice does nothing");
  }

  @Test
  void aSubnetInUseOnTheHostIsSkippedUnlessItWasChosen() throws Exception {
    nl.hostAddresses.add(new String[] {"10.87.0.1", "24", "gh-other"});
    NetworkAttachment a = network().attach("aaaaaaaaaaaa", 1, log);
    assertEquals("10.87.1.2/24", a.address());
    assertEquals("10.87.1.1", a.gateway());

    entries.clear();
    config = config.withSubnet(Cidr.parse("10.87.0.0/24"));
    nl = new FakeNetlink();
    nl.hostAddresses.add(new String[] {"10.87.0.1", "24", "gh-other"});
    BridgeNetwork chosen = network();
    StepLog.StepException e =
        assertThrows(StepLog.StepException.class, () -> chosen.attach("bbbbbbbbbbbb", 1, log));
    assertEquals("check", e.entry().call());
    assertTrue(e.entry().message().contains("10.87.0.1/24 on gh-other"), e.entry().toString());
    assertTrue(e.entry().explanation().contains("--subnet"));
    assertFalse(nl.types().contains("RTM_NEWLINK"), "nothing was made");
    assertTrue(chosen.attachment("bbbbbbbbbbbb").isEmpty());
  }

  @Test
  void aRefusedRequestFailsWithTheKernelsSentenceAndUndoesWhatWasMade() throws Exception {
    nl.refuse(t -> t == Rtnl.RTM_NEWROUTE, 101, "Nexthop has invalid gateway");
    BridgeNetwork n = network();
    StepLog.StepException e =
        assertThrows(StepLog.StepException.class, () -> n.attach("aaaaaaaaaaaa", 7, log));
    StepEntry failed = e.entry();
    assertEquals("RTM_NEWROUTE", failed.call());
    assertEquals("ENETUNREACH", failed.errno());
    assertEquals("Network is unreachable; kernel: Nexthop has invalid gateway", failed.message());
    // The pair and the bridge were deleted again; no netns link was made.
    List<String> tail = calls().subList(calls().indexOf("RTM_NEWROUTE") + 1, calls().size());
    assertEquals(List.of("socket", "RTM_DELLINK", "RTM_DELLINK"), tail);
    assertFalse(Files.exists(tmp.resolve("netns/aaaaaaaaaaaa")));
    assertTrue(n.attachment("aaaaaaaaaaaa").isEmpty());
  }

  @Test
  void theSweepRemovesADeadHelpersLinksPairsAndBridge() throws Exception {
    Files.createDirectories(tmp.resolve("netns"));
    Files.writeString(tmp.resolve("netns/aaaaaaaaaaaa"), "");
    List<String> done = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    network().sweep(List.of("aaaaaaaaaaaa", "bbbbbbbbbbbb"), done, failures);
    assertEquals(List.of(), failures);
    assertEquals(5, done.size(), done.toString());
    assertTrue(done.get(0).startsWith("umount2 \"" + tmp.resolve("netns/aaaaaaaaaaaa")));
    assertTrue(done.get(1).startsWith("unlink"));
    assertTrue(done.get(2).contains("ghaaaaaaaaaaaa") && done.get(3).contains("ghbbbbbbbbbbbb"));
    assertTrue(done.get(4).contains("\"gh-test\""));
    assertFalse(Files.exists(tmp.resolve("netns/aaaaaaaaaaaa")));
  }
}
