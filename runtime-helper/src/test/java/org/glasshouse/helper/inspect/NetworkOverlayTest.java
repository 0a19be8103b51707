package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.glasshouse.protocol.inspect.NetworkInfo;
import org.glasshouse.protocol.inspect.OverlayInfo;
import org.glasshouse.protocol.inspect.UpperDirEntry;
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

  @Test
  void upperDirListsFilesWithOwnersAndReportsOpaqueFromGetfattr() throws Exception {
    Path up = Files.createDirectories(tmp.resolve("up/etc"));
    Files.writeString(up.resolve("hostname"), "c1\n");
    Files.createDirectories(tmp.resolve("up/var/cache"));
    String opaqueDir = tmp.resolve("up/var/cache").toString();
    CommandRunner getfattr =
        argv ->
            argv.get(0).equals("getfattr")
                ? Optional.of("getfattr 2.5.1\n")
                : Optional.of("# file: " + opaqueDir + "\ntrusted.overlay.opaque=\"y\"\n\n");
    List<UpperDirEntry> entries = UpperDirScanner.scan(tmp.resolve("up"), 100, getfattr);
    Map<String, UpperDirEntry> byPath = new java.util.HashMap<>();
    entries.forEach(x -> byPath.put(x.path(), x));
    assertEquals(Set.of("etc", "etc/hostname", "var", "var/cache"), byPath.keySet());
    assertEquals("file", byPath.get("etc/hostname").kind());
    assertEquals(3, byPath.get("etc/hostname").size());
    assertEquals(true, byPath.get("var/cache").opaque());
    assertEquals(false, byPath.get("etc").opaque());
    assertNull(byPath.get("etc/hostname").opaque());
    List<UpperDirEntry> unknown =
        UpperDirScanner.scan(tmp.resolve("up"), 1, argv -> Optional.empty());
    assertEquals(1, unknown.size(), "the limit caps the listing");
    assertNull(unknown.get(0).opaque(), "without getfattr opaque is unknown, not false");
  }
}
