package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.inspect.DeviceAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devices part of inspect, from cgroupfs trees laid out as the kernel does. */
class DeviceAccessTest {
  @TempDir Path tmp;

  @Test
  void v1ListsTheDevicesCgroupsAllowList() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("devices/glasshouse/3f9a"));
    Files.writeString(dir.resolve("devices.list"), "c *:* m\nb *:* m\nc 1:3 rwm\nc 136:* rwm\n");
    DeviceAccess d =
        DeviceAccessReader.read(new CgroupLocation(Map.of("devices", dir), tmp, "/"), p -> 99);
    assertEquals(
        new DeviceAccess(
            dir.toString(),
            "devices.list",
            List.of("c *:* m", "b *:* m", "c 1:3 rwm", "c 136:* rwm"),
            null),
        d);
  }

  @Test
  void v2CountsTheBpfProgramsOfTheUnifiedCgroup() {
    Path dir = tmp.resolve("glasshouse/3f9a");
    DeviceAccess d =
        DeviceAccessReader.read(
            new CgroupLocation(Map.of(), dir, "/glasshouse/3f9a"), p -> p.equals(dir) ? 1 : 0);
    assertEquals(new DeviceAccess(dir.toString(), "bpf", null, 1), d);
  }

  @Test
  void withoutAnyHierarchyThereIsNothingToSay() {
    assertNull(DeviceAccessReader.read(new CgroupLocation(Map.of(), null, null), p -> 1));
  }
}
