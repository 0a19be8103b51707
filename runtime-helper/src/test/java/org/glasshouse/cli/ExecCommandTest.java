package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** exec's own options, read as run reads the same ones. */
class ExecCommandTest {

  private static ExecCommand parse(String... args) {
    ExecCommand c = new ExecCommand();
    new CommandLine(c).parseArgs(args);
    c.localEnv = Map.of("HOME", "/home/u");
    return c;
  }

  /** As {@code run -e} and docker's exec: NAME alone passes this shell's value, when it has one. */
  @Test
  void envTakesNameValueOrANameForThisShellsValue() throws UsageException {
    assertEquals(
        Map.of("A", "1", "HOME", "/home/u"),
        parse("-e", "A=1", "-e", "HOME", "-e", "UNSET", "c1", "sh").environment());
  }

  @Test
  void aTerminalGetsTermUnlessSet() throws UsageException {
    assertEquals(Map.of("TERM", "xterm"), parse("-t", "c1", "sh").environment());
    assertEquals(Map.of("TERM", "dumb"), parse("-t", "-e", "TERM=dumb", "c1", "sh").environment());
  }

  @Test
  void anEmptyNameIsRefusedAsRunRefusesIt() {
    UsageException e =
        assertThrows(UsageException.class, () -> parse("-e", "=x", "c1", "sh").environment());
    assertEquals("-e needs NAME=VALUE, got '=x'", e.getMessage());
  }
}
