package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.protocol.Feature;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * glasshouse(1), the page the package installs, says what the CLI really has: every command, in the
 * order of {@code glasshouse --help}, each with every one of its options (the {@code --no-FEATURE}
 * switches as that one pattern), and the exit statuses there are.
 */
class ManPageTest {

  private static final Path PAGE = Path.of("src/main/man/glasshouse.1");

  /** The COMMANDS section: each {@code .TP} / {@code .B name} entry's text, by name. */
  private static Map<String, String> entries() throws Exception {
    List<String> lines = Files.readAllLines(PAGE);
    int from = lines.indexOf(".SH COMMANDS");
    assertTrue(from >= 0, "no COMMANDS section in " + PAGE);
    Map<String, String> entries = new LinkedHashMap<>();
    String name = null;
    StringBuilder text = new StringBuilder();
    for (int i = from + 1; i < lines.size() && !lines.get(i).startsWith(".SH"); i++) {
      if (lines.get(i).equals(".TP") && lines.get(i + 1).startsWith(".B ")) {
        if (name != null) {
          entries.put(name, text.toString());
        }
        name = lines.get(i + 1).substring(3);
        text.setLength(0);
        i++;
      } else {
        text.append(lines.get(i)).append('\n');
      }
    }
    if (name != null) {
      entries.put(name, text.toString());
    }
    return entries;
  }

  @Test
  void itListsEveryCommandAndNoOther() throws Exception {
    assertEquals(
        List.copyOf(Main.commandLine().getSubcommands().keySet()), List.copyOf(entries().keySet()));
  }

  @Test
  void eachCommandsEntryNamesEveryOption() throws Exception {
    Map<String, String> entries = entries();
    List<String> missing = new ArrayList<>();
    Main.commandLine()
        .getSubcommands()
        .forEach(
            (name, cl) -> {
              String entry = entries.getOrDefault(name, "").replace("\\-", "-");
              for (OptionSpec o : options(cl)) {
                String n = o.longestName();
                if (o.usageHelp() || n.startsWith("--no-")) {
                  continue;
                }
                if (!entry.contains(n)) {
                  missing.add(name + " " + n);
                }
              }
            });
    assertEquals(List.of(), missing, "options the man page does not document");
    assertTrue(
        entries.get("run").replace("\\-", "-").contains("--no-"), "run's --no-FEATURE switches");
  }

  /** A command's options and those of its subcommands ({@code bench soak --minutes}). */
  private static List<OptionSpec> options(CommandLine cl) {
    List<OptionSpec> all = new ArrayList<>(cl.getCommandSpec().options());
    cl.getSubcommands().values().forEach(sub -> all.addAll(options(sub)));
    return all;
  }

  @Test
  void itNamesTheLevelsAndExitStatusesThereAre() throws Exception {
    String page = Files.readString(PAGE);
    assertTrue(page.contains("level 0 to " + Feature.MAX_LEVEL + " "), "the run entry's levels");
    assertTrue(page.contains("\n.B \\-\\-sweep") || page.contains(".BR \\-\\-sweep"), "--sweep");
    String status = page.substring(page.indexOf(".SH EXIT STATUS"));
    for (int code : List.of(Exit.OK, Exit.FAILED, Exit.USAGE, Exit.HELPER)) {
      assertTrue(status.contains(".B " + code + "\n"), "exit status " + code);
    }
  }
}
