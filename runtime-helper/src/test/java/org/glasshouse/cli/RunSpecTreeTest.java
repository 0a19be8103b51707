package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * {@code glasshouse run} sends its spec as the init channel's codec writes it, not through
 * Jackson's record serialization (issue 16: ~110 ms of a fresh CLI JVM): the request's text must be
 * the one Jackson makes of the same record, for every shape the options make — sparse, full, with
 * limits, a tty, a user, capabilities, a network, a name.
 */
class RunSpecTreeTest {

  private static RunSpec parse(String... args) throws UsageException {
    return RunOptions.parse(List.of(args), Map.of("HOME", "/home/u")).spec();
  }

  @Test
  void theTreeIsJacksonsForEveryShapeOfOptions() throws Exception {
    for (RunSpec s :
        List.of(
            parse("true"),
            parse("--level", "12", "--", "/bin/sh", "-c", "echo \"é\\\\\" \t"),
            parse(
                "--level",
                "13",
                "-t",
                "--user",
                "1000:1000",
                "--hostname",
                "h",
                "--memory",
                "64m",
                "--memory-swap",
                "150m",
                "--cpu-shares",
                "512",
                "--cpus",
                "0.5",
                "--pids-max",
                "32",
                "--cap-add",
                "NET_RAW",
                "--cap-drop",
                "CHOWN",
                "--network",
                "bridge",
                "--rm",
                "-e",
                "A=b",
                "-w",
                "/tmp",
                "true"),
            parse("--level", "3", "--no-bind-root", "--feature", "uts-ns", "true"),
            parse("--net", "bridge", "true").withName("web"))) {
      // On the wire, byte for byte (as trees they differ in kind only: a long field is a LongNode,
      // the same number parsed is an IntNode).
      assertEquals(Json.write(Json.tree(s)), Json.write(RunCommand.specTree(s)), s::toString);
    }
  }
}
