package org.glasshouse.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import org.glasshouse.client.HelperException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of every {@code glasshouse} subcommand that runs on the JVM. The {@code glasshouse}
 * launcher script builds the project if needed and calls this with the subcommand's arguments.
 *
 * <p>Parsing, help and completion come from picocli: each command is a class whose options are
 * annotated once ({@link GlasshouseCommand} lists them); the help text, the bash completion and the
 * man page's test all read that one description. Errors leave by two doors: a usage mistake is one
 * line and status {@link Exit#USAGE}; any other failure is one line (never a stack trace) and the
 * status {@link Exit#of(Throwable)} gives it.
 */
public final class Main {

  private Main() {}

  /**
   * Runs the subcommand named by {@code args[0]} and exits with its status. Text goes out in ASCII
   * when the terminal's charset is not UTF-8 ({@link TerminalText}).
   */
  public static void main(String[] args) {
    defaultSelectorProvider();
    String charset = TerminalText.terminalCharset();
    System.setOut(TerminalText.forTerminal(System.out, charset));
    System.setErr(TerminalText.forTerminal(System.err, charset));
    System.exit(run(args));
  }

  /** The property {@link java.nio.channels.spi.SelectorProvider#provider()} reads first. */
  static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

  /** The JDK's own selector provider on Linux, what {@code provider()} ends with by default. */
  static final String EPOLL_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

  /**
   * Names the JDK's epoll provider as the selector provider when this JDK has it (issue 16).
   * Without the property, the first socket asks a {@link java.util.ServiceLoader} for a provider,
   * which opens every jar on the class path for a {@code META-INF/services} entry none of them has
   * (11 jars the class-data archive otherwise leaves unopened: ~14 ms of a quiet {@code ps}), then
   * takes the same epoll provider. A JDK without that class (never seen on Linux) keeps the lookup.
   */
  static void defaultSelectorProvider() {
    if (System.getProperty(SELECTOR_PROVIDER) != null) {
      return;
    }
    try {
      Class.forName(EPOLL_PROVIDER, false, null);
      System.setProperty(SELECTOR_PROVIDER, EPOLL_PROVIDER);
    } catch (ClassNotFoundException | LinkageError e) {
      // Not this JDK's: the ServiceLoader's lookup finds its default.
    }
  }

  static int run(String... args) {
    Integer ps = plainPs(args);
    if (ps != null) {
      return ps;
    }
    return commandLine(args.length == 0 ? null : args[0]).execute(args);
  }

  /**
   * {@code ps} with nothing but {@code -a} and {@code -q} (each once, apart or as {@code -aq}), the
   * commonest command line, run without picocli's model (issue 16): building it reads every
   * annotation of the command through a proxy class per annotation type, ~100 of a quiet {@code
   * ps}'s ~340 ms CPU. Anything else (help, another option, a repeated one, {@code --}) goes
   * through picocli, and so does a failure's message, from the model built only then: the same text
   * and status either way ({@code CliEndToEndTest}, {@code MainTest}). Null when not this case.
   */
  static Integer plainPs(String... args) {
    if (args.length == 0 || !args[0].equals("ps")) {
      return null;
    }
    PsCommand ps = new PsCommand();
    boolean a = false;
    boolean q = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "-a", "--all" -> {
          if (a) {
            return null;
          }
          a = true;
        }
        case "-q", "--quiet" -> {
          if (q) {
            return null;
          }
          q = true;
        }
        case "-aq", "-qa" -> {
          if (a || q) {
            return null;
          }
          a = true;
          q = true;
        }
        default -> {
          return null;
        }
      }
    }
    ps.all = a;
    ps.quiet = q;
    try {
      return ps.call();
    } catch (Exception e) {
      return failed(e, commandLine("ps").getSubcommands().get("ps"));
    }
  }

  /** The whole command tree, with the project's error handling. */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The tree with only the subcommand {@code first} names when it names one (the others' models are
   * never built: picocli reflects on each class it is given), else every subcommand.
   */
  static CommandLine commandLine(String first) {
    CommandLine cl = new CommandLine(new GlasshouseCommand());
    List<Class<?>> named =
        GlasshouseCommand.SUBCOMMANDS.stream()
            .filter(c -> c.getAnnotation(Command.class).name().equals(first))
            .toList();
    for (Class<?> c : named.isEmpty() ? GlasshouseCommand.SUBCOMMANDS : named) {
      cl.addSubcommand(c);
    }
    CommandLine run = cl.getSubcommands().get("run");
    if (run != null) {
      RunOptions.addFeatureSwitches(run.getCommandSpec());
      // run and exec: what follows the command's name is the command's (sh -c …), as in docker.
      run.setStopAtPositional(true);
    }
    CommandLine exec = cl.getSubcommands().get("exec");
    if (exec != null) {
      exec.setStopAtPositional(true);
    }
    cl.setOut(through(System.out));
    cl.setErr(through(System.err));
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler((e, sub, parsed) -> failed(e, sub));
    return cl;
  }

  /**
   * picocli's text (help, usage errors, completion) through {@code stream}'s {@code print(String)},
   * so that {@link TerminalText}'s ASCII stream rewrites it as it does the commands' own text; a
   * PrintWriter over the stream's bytes would encode it past the rewriting.
   */
  private static PrintWriter through(PrintStream stream) {
    return new PrintWriter(
        new Writer() {
          @Override
          public void write(char[] text, int off, int len) {
            stream.print(new String(text, off, len));
          }

          @Override
          public void flush() {
            stream.flush();
          }

          @Override
          public void close() {
            stream.flush();
          }
        },
        true);
  }

  /**
   * A usage mistake: {@code glasshouse run: Unknown option: '--bogus' (see glasshouse run --help)}
   * on stderr, status 2.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine sub = e.getCommandLine();
    PrintWriter err = sub.getErr();
    String name = sub.getCommandSpec().qualifiedName();
    err.println(name + ": " + Cli.printable(e.getMessage()) + " (see " + name + " --help)");
    err.flush();
    return Exit.USAGE;
  }

  /** Any other failure: one line, never a stack trace; the status says whose fault it was. */
  static int failed(Exception e, CommandLine sub) {
    CommandSpec spec = sub.getCommandSpec();
    PrintWriter err = sub.getErr();
    if (e instanceof UsageException) {
      err.println(spec.qualifiedName() + ": " + Cli.printable(e.getMessage()));
      err.flush();
      return Exit.USAGE;
    }
    err.println(spec.qualifiedName() + ": " + Cli.printable(describe(e)));
    if (e instanceof HelperException h && h.step() != null) {
      err.println(
          "  step "
              + Cli.printable(h.step().step())
              + ": "
              + Cli.printable(RunCommand.describe(h.step())));
    }
    err.flush();
    return Exit.of(e);
  }

  /** One line for an unexpected failure: its message, never a stack trace. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
