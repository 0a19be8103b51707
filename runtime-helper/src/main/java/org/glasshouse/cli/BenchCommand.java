package org.glasshouse.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.inspect.InspectBenchmark;
import org.glasshouse.helper.runtime.StartLatencyBenchmark;

/**
 * {@code glasshouse bench [inspect|start|memory|soak|all] [OPTIONS]}: the performance benchmarks,
 * each printing its figures side by side with the goals. Benchmarks register here by name; {@code
 * all} runs the quick ones in this order ({@code memory} takes a few minutes, {@code soak} half an
 * hour: each is run by its name).
 */
final class BenchCommand implements Command {

  /** A benchmark: prints its own figures. */
  @FunctionalInterface
  interface Benchmark {
    void run(List<String> args) throws Exception;
  }

  /** A registered benchmark and whether {@code all} runs it. */
  record Entry(Benchmark benchmark, boolean inAll, String options) {}

  /**
   * The registration point: name → benchmark, in the order {@code all} runs them. {@code start} is
   * the start cost over the socket of a real helper, next to crun and runc; {@code start-inprocess}
   * the runtime's own start latency without CLI or socket (the seccomp step's cost per level).
   */
  static Map<String, Entry> benchmarks() {
    Map<String, Entry> b = new LinkedHashMap<>();
    b.put("inspect", new Entry(args -> new InspectBenchmark(System.out).run(), true, ""));
    b.put(
        "start",
        new Entry(
            args -> new StartBenchmark(System.out, option(args, "--runs", 30)).run(),
            true,
            " [--runs N]"));
    b.put(
        "start-inprocess",
        new Entry(args -> new StartLatencyBenchmark(System.out).run(), false, ""));
    b.put(
        "memory",
        new Entry(
            args -> new MemoryBenchmark(System.out, option(args, "--seconds", 60)).run(),
            false,
            " [--seconds N]"));
    b.put(
        "soak",
        new Entry(
            args -> new SoakBenchmark(System.out, option(args, "--minutes", 30)).run(),
            false,
            " [--minutes N]"));
    return b;
  }

  /** An integer option {@code --name N} (the only kind the benchmarks take), else the default. */
  static int option(List<String> args, String name, int dflt) throws UsageException {
    int value = dflt;
    for (int i = 0; i < args.size(); i++) {
      if (!args.get(i).equals(name) || i + 1 >= args.size()) {
        throw new UsageException("unknown option '" + args.get(i) + "' (" + name + " N)");
      }
      try {
        value = Integer.parseInt(args.get(++i));
      } catch (NumberFormatException e) {
        throw new UsageException(name + " needs a whole number, got '" + args.get(i) + "'");
      }
      if (value < 1) {
        throw new UsageException(name + " must be at least 1");
      }
    }
    return value;
  }

  @Override
  public String summary() {
    return "run the performance benchmarks ([inspect|start|memory|soak|all])";
  }

  @Override
  public int run(List<String> args) throws Exception {
    Map<String, Entry> all = benchmarks();
    String which = args.isEmpty() ? "all" : args.get(0);
    List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
    if (!which.equals("all") && !all.containsKey(which)) {
      StringBuilder usage = new StringBuilder("usage: glasshouse bench [");
      all.keySet().forEach(k -> usage.append(k).append('|'));
      usage.append("all]");
      all.forEach((k, e) -> usage.append(e.options().isEmpty() ? "" : "; " + k + e.options()));
      throw new UsageException(usage.toString());
    }
    if (which.equals("all")) {
      if (!rest.isEmpty()) {
        throw new UsageException("bench all takes no options");
      }
      for (Entry e : all.values()) {
        if (e.inAll()) {
          e.benchmark().run(List.of());
        }
      }
      return 0;
    }
    Entry e = all.get(which);
    if (e.options().isEmpty() && !rest.isEmpty()) {
      throw new UsageException("bench " + which + " takes no options");
    }
    e.benchmark().run(rest);
    return 0;
  }
}
