package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.namespaces.Comparison;
import org.glasshouse.app.namespaces.InsideOutsideViewModel;
import org.glasshouse.protocol.inspect.CgroupStats;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.NamespacesEvent;
import org.glasshouse.protocol.inspect.TelemetrySample;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recorded fixtures (see {@code fixtures/README.md}) replay through {@link FakeLabService} into
 * typed events, and each shows the lesson it was recorded for — so view-models can be driven from
 * them, as the inside-vs-outside one is here.
 */
class FixturesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "level-00",
        "level-01",
        "level-04",
        "level-05",
        "level-06",
        "level-06-exec",
        "level-09-oom",
        "level-12-forkflood",
        "level-08-contention",
        "level-09-awk-oom",
        "level-12-awk-flood",
        "v2-level-08-contention",
        "v2-level-09-oom",
        "v2-level-12-forkflood",
        "host-mounts-1000"
      })
  void everyLineReplaysIntoTypedEvents(String name) {
    Recording r = Recording.load(name);
    assertNotNull(r.header(), "a header line says what was recorded, where and when");
    assertEquals(List.of(), r.unreadable(), "event lines the app could not read");
    assertFalse(r.events().isEmpty());
    FakeLabService lab = new FakeLabService();
    ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    lab.replay(r);
    if (!name.startsWith("host-")) {
      assertTrue(containers.containers().isEmpty(), "the recording ends with the removal");
      ContainersViewModel before = new ContainersViewModel(lab, Runnable::run);
      r.events().stream().filter(e -> !(e instanceof LabEvent.Removed)).forEach(lab::emit);
      ContainerItem item =
          before.containers().stream()
              .filter(i -> i.id().equals(container(r)))
              .findFirst()
              .orElseThrow();
      assertFalse(item.steps().isEmpty(), "the step log came along");
      assertFalse(item.state().live(), "and the exit: " + item.summaryProperty().get());
      assertNotNull(item.telemetryProperty().get(), "the last telemetry sample");
      assertFalse(r.events(LabEvent.Telemetry.class).isEmpty(), "telemetry samples");
      assertFalse(r.events(LabEvent.Mounts.class).isEmpty(), "mount table events");
      assertFalse(r.events(LabEvent.Namespaces.class).isEmpty(), "namespaces events");
      assertFalse(r.inspectResults().isEmpty(), "an inspect reply");
    }
  }

  private static String container(Recording r) {
    return r.events(LabEvent.Started.class).get(0).container();
  }

  @Test
  void level00SharesEveryNamespaceAndHasNoCgroupOfItsOwn() {
    Recording r = Recording.load("level-00");
    NamespacesEvent first = r.events(LabEvent.Namespaces.class).get(0).namespaces();
    assertEquals("none", first.diff().against());
    first.processes().get(0).namespaces().forEach((t, ns) -> assertTrue(ns.sameAsHost(), t));
    TelemetrySample s = r.events(LabEvent.Telemetry.class).get(0).sample();
    assertNull(s.cgroup().memory(), "the helper's own group is not the container's");
  }

  @Test
  void level01MountsLeakIntoTheHostsTable() {
    Recording r = Recording.load("level-01");
    MountsResult host = r.mountsResults().get("host");
    List<MountsResult.Mount> leaked =
        host.entries().stream().filter(m -> container(r).equals(m.leakedFrom())).toList();
    assertFalse(leaked.isEmpty(), "the container's /proc shows in the host's table");
    assertTrue(leaked.stream().anyMatch(m -> m.mountPoint().endsWith("/proc")), leaked.toString());
  }

  @Test
  void level04WritesANewFileAndAWhiteoutIntoTheUpperDirectory() {
    Recording r = Recording.load("level-04");
    List<UpperDirEntry> upper = r.inspectResults().get(container(r)).upperDir();
    assertTrue(
        upper.stream().anyMatch(e -> e.path().equals("new") && e.kind().equals("file")),
        upper.toString());
    assertTrue(
        upper.stream().anyMatch(e -> e.path().equals("bin/ls") && e.kind().equals("whiteout")),
        upper.toString());
  }

  @Test
  void level05DrivesTheInsideOutsideViewModel() {
    Recording r = Recording.load("level-05");
    String id = container(r);
    FakeLabService lab = new FakeLabService();
    lab.answerFrom(r);
    ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    InsideOutsideViewModel vm = new InsideOutsideViewModel(lab, Runnable::run);
    r.events().stream()
        .filter(e -> !(e instanceof LabEvent.Exited || e instanceof LabEvent.Removed))
        .forEach(lab::emit);
    vm.show(containers.containers().get(0));
    assertEquals(id, row(vm, "hostname").container());
    assertTrue(row(vm, "hostname").differs());
    assertTrue(row(vm, "uts").differs(), "its own UTS namespace");
    assertFalse(row(vm, "net").differs(), "the host's network namespace");
    assertTrue(
        lab.requests.contains("subscribe " + id + " telemetry 1000"), lab.requests.toString());
  }

  @Test
  void level06ShowsTheShellAsPid1() {
    Recording r = Recording.load("level-06");
    InspectResult i = r.inspectResults().get(container(r));
    assertEquals("sh -c sleep 30 & wait", Inspections.pid1Command(i));
    assertEquals(1L, Inspections.pid1(i).orElseThrow().nsPids().get(1));
  }

  @Test
  void anExecJoinsTheContainersNamespacesAndLeavesThem() {
    Recording r = Recording.load("level-06-exec");
    String id = container(r);
    List<NamespacesEvent> events =
        r.events(LabEvent.Namespaces.class).stream()
            .filter(e -> e.container().equals(id))
            .map(LabEvent.Namespaces::namespaces)
            .toList();
    NamespacesEvent joined =
        events.stream()
            .filter(e -> e.diff().against().equals("previous") && !e.diff().added().isEmpty())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no process joined: " + events));
    long exec = joined.diff().added().get(0);
    Map<String, NamespacesEvent.Namespace> first = joined.processes().get(0).namespaces();
    assertEquals(first.get("pid").inode(), member(joined, exec).get("pid").inode());
    // The joiner enters the namespaces one by one: by the last reading before it left, it is in
    // every one of the container's.
    NamespacesEvent last =
        events.stream()
            .filter(e -> e.processes().stream().anyMatch(p -> p.pid() == exec))
            .reduce((a, b) -> b)
            .orElseThrow();
    for (String type : List.of("mnt", "uts", "ipc", "pid", "net")) {
      assertEquals(first.get(type).inode(), member(last, exec).get(type).inode(), type);
    }
    assertTrue(
        events.stream().anyMatch(e -> e.diff().removed().contains(exec)), "and it left again");
  }

  private static Map<String, NamespacesEvent.Namespace> member(NamespacesEvent e, long pid) {
    return e.processes().stream()
        .filter(p -> p.pid() == pid)
        .findFirst()
        .orElseThrow()
        .namespaces();
  }

  @Test
  void level09ClimbsToTheLimitAndIsOomKilled() {
    Recording r = Recording.load("level-09-oom");
    long limit = 32L << 20;
    List<CgroupStats.Memory> memory =
        r.events(LabEvent.Telemetry.class).stream()
            .map(t -> t.sample().cgroup())
            .filter(c -> c != null && c.memory() != null)
            .map(CgroupStats::memory)
            .toList();
    assertEquals(limit, memory.get(0).limitBytes());
    long peak = memory.stream().mapToLong(m -> m.usageBytes()).max().orElse(0);
    assertTrue(peak > limit / 2, "usage climbed to " + Units.bytes(peak));
    assertTrue(memory.size() >= 5, "a climb, not a jump: " + memory.size() + " samples");
    LabEvent.Exited exited = r.events(LabEvent.Exited.class).get(0);
    assertTrue(exited.oomKilled(), exited.toString());
  }

  @Test
  void level12ForksAreRefusedAtTheLimit() {
    Recording r = Recording.load("level-12-forkflood");
    List<CgroupStats.Pids> pids =
        r.events(LabEvent.Telemetry.class).stream()
            .map(t -> t.sample().cgroup())
            .filter(c -> c != null && c.pids() != null)
            .map(CgroupStats::pids)
            .toList();
    assertEquals(16L, pids.get(0).max());
    assertTrue(pids.stream().anyMatch(p -> p.current() >= 15), pids.toString());
    assertTrue(pids.stream().anyMatch(p -> p.rejected() != null && p.rejected() > 0));
  }

  @Test
  void theThousandMountHostIsWhatTheGeneratorWrites() throws Exception {
    try (InputStream in = Recording.open(HostMountsFixture.NAME)) {
      List<String> committed =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertEquals(HostMountsFixture.lines(), committed, "regenerate it: see HostMountsFixture");
    }
    Recording r = Recording.load(HostMountsFixture.NAME);
    MountsResult host = r.mountsResults().get("host");
    assertTrue(host.entries().size() >= 1000, "mounts: " + host.entries().size());
    assertEquals(
        3,
        host.entries().stream()
            .filter(m -> HostMountsFixture.CONTAINER.equals(m.leakedFrom()))
            .count());
    List<LabEvent.Mounts> events = r.events(LabEvent.Mounts.class);
    assertEquals(host.entries().size(), events.get(0).mounts().diff().added().size());
    assertTrue(events.size() >= 5);
  }

  private static Comparison row(InsideOutsideViewModel vm, String label) {
    return vm.rows().stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow();
  }
}
