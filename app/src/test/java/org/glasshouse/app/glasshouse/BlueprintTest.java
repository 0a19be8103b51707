package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;

/** What a step log built, read from real logs (recorded) and single entries. */
class BlueprintTest {

  private static Blueprint of(String fixture, int container) {
    Recording r = FixtureLab.load(fixture);
    String id = r.events(LabEvent.Started.class).get(container).container();
    return Blueprint.of(
        r.events(LabEvent.Step.class).stream()
            .filter(s -> s.container().equals(id))
            .map(LabEvent.Step::entry)
            .toList());
  }

  @Test
  void level12BuildsEveryWallButUserAndTimeAndSaysWithWhat() {
    Blueprint b = of("level-12", 0);
    assertEquals(
        Set.of(NsType.MNT, NsType.UTS, NsType.IPC, NsType.PID, NsType.NET, NsType.CGROUP),
        b.raised().keySet());
    assertEquals("unshare", b.raised().get(NsType.CGROUP).call());
    assertTrue(b.overlay());
    assertEquals("pivot", b.rootKind());
    assertEquals(1000L, b.uid());
    assertEquals(1000L, b.gid());
    assertTrue(b.noNewPrivs());
    assertFalse(b.seccomp());
    assertEquals("67108864", b.cgroupWrites().get("memory.limit_in_bytes"));
    assertEquals("32", b.cgroupWrites().get("pids.max"));
    assertTrue(b.effectiveCaps() != null && b.effectiveCaps() != 0);
    assertFalse(b.isExec());
    assertNull(b.failed());
    assertTrue(b.hostname() != null && b.hostname().length() == 12, b.hostname());
  }

  @Test
  void stagesGroupConsecutiveCallsOfOneStep() {
    Blueprint b = of("level-05", 0);
    Blueprint.Stage dev =
        b.stages().stream().filter(s -> s.step().equals("dev-nodes")).findFirst().orElseThrow();
    assertTrue(dev.entries().size() > 5);
    assertEquals(Set.of(Part.of(Part.Kind.DEVICES)), dev.parts());
    int seqs = b.stages().stream().mapToInt(s -> s.entries().size()).sum();
    assertEquals(b.entries().size(), seqs, "every entry in exactly one stage");
    for (int i = 1; i < b.stages().size(); i++) {
      assertFalse(b.stages().get(i).step().equals(b.stages().get(i - 1).step()));
      assertEquals(b.stages().get(i - 1).lastSeq() + 1, b.stages().get(i).firstSeq());
    }
  }

  @Test
  void levels00To04BuildTheirRootsDifferently() {
    assertEquals("host", of("level-00", 0).rootKind());
    assertTrue(of("level-00", 0).raised().isEmpty());
    assertEquals("chroot", of("level-01", 0).rootKind());
    assertFalse(of("level-01", 0).overlay());
    assertEquals("pivot", of("level-03", 0).rootKind());
    assertFalse(of("level-03", 0).overlay());
    assertTrue(of("level-04", 0).overlay());
    assertEquals(Set.of(NsType.MNT), of("level-04", 0).raised().keySet());
  }

  @Test
  void anExecJoinsWallsWithSetnsAndNamesTheContainerItJoined() {
    Recording r = FixtureLab.load("level-06-exec");
    long target = r.events(LabEvent.Started.class).get(0).pid();
    Blueprint b = of("level-06-exec", 1);
    assertTrue(b.isExec());
    assertEquals(target, b.joinedPid());
    assertTrue(b.raised().isEmpty());
    assertTrue(
        b.joined().keySet().containsAll(Set.of(NsType.UTS, NsType.IPC, NsType.PID, NsType.MNT)),
        b.joined().toString());
  }

  @Test
  void aFailedStepIsRememberedAndBuildsNothing() {
    StepEntry ok =
        StepEntry.builder()
            .seq(1)
            .step("mount-ns")
            .stage("init")
            .call("mount")
            .args("NULL, \"/\", NULL, MS_PRIVATE|MS_REC, NULL")
            .ok(true)
            .result("0")
            .durationNanos(1)
            .build();
    StepEntry bad =
        StepEntry.builder()
            .seq(2)
            .step("pivot-root")
            .stage("init")
            .call("pivot_root")
            .args("\".\", \".\"")
            .ok(false)
            .errno("EBUSY")
            .message("Device or resource busy")
            .explanation("not a mount point")
            .durationNanos(1)
            .build();
    Blueprint b = Blueprint.of(List.of(ok, bad));
    assertEquals(bad, b.failed());
    assertTrue(b.builtBy(Part.wall(NsType.MNT), 1));
    assertFalse(b.builtBy(Part.of(Part.Kind.ROOTFS, "pivot"), 2));
    assertEquals("host", b.rootKind());
    assertFalse(b.stages().get(1).ok());
  }

  @Test
  void cgroupWritesAreReadInTheCallShape() {
    String c = "/sys/fs/cgroup/memory/glasshouse/c0ffee";
    StepEntry now = write(1, "\"" + c + "/memory.limit_in_bytes\", \"16777216\"");
    StepEntry quota = write(2, "\"/sys/fs/cgroup/c0ffee/cpu.max\", \"50000 100000\"");
    StepEntry pipe = write(3, "3, …, 5");
    Blueprint b = Blueprint.of(List.of(now, quota, pipe));
    assertEquals("16777216", b.cgroupWrites().get("memory.limit_in_bytes"));
    assertEquals("50000 100000", b.cgroupWrites().get("cpu.max"));
    assertEquals(2, b.cgroupWrites().size(), "a write to an fd is no cgroup write: " + b);
  }

  /** The recorded fixtures were converted to the call shape: none carries the old arrow text. */
  @Test
  void noRecordedFixtureCarriesTheOldArrowShape() throws java.io.IOException {
    java.nio.file.Path resources = java.nio.file.Path.of("src/test/resources");
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(resources)) {
      List<java.nio.file.Path> arrows =
          files
              .filter(f -> f.toString().endsWith(".jsonl"))
              .filter(
                  f -> {
                    try {
                      return java.nio.file.Files.readString(f).contains("←");
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
      assertEquals(
          List.of(), arrows, "re-record them, or convert PATH ← VALUE to \"PATH\", \"VALUE\"");
    }
  }

  private static StepEntry write(int seq, String args) {
    return StepEntry.builder()
        .seq(seq)
        .step("cgroup-memory")
        .stage("helper")
        .call("write")
        .args(args)
        .ok(true)
        .result("0")
        .durationNanos(1)
        .build();
  }

  @Test
  void flagsNameTheirTypes() {
    assertEquals(
        List.of(NsType.MNT, NsType.UTS, NsType.PID),
        NsType.inFlags("CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWPID"));
    assertEquals(List.of(NsType.NET), NsType.inFlags("22 /* /proc/1/ns/net */, CLONE_NEWNET"));
    assertTrue(NsType.inFlags("CLONE_FS").isEmpty());
  }
}
