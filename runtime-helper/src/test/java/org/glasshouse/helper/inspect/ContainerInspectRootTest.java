package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.Await;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.server.InspectionService;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Inspection of real containers made by the runtime (busybox image, temporary state dir). */
@Tag("root")
class ContainerInspectRootTest {

  private RealRuntime real;
  private InspectionService service;

  @BeforeEach
  void setUp() throws Exception {
    real = RealRuntime.start("container inspection tests");
    service = new InspectionService(real.runtime, Inspector.real());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    if (real != null) {
      real.close();
    }
  }

  private Container start(int level) throws Exception {
    return start(level, null);
  }

  private Container start(int level, Limits limits) throws Exception {
    Set<Feature> f = EnumSet.copyOf(Feature.upTo(level));
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sleep", "60"))
            .env(Map.of("PATH", "/bin"))
            .features(f)
            .limits(limits)
            .build();
    return real.start(spec);
  }

  @Test
  @Tag("cgroup")
  void level12ContainerDiffersInAllButUserAndTimeAndItsLimitsAreTheRequestedOnes()
      throws Exception {
    Container c = start(12, new Limits(64L << 20, null, 512, 0.5, 32));
    JsonNode r = service.inspect(c.id());
    for (String t : Namespaces.TYPES) {
      boolean shared = t.equals("user") || t.startsWith("time");
      assertEquals(shared, r.at("/namespaces/" + t + "/sameAsHost").asBoolean(), t);
    }
    assertEquals("overlay", r.at("/mounts/rootFsType").asText(), r.get("mounts").toString());
    JsonNode s = r.at("/cgroup/stats");
    assertEquals(64L << 20, s.at("/memory/limitBytes").asLong(), s.toString());
    assertEquals(32, s.at("/pids/max").asLong(), s.toString());
    assertEquals(1, s.at("/pids/current").asLong(), s.toString());
    assertEquals(50000, s.at("/cpu/quotaUs").asLong() * 100000 / s.at("/cpu/periodUs").asLong());
    JsonNode caps = r.at("/processes/0/capabilities/bounding");
    assertTrue(caps.size() < 20, "the bounding set is cut at level 11: " + caps);
    JsonNode stats = service.stats(List.of(c.id()));
    assertEquals(64L << 20, stats.at("/containers/0/sample/cgroup/memory/limitBytes").asLong());
    // The device allow-list, as the kernel reads it back (v1) or the programs it runs (v2).
    JsonNode d = r.get("devices");
    assertTrue(d.path("cgroup").asText().endsWith("/" + c.id()), d.toString());
    if (d.path("source").asText().equals("devices.list")) {
      List<String> allow = new java.util.ArrayList<>();
      d.get("allow").forEach(x -> allow.add(x.asText()));
      assertTrue(allow.contains("c 1:3 rwm") && allow.contains("c 136:* rwm"), allow.toString());
      assertFalse(allow.contains("a *:* rwm"), allow.toString());
      assertFalse(
          allow.stream().anyMatch(a -> a.startsWith("b ") && !a.endsWith(" m")), allow.toString());
    } else {
      assertEquals(1, d.path("bpfPrograms").asInt(), d.toString());
    }
  }

