package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glasshouse.helper.linux.RecordingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PidRecord} against a /proc of its own (no root, no real process): what it writes, and that
 * a successor kills a recorded process only while its start time still matches.
 */
class PidRecordTest {

  @TempDir Path tmp;

  /** A /proc/PID/stat whose command holds ") " and whose field 22 is {@code start}. */
  private Path stat(Path proc, long pid, String start) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    return Files.writeString(
        dir.resolve("stat"),
        pid + " (a) (b c) S" + " 1".repeat(18) + " " + start + " 2 3\n",
        StandardCharsets.US_ASCII);
  }

  private Path containerDir(String id) throws Exception {
    return Files.createDirectories(tmp.resolve("state/containers").resolve(id));
  }

  @Test
  void recordsThePidAndItsStartTimeFromTheGivenProc() throws Exception {
    Path proc = tmp.resolve("proc");
    stat(proc, 4321, "98765");
    Path dir = containerDir("c1");

    PidRecord.write(dir, proc, 4321);

    assertEquals("4321 98765\n", Files.readString(dir.resolve(PidRecord.FILE)));
  }

  @Test
  void aProcessGoneBeforeItIsRecordedLeavesNoRecord() throws Exception {
    Path dir = containerDir("c2");
    PidRecord.write(dir, Files.createDirectories(tmp.resolve("proc")), 4321);
    assertFalse(Files.exists(dir.resolve(PidRecord.FILE)));
  }

  @Test
  void aSuccessorKillsTheRecordedProcessOnlyWhileItIsTheSameOne() throws Exception {
    Path proc = tmp.resolve("proc");
    stat(proc, 100, "5000");
    stat(proc, 200, "6000");
    PidRecord.write(containerDir("c3"), proc, 100);
    PidRecord.write(containerDir("c4"), proc, 200);
    stat(proc, 200, "7000"); // pid 200 ended and was given to another process

    RecordingSyscalls sys = new RecordingSyscalls();
    List<String> done = PidRecord.killRecorded(tmp.resolve("state"), proc, sys);

    assertEquals(List.of("kill(100, 9)"), sys.calls());
    assertEquals(List.of("kill -9 100 (first process of c3)"), done);
  }

  @Test
  void aStatWithoutField22IsNoStartTime() throws Exception {
    Path proc = tmp.resolve("proc");
    Files.writeString(Files.createDirectories(proc.resolve("7")).resolve("stat"), "7 (x) S 1 2\n");
    assertNull(PidRecord.startTime(proc, 7));
  }
}
