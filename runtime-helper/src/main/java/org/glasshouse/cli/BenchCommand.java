package org.glasshouse.cli;

import java.util.concurrent.Callable;
import org.glasshouse.helper.inspect.InspectBenchmark;
import org.glasshouse.helper.runtime.StartLatencyBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glasshouse bench [inspect|start|start-inprocess|memory|soak|all] [OPTIONS]}: the
 * performance benchmarks, each printing its figures side by side with the goals. A benchmark is a
 * subcommand here (its options annotated on it); {@code all} (and {@code bench} alone) runs the
 * quick ones, {@code inspect} then {@code start} ({@code memory} takes a few minutes, {@code soak}
 * half an hour: each is run by its name).
 */
@Command(
    name = "bench",
    synopsisSubcommandLabel = "[inspect|start|start-inprocess|memory|soak|all]",
    description = {
      "The performance benchmarks, figures printed next to the goals. Alone: the quick ones"
          + " (inspect, start)."
    },
    subcommands = {
      BenchCommand.Inspect.class,
      BenchCommand.Start.class,
      BenchCommand.StartInprocess.class,
      BenchCommand.Memory.class,
      BenchCommand.Soak.class,
      BenchCommand.All.class
    })
final class BenchCommand implements Callable<Integer> {

  @Mixin GlasshouseCommand.HelpOption help;

  @Override
  public Integer call() throws Exception {
    return new All().call();
  }

  /** The inspection readers' cost. */
  @Command(
      name = "inspect",
      description =
          "what reading namespaces, mounts and cgroups costs: telemetry's share of a core")
  static final class Inspect implements Callable<Integer> {
    @Mixin GlasshouseCommand.HelpOption help;

    @Override
    public Integer call() throws Exception {
      new InspectBenchmark(System.out).run();
      return Exit.OK;
    }
  }

  /**
   * The start cost over the socket of a real helper, interleaved with crun and runc: spaced, back
   * to back, the first start per level, CPU per start and the idle pool's PSS.
   */
  @Command(
      name = "start",
      description =
          "start cost over a real helper's socket, interleaved with crun and runc when installed")
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--runs",
        paramLabel = "N",
        converter = Converters.Positive.class,
        description = "spaced starts per runtime (default: ${DEFAULT-VALUE})")
    int runs = 30;

    @Option(
        names = "--warm-up",
        description = "start the benchmark's helper with --warm-up (see glasshouse helper --help)")
    boolean warmUp;

    @Option(
        names = "--init",
        paramLabel = "native|jvm",
        description = "start the benchmark's helper with --init (see glasshouse helper --help)")
    String init;

    @Mixin GlasshouseCommand.HelpOption help;

    @Override
    public Integer call() throws Exception {
      new StartBenchmark(System.out, runs, warmUp, init).run();
      return Exit.OK;
    }
  }

  /** The runtime's own start latency without CLI or socket (the seccomp step's cost per level). */
  @Command(
      name = "start-inprocess",
      description = "the runtime's start latency in-process, no CLI or socket, next to crun")
  static final class StartInprocess implements Callable<Integer> {
    @Mixin GlasshouseCommand.HelpOption help;

    @Override
    public Integer call() throws Exception {
      new StartLatencyBenchmark(System.out).run();
      return Exit.OK;
    }
  }

  /** The helper's RSS under 20 flooding containers and 20 slow clients. */
  @Command(
      name = "memory",
      description = "the helper's RSS with 20 containers flooding output to 20 slow clients")
  static final class Memory implements Callable<Integer> {
    @Option(
        names = "--seconds",
        paramLabel = "N",
        converter = Converters.Positive.class,
        description = "how long to flood (default: ${DEFAULT-VALUE})")
    int seconds = 60;

    @Mixin GlasshouseCommand.HelpOption help;

    @Override
    public Integer call() throws Exception {
      new MemoryBenchmark(System.out, seconds).run();
      return Exit.OK;
    }
  }

  /** 20 clients of mixed ops for half an hour: failures, RSS and fds over time. */
  @Command(
      name = "soak",
      description =
          "20 clients doing run, exec, rm, inspect, stats and logs; failures, RSS and fds over time")
  static final class Soak implements Callable<Integer> {
    @Option(
        names = "--minutes",
        paramLabel = "N",
        converter = Converters.Positive.class,
        description = "how long (default: ${DEFAULT-VALUE})")
    int minutes = 30;

    @Mixin GlasshouseCommand.HelpOption help;

    @Override
    public Integer call() throws Exception {
      new SoakBenchmark(System.out, minutes).run();
      return Exit.OK;
    }
  }

  /** The quick ones, in order. */
  @Command(name = "all", description = "the quick ones: inspect, then start")
  static final class All implements Callable<Integer> {
    @Mixin GlasshouseCommand.HelpOption help;

    @Override
    public Integer call() throws Exception {
      new Inspect().call();
      return new Start().call();
    }
  }
}