  @Test
  void level07ContainerDiffersInItsNamespacesAndIsRootedAtTheOverlay() throws Exception {
    Container c = start(7);
    JsonNode r = service.inspect(c.id());
    assertFalse(r.path("gone").asBoolean(), r.toString());
    for (String t : List.of("mnt", "uts", "ipc", "pid", "net", "pid_for_children")) {
      assertFalse(
          r.at("/namespaces/" + t + "/sameAsHost").asBoolean(), t + " " + r.get("namespaces"));
    }
    for (String t : List.of("user", "time")) {
      assertTrue(r.at("/namespaces/" + t + "/sameAsHost").asBoolean(), t);
    }
    assertEquals(c.hostPid(), r.at("/processes/0/pid").asLong());
    assertEquals(1, r.at("/processes/0/nsPids/1").asLong(), "PID 1 inside");
    assertEquals(c.id(), r.at("/network/hostname").asText(), "hostname is the container id");
    assertEquals("lo", r.at("/network/interfaces/0/name").asText());
    assertEquals(1, r.at("/network/interfaces").size());
    assertEquals("overlay", r.at("/mounts/rootFsType").asText(), r.get("mounts").toString());
    String upper = r.at("/overlay/upper").asText();
    assertTrue(upper.contains(c.id()), "the upper dir is the container's own: " + upper);
    JsonNode withUpper = service.inspect(c.id(), true);
    assertTrue(
        withUpper.get("upperDir").isArray(), "listing asked for: " + withUpper.get("upperDir"));
    assertFalse(r.has("upperDir"), "and only then");
    JsonNode m = service.mounts(c.id(), "host");
    assertTrue(m.at("/diff/added").size() > 0);
    assertEquals("/", m.at("/entries/0/mountPoint").asText());
  }

  @Test
  void level01ContainersMountsLeakIntoTheHostTableAndVanishAfterRemoval() throws Exception {
    Container c = start(1);
    JsonNode host = service.mounts("host", null);
    long leaked = 0;
    for (JsonNode e : host.get("entries")) {
      if (c.id().equals(e.path("leakedFrom").asText(null))) {
        leaked++;
      }
    }
    assertTrue(leaked >= 2, "proc and sys under the rootfs are flagged: " + leaked);
    JsonNode r = service.inspect(c.id());
    assertTrue(r.at("/namespaces/mnt/sameAsHost").asBoolean(), "level 01 shares the mount ns");
    if (r.at("/devices/source").asText().equals("devices.list")) {
      assertEquals("[\"a *:* rwm\"]", r.at("/devices/allow").toString(), "no allow-list yet");
    }
    JsonNode sample = service.stats(List.of(c.id())).at("/containers/0/sample");
    assertTrue(
        sample.at("/cgroup/memory").isMissingNode() && sample.at("/cgroup/cpu").isMissingNode(),
        "no cgroup of its own, so none of the helper's figures: " + sample);
    real.runtime.remove(c.id(), true);
    String rootfs = real.dir.toString();
    for (JsonNode e : service.mounts("host", null).get("entries")) {
      assertFalse(e.path("mountPoint").asText().startsWith(rootfs), "left behind: " + e);
    }
  }

  /** The zombies among the processes inspect lists: children of {@code parent} in state Z. */
  private static List<Long> zombiesOf(JsonNode r, long parent) {
    List<Long> out = new java.util.ArrayList<>();
    for (JsonNode p : r.get("processes")) {
      if (p.path("ppid").asLong() == parent && p.path("state").asText().equals("Z")) {
        out.add(p.path("pid").asLong());
      }
    }
    return out;
  }

  @Test
  void aContainerWithoutAPidNamespaceListsItsZombiesAsItsCgroupCountsThem() throws Exception {
    // Level 04 has no pid namespace: its processes are its cgroup's, and cgroup v2's cgroup.procs
    // leaves zombies out while pids.current counts them (issue #9).
    RunSpec spec =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("/bin/sh", "-c", "for i in 1 2 3 4 5; do sleep 0 & done; exec sleep 60"))
            .env(Map.of("PATH", "/bin"))
            .features(EnumSet.copyOf(Feature.upTo(4)))
            .build();
    Container c = real.start(spec);
    JsonNode[] last = new JsonNode[1];
    Await.until(
        "five zombies of PID " + c.hostPid() + " in inspect's processes",
        java.time.Duration.ofSeconds(20),
        java.time.Duration.ofMillis(100),
        () -> {
          try {
            last[0] = service.inspect(c.id());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return zombiesOf(last[0], c.hostPid()).size() == 5;
        });
    JsonNode r = last[0];
    assertTrue(r.at("/namespaces/pid/sameAsHost").asBoolean(), "no pid namespace of its own");
    assertEquals(6, r.get("processes").size(), "sleep 60 and its five zombies: " + r);
  }
}
