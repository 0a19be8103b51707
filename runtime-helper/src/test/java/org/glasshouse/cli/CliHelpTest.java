package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command answers {@code --help} with a help that documents each of its options, and a usage
 * mistake is one specific line and status 2 — for the whole tree, so a new command or option that
 * forgets its description fails here.
 */
class CliHelpTest {

  record Result(int status, String out, String err) {}

  /** Runs the CLI in this JVM with its help and error text captured. */
  static Result cli(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  /** Every command in the tree, as the words that name it ({@code [bench, soak]}). */
  static Stream<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    walk(Main.commandLine(), new ArrayList<>(), all);
    return all.stream();
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
    all.add(List.copyOf(path));
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> p = new ArrayList<>(path);
              p.add(name);
              walk(sub, p, all);
            });
  }

  private static CommandLine find(List<String> path) {
    CommandLine cl = Main.commandLine();
    for (String p : path) {
      cl = cl.getSubcommands().get(p);
    }
    return cl;
  }

  @ParameterizedTest
  @MethodSource("commands")
  void helpDocumentsEveryOption(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    Result r = cli(args.toArray(String[]::new));
    assertEquals(0, r.status(), r.toString());
    assertEquals("", r.err());
    String name = String.join(" ", Stream.concat(Stream.of("glasshouse"), path.stream()).toList());
    assertTrue(r.out().startsWith("Usage: " + name + " "), r.out());
    CommandLine cl = find(path);
    assertFalse(
        cl.getCommandSpec().usageMessage().description().length == 0, path + " has no description");
    for (ArgSpec a : cl.getCommandSpec().args()) {
      String what = a.isOption() ? ((OptionSpec) a).longestName() : a.paramLabel();
      assertTrue(
          a.description().length > 0 && !a.description()[0].isBlank(),
          path + ": " + what + " has no description");
      assertTrue(
          r.out().contains(what), path + ": " + what + " missing from the help:\n" + r.out());
    }
  }

  @Test
  void everyCommandTakesHelp() {
    // The commands issue 14 found answering --help with "unknown option".
    for (String c : List.of("run", "ps", "rm", "exec", "stats", "doctor")) {
      Result r = cli(c, "--help");
      assertEquals(0, r.status(), c + ": " + r);
      assertTrue(r.out().startsWith("Usage: glasshouse " + c), r.out());
    }
  }

  /** {@code -l} is {@code --level}'s short name (what the docs and the bench type: run -l 12). */
  @Test
  void runTakesLAsLevel() throws Exception {
    Result r = cli("run", "--help");
    assertTrue(r.out().contains("-l, --level=N"), r.out());
    assertEquals(
        Integer.valueOf(12),
        RunOptions.parse(List.of("-l", "12", "--", "true"), java.util.Map.of()).level);
  }

  /** Each mistake: status 2 and one line naming the command and what is wrong. */
  @Test
  void usageMistakesExit2WithASpecificLine() {
    String[][] cases = {
      {"glasshouse: Unknown option: '--bogus'", "--bogus"},
      {"glasshouse: Unmatched argument at index 0: 'teleport'", "teleport"},
      {"glasshouse run: Unknown option: '--bogus'", "run", "--bogus", "true"},
      {"glasshouse run: Missing required parameter: 'CMD'", "run", "-d"},
      {
        "glasshouse run: Invalid value for option '--level': must be a whole number from 0 to 13,"
            + " got '14'",
        "run",
        "--level",
        "14",
        "true"
      },
      {
        "glasshouse run: Invalid value for option '--level': must be a whole number from 0 to 13,"
            + " got '14'",
        "run",
        "-l",
        "14",
        "true"
      },
      {
        "glasshouse run: Invalid value for option '--memory': needs a size like 64m or 1g, got"
            + " 'lots'",
        "run",
        "--memory",
        "lots",
        "true"
      },
      {"glasshouse run: Unknown option: '--no-teleport'", "run", "--no-teleport", "true"},
      {
        "glasshouse run: Invalid value for option '--feature' (FEATURE): unknown feature 'x'",
        "run",
        "--feature",
        "x",
        "true"
      },
      {"glasshouse run: Missing required parameter for option '--name' (NAME)", "run", "--name"},
      {"glasshouse exec: Missing required parameter: 'CMD'", "exec", "abc"},
      {"glasshouse ps: Unknown option: '--bogus'", "ps", "--bogus"},
      {"glasshouse rm: Missing required parameter: 'CONTAINER'", "rm", "-f"},
      {"glasshouse logs: Unmatched argument at index 2: 'b'", "logs", "a", "b"},
      {"glasshouse stats: Unknown option: '--bogus'", "stats", "--bogus"},
      {"glasshouse inspect: Missing required parameter: 'CONTAINER'", "inspect"},
      {
        "glasshouse mounts: Invalid value for option '--diff': expected one of [host]",
        "mounts",
        "host",
        "--diff",
        "x"
      },
      {"glasshouse doctor: Unknown option: '--verbose'", "doctor", "--verbose"},
      {"glasshouse doctor: Unmatched argument at index 1: 'now'", "doctor", "now"},
      {"glasshouse images: Unmatched argument at index 1: 'x'", "images", "x"},
      {"glasshouse helper: Unknown option: '--bogus'", "helper", "--bogus"},
      {"glasshouse bench: Unmatched argument at index 1: 'nope'", "bench", "nope"},
      {
        "glasshouse bench soak: Invalid value for option '--minutes': must be a whole number from"
            + " 1",
        "bench",
        "soak",
        "--minutes",
        "0"
      },
      {"glasshouse bench start: Unknown option: '--x'", "bench", "start", "--x"},
      {
        "glasshouse bench start: Invalid value for option '--runs': must be a whole number from 1",
        "bench",
        "start",
        "--runs",
        "0"
      },
      {
        "glasshouse bench start-inprocess: Unknown option: '--runs'",
        "bench",
        "start-inprocess",
        "--runs"
      },
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      Result r = cli(args);
      assertEquals(Exit.USAGE, r.status(), List.of(args) + ": " + r);
      assertTrue(r.err().startsWith(c[0]), List.of(args) + ": " + r.err());
      assertEquals(1, r.err().lines().count(), "one line: " + r.err());
      assertTrue(r.err().contains("(see glasshouse"), r.err());
      assertEquals("", r.out(), List.of(args) + " printed on stdout");
    }
  }

  @Test
  void noCommandIsTheUsageOnStderrAndStatus2() {
    Result r = cli();
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("Usage: glasshouse"), r.err());
  }

  @Test
  void bashCompletionKnowsEveryCommandAndOption() {
    Result r = cli("completion");
    assertEquals(0, r.status(), r.err());
    String script = r.out();
    assertTrue(script.contains("complete -F _complete_glasshouse"), script);
    commands()
        .forEach(
            path -> {
              CommandLine cl = find(path);
              if (!path.isEmpty()) {
                assertTrue(
                    script.contains(path.get(path.size() - 1)), path + " not in the completion");
              }
              for (OptionSpec o : cl.getCommandSpec().options()) {
                assertTrue(script.contains(o.longestName()), path + " " + o.longestName());
              }
            });
    assertTrue(script.contains("--no-pivot-root") && script.contains("--pids-max"), script);
    assertTrue(script.contains("pivot-root cgroup-pids") || script.contains("cgroup-pids"));
  }
}
