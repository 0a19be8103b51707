package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.helper.netlink.Rtnl;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.OverlayInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkOverlayTest {

  @TempDir Path tmp;

  @Test
  void netDevCountersPerInterface() {
    Map<String, long[]> counters = NetworkReader.parseNetDev(Fixtures.text("net/dev"));
    assertTrue(counters.containsKey("lo"));
    assertEquals(List.of(), List.copyOf(NetworkReader.parseNetDev("not /proc/net/dev").keySet()));
  }

  /** A host's links as the kernel dumps them, printed the way {@code ip -j addr} prints them. */
  @Test
  void linksAndAddressesReadLikeIpPrintsThem() {
    NetnsReader.View v =
        new NetnsReader.View(
            "host1",
            List.of(
                new NlParser.Link(
                    1,
                    "lo",
                    0x10049,
                    65536,
                    "UNKNOWN",
                    "00:00:00:00:00:00",
                    null,
                    null,
                    null,
                    1200L,
                    1200L,
                    12L,
                    12L),
                new NlParser.Link(
                    2,
                    "eth0",
                    0x11043,
                    1500,
                    "UP",
                    "52:54:00:12:34:56",
                    null,
                    null,
                    null,
                    99L,
                    42L,
                    1L,
                    1L),
                new NlParser.Link(
                    3,
                    "eth1",
                    0x1003,
                    1500,
                    "DOWN",
                    "52:54:00:12:34:57",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)),
            List.of(
                new NlParser.Address(Rtnl.AF_INET, 8, 1, "127.0.0.1"),
                new NlParser.Address(Rtnl.AF_INET, 24, 2, "192.0.2.2"),
                new NlParser.Address(Rtnl.AF_INET6, 128, 1, "::1"),
                new NlParser.Address(Rtnl.AF_INET6, 64, 2, "fe80::5054:ff:fe12:3456")));
    List<NetworkInfo.Interface> host = NetworkReader.interfaces(v);
    assertEquals(List.of("lo", "eth0", "eth1"), host.stream().map(i -> i.name()).toList());
    NetworkInfo.Interface lo = host.get(0);
    assertEquals(List.of("LOOPBACK", "UP", "LOWER_UP"), lo.flags());
    assertEquals(65536, lo.mtu());
    assertEquals("UNKNOWN", lo.state());
    assertEquals(List.of("127.0.0.1/8", "::1/128"), lo.addresses());
    assertEquals(1200L, lo.rxBytes());
    NetworkInfo.Interface eth0 = host.get(1);
    assertEquals(List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP"), eth0.flags());
    assertEquals(List.of("192.0.2.2/24", "fe80::5054:ff:fe12:3456/64"), eth0.addresses());
    assertEquals("52:54:00:12:34:56", eth0.mac());
    NetworkInfo.Interface eth1 = host.get(2);
    assertEquals(List.of("NO-CARRIER", "BROADCAST", "MULTICAST", "UP"), eth1.flags());
    assertNull(eth1.rxBytes());
    assertEquals(List.of(), eth1.addresses());
  }

  @Test
  void whereTheNamespacesCannotBeEnteredNamesAndCountersRemainWithTheReason() throws Exception {
    Path proc = tmp.resolve("proc");
    Files.createDirectories(proc.resolve("50/net"));
    Files.writeString(proc.resolve("50/net/dev"), Fixtures.text("net/dev"));
    HostFs fs = new HostFs(proc, tmp);
    NetworkInfo n =
        NetworkReader.read(
            fs,
            50,
            pid -> {
              throw new IOException(
                  "setns(7 /* /proc/50/ns/net */, CLONE_NEWNET) = -1 EPERM (Operation not"
                      + " permitted)");
            });
    assertNull(n.hostname());
    assertTrue(n.interfaces().stream().anyMatch(i -> i.name().equals("lo")));
    assertTrue(n.error().startsWith("setns(7 /* /proc/50/ns/net */, CLONE_NEWNET) = -1 EPERM"));
    assertTrue(n.error().endsWith("names and counters only (/proc/PID/net/dev)"), n.error());
    NetworkInfo gone =
        NetworkReader.read(
            fs,
            51,
            pid -> {
              throw new IOException("EPERM");
            });
    assertEquals("process 51 is gone", gone.error());
  }

  @Test
  void overlayLayersFromSuperOptions() {
    MountEntry e =
        MountInfoParser.parseLine(
            "90 89 0:50 / / rw - overlay overlay rw,lowerdir=/i/a\\:b:/i/c,upperdir=/u,workdir=/w,xino=off");
    OverlayInfo o = OverlayReader.of(e);
    assertEquals(List.of("/i/a:b", "/i/c"), o.lower());
    assertEquals("/u", o.upper());
    assertEquals("/w", o.work());
    MountEntry plus =
        MountInfoParser.parseLine(
            "90 89 0:50 / / ro - overlay overlay ro,lowerdir+=/x,lowerdir+=/y");
    assertEquals(List.of("/x", "/y"), OverlayReader.of(plus).lower());
    assertNull(OverlayReader.of(plus).upper());
    assertTrue(
        OverlayReader.ofRoot(MountTree.of(MountInfoParser.parse(Fixtures.text("proc/mountinfo"))))
            .isEmpty());
  }
}
