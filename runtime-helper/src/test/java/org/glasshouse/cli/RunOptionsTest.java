package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

  private static RunSpec parse(String... args) throws UsageException {
    return RunOptions.parse(List.of(args), Map.of("HOME", "/home/u")).spec();
  }

  @Test
  void everyFeatureHasItsNoSwitch() throws UsageException {
    for (Feature f : Feature.values()) {
      RunSpec s = parse("--level", "13", "--no-" + f.wireName(), "true");
      EnumSet<Feature> expected = EnumSet.copyOf(Feature.upTo(13));
      expected.remove(f);
      assertEquals(expected, s.features(), f.wireName());
    }
  }

  @Test
  void dockerLikeFlagsBecomeTheSpec() throws UsageException {
    RunSpec s =
        parse(
            "-i",
            "busybox",
            "--level",
            "9",
            "-e",
            "A=1",
            "-e",
            "HOME",
            "-e",
            "UNSET",
            "-w",
            "/tmp",
            "--rm",
            "--name",
            "web",
            "--hostname",
            "box",
            "--user",
            "1000:100",
            "--memory",
            "64m",
            "--memory-swap",
            "150m",
            "--cpu-shares",
            "512",
            "--cpus",
            "0.5",
            "--pids-max",
            "20",
            "--cap-add",
            "NET_ADMIN",
            "--",
            "/bin/sh",
            "-c",
            "echo hi");
    assertEquals("busybox", s.image());
    assertEquals(9, s.level());
    assertNull(s.features());
    assertEquals(Map.of("A", "1", "HOME", "/home/u"), s.env());
    assertEquals("/tmp", s.workdir());
    assertTrue(s.rm());
    assertEquals("web", s.name());
    assertEquals("box", s.hostname());
    assertEquals("1000:100", s.user());
    assertEquals(64L << 20, s.limits().memoryBytes());
    assertEquals(150L << 20, s.limits().memorySwapBytes());
    assertEquals(512, s.limits().cpuShares());
    assertEquals(0.5, s.limits().cpus());
    assertEquals(20, s.limits().pidsMax());
    assertEquals(List.of("NET_ADMIN"), s.capAdd());
    assertEquals(List.of("/bin/sh", "-c", "echo hi"), s.argv());
  }

  @Test
  void featureFlagsMakeAnExplicitSetAndLevelsDefaultToBusybox() throws UsageException {
    RunSpec s = parse("--level", "3", "--no-bind-root", "--feature", "uts-ns", "true");
    assertNull(s.level());
    EnumSet<Feature> expected = EnumSet.copyOf(Feature.upTo(3));
    expected.remove(Feature.BIND_ROOT);
    expected.add(Feature.UTS_NS);
    assertEquals(expected, s.features());
    assertEquals("busybox", s.image());
    assertNull(parse("true").image(), "level 00 needs no image");
  }

  @Test
  void theNetworkAndMemoryControlsBecomeTheSpec() throws UsageException {
    RunSpec s =
        parse(
            "--net",
            "bridge",
            "--memory-reservation",
            "32m",
            "--memory-swappiness",
            "0",
            "--oom-kill-disable",
            "--oom-group",
            "--kernel-memory",
            "16m",
            "true");
    assertEquals(RunSpec.NETWORK_BRIDGE, s.network());
    assertTrue(s.bridged());
    assertEquals(32L << 20, s.limits().memorySoftBytes());
    assertEquals(0, s.limits().memorySwappiness());
    assertEquals(Boolean.TRUE, s.limits().oomKillDisable());
    assertEquals(Boolean.TRUE, s.limits().oomGroup());
    assertEquals(16L << 20, s.limits().kernelMemoryBytes());
    assertEquals(RunSpec.NETWORK_NONE, parse("--network", "none", "true").network());
    assertNull(parse("true").network());
    assertNull(parse("true").limits());
    assertEquals(
        RunSpec.NETWORK_BRIDGE, parse("--net", "bridge", "true").withName("web").network());
    assertEquals(
        "Invalid value for option '--network': must be none or bridge, got 'host'",
        assertThrows(UsageException.class, () -> parse("--network", "host", "true")).getMessage());
    assertEquals(
        "Invalid value for option '--memory-swappiness': must be a whole number from 0 to 100,"
            + " got '101'",
        assertThrows(UsageException.class, () -> parse("--memory-swappiness", "101", "true"))
            .getMessage());
  }

  @Test
  void theHelpersInitTimeoutIsSecondsFromOneToADay() {
    assertEquals(java.time.Duration.ofSeconds(90), new Converters.Seconds().convert("90"));
    assertEquals(
        "must be a number of seconds from 1 to 86400, not '0'",
        assertThrows(
                picocli.CommandLine.TypeConversionException.class,
                () -> new Converters.Seconds().convert("0"))
            .getMessage());
  }

  @Test
  void mistakesAreOneLine() {
    assertEquals(
        "Invalid value for option '--level': must be a whole number from 0 to 13, got '14'",
        assertThrows(UsageException.class, () -> parse("--level", "14", "true")).getMessage());
    assertTrue(
        assertThrows(UsageException.class, () -> parse("--memory", "lots", "true"))
            .getMessage()
            .startsWith("Invalid value for option '--memory': needs a size like 64m"));
    assertEquals(
        "Unknown option: '--no-teleport'",
        assertThrows(UsageException.class, () -> parse("--no-teleport", "true")).getMessage());
    assertEquals(
        "Missing required parameter: 'CMD'",
        assertThrows(UsageException.class, () -> parse("-d")).getMessage());
    assertTrue(
        assertThrows(UsageException.class, () -> parse("--bogus", "x"))
            .getMessage()
            .startsWith("Unknown option: '--bogus'"));
    assertEquals(
        "-e needs NAME=VALUE, got '=x'",
        assertThrows(UsageException.class, () -> parse("-e", "=x", "true")).getMessage());
  }

  @Test
  void theCommandsOwnOptionsAreItsOwn() throws UsageException {
    // -c is --cpu-shares before the command, the shell's own -c after it.
    RunSpec s = parse("-c", "512", "/bin/sh", "-c", "echo hi", "--level", "3");
    assertEquals(512, s.limits().cpuShares());
    assertEquals(List.of("/bin/sh", "-c", "echo hi", "--level", "3"), s.argv());
    assertNull(s.level());
    assertEquals(List.of("--help"), parse("--", "--help").argv());
  }

  @Test
  void exitStatusIsTheCodeOr128PlusTheSignal() {
    assertEquals(7, AttachedSession.exitStatus(Json.object().put("code", 7).putNull("signal")));
    assertEquals(137, AttachedSession.exitStatus(Json.object().putNull("code").put("signal", 9)));
  }

  @Test
  void aFailedStepReadsLikeStrace() {
    StepEntry s =
        StepEntry.builder()
            .seq(4)
            .step("pivot-root")
            .stage("init")
            .call("pivot_root")
            .args("\".\", \".oldroot\"")
            .ok(false)
            .errno("EBUSY")
            .message("Device or resource busy")
            .explanation("the new root is not a mount point")
            .durationNanos(100)
            .build();
    assertEquals(
        "pivot_root(\".\", \".oldroot\") = -1 EBUSY (Device or resource busy): the new root is"
            + " not a mount point",
        RunCommand.describe(s));
  }

  @Test
  void psTableLooksLikeDockers() throws Exception {
    JsonNode containers =
        Json.MAPPER.readTree(
            "[{\"id\":\"3f9a0c11b2d4\",\"name\":\"web\",\"image\":\"busybox\",\"argv\":[\"sleep\","
                + "\"60\"],\"level\":12,\"state\":\"running\",\"exitCode\":null,\"signal\":null,"
                + "\"oomKilled\":false,\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"startedAt\":\"2026-01-01T00:00:01Z\",\"finishedAt\":null,"
                + "\"execs\":[{\"id\":\"e1e1e1e1e1e1\",\"name\":null,\"argv\":[\"sh\"],"
                + "\"state\":\"running\",\"createdAt\":\"2026-01-01T00:01:30Z\","
                + "\"startedAt\":\"2026-01-01T00:01:30Z\"}]},"
                + "{\"id\":\"aaaaaaaaaaaa\",\"name\":null,\"image\":null,\"argv\":[\"true\"],"
                + "\"level\":null,\"state\":\"exited\",\"exitCode\":null,\"signal\":9,"
                + "\"oomKilled\":true,\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":\"2026-01-01T00:00:30Z\"}]");
    String table = PsCommand.table(containers, Instant.parse("2026-01-01T00:02:00Z"));
    String[] lines = table.split("\n");
    assertEquals(4, lines.length, table);
    assertTrue(lines[0].startsWith("CONTAINER ID     IMAGE     COMMAND"), table);
    assertTrue(lines[1].contains("\"sleep 60\"") && lines[1].contains("Up 1 minute"), table);
    assertTrue(lines[1].endsWith("web"), table);
    // The exec: under its container, marked as one, not a container of its own.
    assertTrue(lines[2].startsWith("└ e1e1e1e1e1e1"), table);
    assertTrue(lines[2].contains("\"sh\"") && lines[2].contains("exec"), table);
    assertTrue(lines[2].contains("Up 30 seconds"), table);
    assertTrue(lines[3].contains("custom") && lines[3].contains("Killed (signal 9) OOM"), table);
    assertEquals(
        "3f9a0c11b2d4\naaaaaaaaaaaa\n", PsCommand.ids(containers), "ps -q: containers only");
  }
}
