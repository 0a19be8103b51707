package org.glasshouse.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glasshouse}: the command tree. A new subcommand is a class annotated {@code @Command}
 * added to {@link #SUBCOMMANDS} below (in the order the help lists them); a new option is one
 * annotated field in its command. The help, the bash completion ({@code glasshouse completion}) and
 * the man page's test read them from there.
 */
@Command(
    name = "glasshouse",
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "A lab for building a real Linux container, level by level.",
      "Without a command (from the launcher script) it builds what is missing and opens the lab.",
      "Every command below is a client of the helper's socket: GLASSHOUSE_SOCKET, else"
          + " /run/glasshouse/helper.sock."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done",
      "1:the request failed (no such container, …)",
      "2:a usage mistake",
      "125:the helper could not be reached, or a container could not be started",
      "N:run and exec: the container command's status (128+N: killed by signal N)"
    })
final class GlasshouseCommand implements Callable<Integer> {

  /**
   * The subcommands, in the order the help lists them. Not in the annotation: {@link Main} builds
   * picocli's model (annotation reflection, ~the whole cost picocli adds to a start) only for the
   * one a command line names, and for all of them only for the help and the completion.
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          HelperCommand.class,
          RunCommand.class,
          ExecCommand.class,
          PsCommand.class,
          RmCommand.class,
          LogsCommand.class,
          ImagesCommand.class,
          InspectCommand.class,
          StatsCommand.class,
          MountsCommand.class,
          BenchCommand.class,
          DoctorCommand.class,
          CompletionCommand.class);

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  /** No command: the usage on stderr, status 2 (the launcher opens the lab instead). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Exit.USAGE;
  }

  /** {@code -h}, {@code --help}: every command but {@code run} (where {@code -h} is docker's). */
  static final class HelpOption {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help and exit")
    boolean help;
  }

  /** {@code --help} alone, for {@code run}, whose {@code -h} is the hostname as in docker. */
  static final class LongHelpOption {
    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;
  }
}
