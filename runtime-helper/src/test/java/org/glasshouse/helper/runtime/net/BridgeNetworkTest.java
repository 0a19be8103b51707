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
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.ErrorProbe;
import org.glasshouse.helper.linux.FsFlags;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.glasshouse.helper.netlink.Rtnl;
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
  void aShutdownThatCannotUnwireAContainerSaysWhichAndWhy() throws Exception {
    BridgeNetwork n = network();
    n.attach("aaaaaaaaaaaa", 7, log);
    nl.refuse(t -> t == Rtnl.RTM_DELLINK, 16, "link busy");
    List<String> failures = n.close();
    assertEquals(1, failures.size(), failures.toString());
    assertTrue(failures.get(0).contains("aaaaaaaaaaaa"), failures.get(0));
    assertTrue(failures.get(0).contains("link busy"), failures.get(0));
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

  // ------------------------------------------------- one text per call: the entry is the error

  /**
   * Every syscall of the wiring and its undoing is logged as its error would say it: the entry of
   * each call that succeeded names it exactly as the real wrapper's {@code SyscallException} does
   * when the same call fails ({@code StepTextTest}'s rule for the init stage, here for the helper).
   */
  @Test
  void everySyscallStepReadsAsItsErrorWould() throws Exception {
    ErrorProbe probe = new ErrorProbe();
    List<String> disagreements = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    StepLog probed =
        new StepLog(
            e -> {
              List<String> errors = probe.takeErrors();
              if (List.of("open", "setns", "mount", "umount2").contains(e.call())
                  && !e.args().contains("O_CREAT")) {
                String logged = e.call() + "(" + e.args() + ")";
                checked.add(e.call());
                if (!errors.contains(logged)) {
                  disagreements.add("step log: " + logged + "\n  errors: " + errors);
                }
              }
            });
    BridgeNetwork n = new BridgeNetwork(config, nl, probe.syscalls(), tmp.resolve("conf"));
    n.attach("3f9a0c11b2d4", 4242, probed);
    n.detach("3f9a0c11b2d4", probed);
    assertEquals(List.of(), disagreements);
    assertEquals(List.of("open", "open", "setns", "mount", "umount2"), checked);
  }

  /**
   * Each rtnetlink request the kernel refuses fails with the text its entry has when it is
   * acknowledged: {@code RTM_NEWADDR(…)} in the step log is {@code RTM_NEWADDR(…) = -1 EINVAL (…)}
   * in the error.
   */
  @Test
  void eachRefusedRequestFailsWithTheTextItsAcknowledgedEntryHas() throws Exception {
    BridgeNetwork n = network();
    n.attach("aaaaaaaaaaaa", 7, log);
    n.detach("aaaaaaaaaaaa", log);
    List<StepEntry> acked = List.copyOf(entries);
    List<Integer> types =
        List.of(
            Rtnl.RTM_GETADDR,
            Rtnl.RTM_NEWLINK,
            Rtnl.RTM_GETLINK,
            Rtnl.RTM_NEWADDR,
            Rtnl.RTM_NEWROUTE,
            Rtnl.RTM_DELLINK);
    for (int type : types) {
      String name = Rtnl.typeName(type);
      StepEntry first = acked.stream().filter(e -> e.call().equals(name)).findFirst().orElseThrow();
      entries.clear();
      nl = new FakeNetlink().refuse(t -> t == type, 22, "Invalid argument");
      BridgeNetwork refusing = network();
      StepLog.StepException e;
      if (type == Rtnl.RTM_DELLINK) {
        refusing.attach("aaaaaaaaaaaa", 7, log);
        e =
            assertThrows(
                StepLog.StepException.class,
                () -> {
                  try {
                    refusing.detach("aaaaaaaaaaaa", log);
                  } catch (java.io.IOException io) {
                    throw (StepLog.StepException) io.getCause();
                  }
                });
      } else {
        e =
            assertThrows(
                StepLog.StepException.class, () -> refusing.attach("aaaaaaaaaaaa", 7, log));
      }
      String text = first.call() + "(" + first.args() + ")";
      assertEquals(text, e.entry().call() + "(" + e.entry().args() + ")", name);
      assertEquals("EINVAL", e.entry().errno(), name);
      assertTrue(e.getMessage().startsWith(text + " = -1 EINVAL ("), e.getMessage());
    }
  }

  /**
   * The helper's file calls (the bridge's forwarding sysctl, the {@code ip netns} directory and
   * file, its removal) are logged in the syscall's shape, and fail in it with their errno.
   */
  @Test
  void theFileStepsAreSaidAsTheirSyscallsAndFailWithTheirErrno() throws Exception {
    BridgeNetwork n = network();
    n.attach("aaaaaaaaaaaa", 7, log);
    n.detach("aaaaaaaaaaaa", log);
    Path link = tmp.resolve("netns/aaaaaaaaaaaa");
    List<String> texts = entries.stream().map(e -> e.call() + "(" + e.args() + ")").toList();
    for (Call c :
        List.of(
            Call.writeFile(tmp.resolve("conf/gh-test/forwarding").toString(), "0"),
            Call.mkdir(tmp.resolve("netns").toString(), 0755),
            Call.open(link.toString(), FsFlags.O_WRONLY | FsFlags.O_CREAT | FsFlags.O_EXCL, 0),
            Call.unlink(link.toString()))) {
      assertTrue(texts.contains(c.toString()), c + " in " + texts);
    }
    assertTrue(
        texts.contains("open(\"" + link + "\", O_WRONLY|O_CREAT|O_EXCL, 0)"), texts.toString());

    // No forwarding file: the write fails as write(2) would, naming the file and the value.
    Files.delete(tmp.resolve("conf/gh-test/forwarding"));
    entries.clear();
    StepLog.StepException e =
        assertThrows(StepLog.StepException.class, () -> network().attach("bbbbbbbbbbbb", 8, log));
    assertEquals(
        "write(\""
            + tmp.resolve("conf/gh-test/forwarding")
            + "\", \"0\") = -1 ENOENT (No such file or directory)",
        e.getMessage());
    assertEquals("ENOENT", e.entry().errno());
  }
}
