package org.glasshouse.cli;

import java.util.concurrent.Callable;
import org.glasshouse.helper.inspect.InspectBenchmark;
import org.glasshouse.helper.runtime.StartLatencyBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glasshouse bench [inspect|start|memory|soak|all] [OPTIONS]}: the performance benchmarks,
 * each printing its figures side by side with the goals. A benchmark is a subcommand here (its
 * options annotated on it); {@code all} (and {@code bench} alone) runs the quick ones, {@code
 * inspect} then {@code start} ({@code memory} takes a few minutes, {@code soak} half an hour: each
 * is run by its name).
 */
@Command(
    name = "bench",
    synopsisSubcommandLabel = "[inspect|start|memory|soak|all]",
    description = {
      "The performance benchmarks, figures printed next to the goals. Alone: the quick ones"
          + " (inspect, start)."
    },
    subcommands = {
      BenchCommand.Inspect.class,
      BenchCommand.Start.class,
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

  /** The runtime's container start latency, next to crun's when crun is installed. */
  @Command(
      name = "start",
      description = "start latency of a fully isolated container, next to crun when installed")
  static final class Start implements Callable<Integer> {
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
