package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.helper.mountinfo.MountTree;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.OverlayInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkOverlayTest {

  @TempDir Path tmp;

  @Test
  void parsesIpJsonCapturedOnThisMachine() {
    Map<String, long[]> counters = NetworkReader.parseNetDev(Fixtures.text("net/dev"));
    assertTrue(counters.containsKey("lo"));
    List<NetworkInfo.Interface> host =
        NetworkReader.parseIpJson(Fixtures.text("net/ip-addr-host.json"), counters);
    NetworkInfo.Interface lo = host.get(0);
    assertEquals("lo", lo.name());
    assertEquals(List.of("LOOPBACK", "UP", "LOWER_UP"), lo.flags());
    assertEquals(65536, lo.mtu());
    assertEquals(List.of("127.0.0.1/8", "::1/128"), lo.addresses());
    assertEquals(counters.get("lo")[0], lo.rxBytes());
    NetworkInfo.Interface eth0 =
        host.stream().filter(i -> i.name().equals("eth0")).findFirst().orElseThrow();
    assertEquals("UP", eth0.state());
    assertTrue(eth0.addresses().contains("192.0.2.2/24"));
    List<NetworkInfo.Interface> fresh =
        NetworkReader.parseIpJson(Fixtures.text("net/ip-addr-netns.json"), Map.of());
    assertEquals(1, fresh.size());
    assertEquals("DOWN", fresh.get(0).state());
    assertNull(fresh.get(0).rxBytes());
    assertEquals(List.of(), NetworkReader.parseIpJson("not json", Map.of()));
    assertEquals(List.of(), NetworkReader.parseIpJson("{}", Map.of()));
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
