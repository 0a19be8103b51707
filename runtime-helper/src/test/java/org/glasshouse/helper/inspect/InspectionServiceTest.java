package org.glasshouse.helper.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectionServiceTest {

  @TempDir Path tmp;

  record FakeContainer(String id, long hostPid, State state) implements Container {
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
    public void writeStdin(byte[] data) {}

    @Override
    public void closeStdin() {}

    @Override
    public void resize(int cols, int rows) {}

    @Override
    public void signal(int signo) {}
  }

  static ContainerRuntime runtime(List<Container> containers) {
    return new ContainerRuntime() {
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
        new InspectionService(runtime(cs), new Inspector(p.fs, InspectorTest.fixtureRunner()))) {
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
        new InspectionService(runtime(cs), new Inspector(p.fs, InspectorTest.fixtureRunner()))) {
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
}
