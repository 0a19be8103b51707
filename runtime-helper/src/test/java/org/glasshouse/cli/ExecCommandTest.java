package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

  /** As the CLI parses it (parsing stops at the container): a {@code --} before the command. */
  @Test
  void aSeparatorAfterTheContainerIsNotTheCommand() throws UsageException {
    assertEquals(List.of("sh", "-c", "true"), parsed("c1", "--", "sh", "-c", "true").command());
    assertEquals(List.of("sh", "--", "x"), parsed("c1", "sh", "--", "x").command());
    assertEquals(List.of("true"), parsed("-t", "--", "c1", "true").command());
    UsageException e = assertThrows(UsageException.class, () -> parsed("c1", "--").command());
    assertEquals("exec needs a command after --", e.getMessage());
  }

  private static ExecCommand parsed(String... args) {
    CommandLine cl = Main.commandLine("exec");
    cl.parseArgs(Stream.concat(Stream.of("exec"), Stream.of(args)).toArray(String[]::new));
    return (ExecCommand) cl.getSubcommands().get("exec").getCommand();
  }

  @Test
  void anEmptyNameIsRefusedAsRunRefusesIt() {
    UsageException e =
        assertThrows(UsageException.class, () -> parse("-e", "=x", "c1", "sh").environment());
    assertEquals("-e needs NAME=VALUE, got '=x'", e.getMessage());
  }
}
