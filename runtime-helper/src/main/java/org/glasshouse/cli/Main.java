package org.glasshouse.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of every {@code glasshouse} subcommand that runs on the JVM. The {@code glasshouse}
 * launcher script builds the project if needed and calls this with the subcommand's arguments.
 */
public final class Main {

  private Main() {}

  /** Subcommands in the order the usage text lists them. */
  static Map<String, Command> commands() {
    Map<String, Command> c = new LinkedHashMap<>();
    c.put("helper", new HelperCommand());
    c.put("run", new RunCommand());
    c.put("exec", new ExecCommand());
    c.put("ps", new PsCommand());
    c.put("rm", new RmCommand());
    c.put("logs", new LogsCommand());
    c.put("images", new ImagesCommand());
    c.put("inspect", new InspectCommand());
    c.put("stats", new StatsCommand());
    c.put("mounts", new MountsCommand());
    c.put("bench", new BenchCommand());
    c.put("doctor", new DoctorCommand());
    return c;
  }

  /**
   * Runs the subcommand named by {@code args[0]} and exits with its status. Text goes out in ASCII
   * when the terminal's charset is not UTF-8 ({@link TerminalText}).
   */
  public static void main(String[] args) {
    String charset = TerminalText.terminalCharset();
    System.setOut(TerminalText.forTerminal(System.out, charset));
    System.setErr(TerminalText.forTerminal(System.err, charset));
    System.exit(run(args));
  }

  static int run(String[] args) {
    Map<String, Command> commands = commands();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      usage(commands);
      return args.length == 0 ? 2 : 0;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      System.err.println(
          "glasshouse: unknown command '" + Cli.printable(args[0]) + "' (see glasshouse --help)");
      return 2;
    }
    try {
      return command.run(List.copyOf(Arrays.asList(args).subList(1, args.length)));
    } catch (UsageException e) {
      System.err.println("glasshouse " + args[0] + ": " + Cli.printable(e.getMessage()));
      return 2;
    } catch (Exception e) {
      System.err.println("glasshouse " + args[0] + ": " + Cli.printable(describe(e)));
      return 1;
    }
  }

  /** One line for an unexpected failure: its message, never a stack trace. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void usage(Map<String, Command> commands) {
    StringBuilder b = new StringBuilder("usage: glasshouse [COMMAND] [ARGS…]\n\n");
    b.append("  (no command)  build if needed and start the lab\n");
    commands.forEach((name, c) -> b.append(String.format("  %-12s  %s%n", name, c.summary())));
    System.out.print(b);
  }

  private static Command notYet(String summary) {
    return new Command() {
      @Override
      public String summary() {
        return summary + " (not implemented yet)";
      }

      @Override
      public int run(List<String> args) {
        System.err.println("glasshouse: not implemented yet");
        return 2;
      }
    };
  }
}
