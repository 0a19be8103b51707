package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.glasshouse.helper.inspect.FakeProc;
import org.glasshouse.helper.inspect.Inspector;
import org.glasshouse.helper.inspect.InspectorTest;
import org.glasshouse.helper.inspect.Namespaces;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class InspectionServiceTest {

  @TempDir Path tmp;

  public record FakeContainer(String id, long hostPid, State state) implements Container {
    @Override
    public RunSpec spec() {
      return null;
    }

    @Override
    public List<StepEntry> steps() {
      return List.of();
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
      return Optional.empty();
    }

    @Override
    public boolean writeStdin(byte[] data) {
      return true;
    }

    @Override
    public void closeStdin() {}

    @Override
    public void resize(int cols, int rows) {}

    @Override
    public void signal(int signo) {}
  }

  public static ContainerRuntime runtime(List<Container> containers) {
    return new ContainerRuntime() {
      @Override
      public String cgroupMode() {
        return "none";
      }

      @Override
      public Container start(String id, RunSpec spec, ContainerListener listener) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Container exec(String c, String e, RunSpec spec, ContainerListener listener) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<Container> list() {
        return containers;
      }

      @Override
      public Optional<Container> find(String idOrName) {
        return containers.stream().filter(c -> c.id().equals(idOrName)).findFirst();
      }

      @Override
      public void remove(String idOrName, boolean force) {}

      @Override
      public void close() {}
    };
  }

  @Test
  void opsFindContainersThroughTheRuntimeOnly() throws Exception {
    InspectorTest t = new InspectorTest();
    t.tmp = tmp;
    FakeProc p = t.fake();
    List<Container> cs = new ArrayList<>();
    cs.add(new FakeContainer("aaaaaaaaaaaa", 50, Container.State.RUNNING));
    cs.add(new FakeContainer("bbbbbbbbbbbb", 51, Container.State.EXITED));
    try (InspectionService s =
        new InspectionService(runtime(cs), new Inspector(p.fs, InspectorTest.fixtureNetns()))) {
      JsonNode r = s.inspect("aaaaaaaaaaaa");
      assertEquals("aaaaaaaaaaaa", r.get("target").asText());
      assertEquals(false, r.get("namespaces").get("mnt").get("sameAsHost").asBoolean());
      assertThrows(NoSuchElementException.class, () -> s.inspect("cccccccccccc"));
      assertThrows(IllegalStateException.class, () -> s.mounts("bbbbbbbbbbbb", null));
      assertThrows(IllegalArgumentException.class, () -> s.mounts("aaaaaaaaaaaa", "x"));
      JsonNode m = s.mounts("aaaaaaaaaaaa", "host");
      assertEquals(2, m.get("diff").get("added").size());
      assertThrows(NoSuchElementException.class, () -> s.stats(List.of("cccccccccccc")));
      assertEquals(0, s.stats(List.of("bbbbbbbbbbbb")).get("containers").size(), "not running");
      JsonNode stats = s.stats(null);
      assertEquals(1, stats.get("containers").size(), "only running containers");
      assertEquals(4096, stats.at("/containers/0/sample/cgroup/memory/usageBytes").asLong());
      List<ObjectNode> tel = s.telemetryTick(null);
      assertEquals("telemetry", tel.get(0).get("event").asText());
      // The second reading of that container: it has an interval (CPU % needs a cpu controller).
      assertTrue(tel.get(0).at("/sample/intervalMs").isNumber(), tel.get(0).toString());
    }
  }

  @Test
  void mountsTopicPushesOnlyChanges() throws Exception {
    InspectorTest t = new InspectorTest();
    t.tmp = tmp;
    FakeProc p = t.fake();
    List<Container> cs = List.of(new FakeContainer("aaaaaaaaaaaa", 50, Container.State.RUNNING));
    try (InspectionService s =
        new InspectionService(runtime(cs), new Inspector(p.fs, InspectorTest.fixtureNetns()))) {
      List<ObjectNode> first = s.mountsTick(null);
      assertEquals(1, first.size());
      assertEquals("none", first.get(0).at("/diff/against").asText());
      assertEquals(2, first.get(0).at("/diff/added").size());
      assertEquals(List.of(), s.mountsTick(null), "nothing changed");
      Path mi = p.proc.resolve("50/mountinfo");
      Files.writeString(mi, Files.readString(mi) + "92 90 0:52 / /tmp rw - tmpfs tmpfs rw\n");
      List<ObjectNode> changed = s.mountsTick(null);
      assertEquals(1, changed.size());
      assertEquals("previous", changed.get(0).at("/diff/against").asText());
      assertEquals("/tmp", changed.get(0).at("/diff/added/0/mountPoint").asText());
      assertEquals(3, changed.get(0).get("count").asInt());
    }
  }

  /** "Aa" and "BB" have the same String.hashCode: a change is found by content, not by a hash. */
  @Test
  void mountsTopicSeesAChangeThatKeepsTheHash() throws Exception {
    InspectorTest t = new InspectorTest();
    t.tmp = tmp;
    FakeProc p = t.fake();
    List<Container> cs = List.of(new FakeContainer("aaaaaaaaaaaa", 50, Container.State.RUNNING));
    Path mi = p.proc.resolve("50/mountinfo");
    String table = Files.readString(mi);
    String before = table + "92 90 0:52 / /mnt/Aa rw - tmpfs tmpfs rw\n";
    String after = table + "92 90 0:52 / /mnt/BB rw - tmpfs tmpfs rw\n";
    assertEquals(before.hashCode(), after.hashCode(), "the two tables must collide");
    Files.writeString(mi, before);
    try (InspectionService s =
        new InspectionService(runtime(cs), new Inspector(p.fs, InspectorTest.fixtureNetns()))) {
      assertEquals(1, s.mountsTick(null).size());
      Files.writeString(mi, after);
      List<ObjectNode> changed = s.mountsTick(null);
      assertEquals(1, changed.size(), "the move from /mnt/Aa to /mnt/BB is a change");
      assertEquals("previous", changed.get(0).at("/diff/against").asText());
      assertTrue(changed.get(0).get("diff").toString().contains("/mnt/BB"), changed.toString());
    }
  }

  @Test
  void namespacesTopicPushesOnlyChangesOfItsPidNamespacesMembers() throws Exception {
    InspectorTest t = new InspectorTest();
    t.tmp = tmp;
    FakeProc p = t.fake();
    p.process(60, FakeProc.ns(100)); // a host process: never a member
    List<Container> cs = List.of(new FakeContainer("aaaaaaaaaaaa", 50, Container.State.RUNNING));
    try (InspectionService s =
        new InspectionService(runtime(cs), new Inspector(p.fs, InspectorTest.fixtureNetns()))) {
      List<ObjectNode> first = s.namespacesTick(null);
      assertEquals(1, first.size());
      ObjectNode e = first.get(0);
      assertEquals("namespaces", e.get("event").asText());
      assertEquals(50, e.get("pid").asLong());
      assertEquals("none", e.at("/diff/against").asText());
      assertEquals("[50]", e.at("/diff/added").toString());
      assertEquals(1, e.get("processes").size());
      assertEquals(200, e.at("/processes/0/namespaces/mnt/inode").asLong());
      assertFalse(e.at("/processes/0/namespaces/mnt/sameAsHost").asBoolean());
      assertEquals(
          Namespaces.TYPES,
          List.copyOf(
              Json.MAPPER.convertValue(e.at("/processes/0/namespaces"), Map.class).keySet()));
      assertEquals(List.of(), s.namespacesTick(null), "nothing changed");

      p.process(51, FakeProc.ns(200));
      List<ObjectNode> joined = s.namespacesTick(null);
      assertEquals("[51]", joined.get(0).at("/diff/added").toString());
      assertEquals("previous", joined.get(0).at("/diff/against").asText());
      assertEquals(2, joined.get(0).get("processes").size());

      Path uts = p.proc.resolve("50/ns/uts");
      Files.delete(uts);
      Files.createSymbolicLink(uts, Path.of("uts:[999]"));
      List<ObjectNode> moved = s.namespacesTick(null);
      assertEquals(
          "[{\"pid\":50,\"ns\":\"uts\",\"before\":201,\"after\":999}]",
          moved.get(0).at("/diff/changed").toString());
      assertEquals(999, moved.get(0).at("/processes/0/namespaces/uts/inode").asLong());

      try (var files = Files.walk(p.proc.resolve("51"))) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      List<ObjectNode> gone = s.namespacesTick(null);
      assertEquals("[51]", gone.get(0).at("/diff/removed").toString());
      assertEquals("[]", gone.get(0).at("/diff/added").toString());
      assertEquals(List.of(), s.namespacesTick(null), "nothing changed");
    }
  }
}
