package org.glasshouse.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.inspect.InspectBenchmark;
import org.glasshouse.helper.runtime.StartLatencyBenchmark;

/**
 * {@code glasshouse bench [inspect|start|all]}: the performance benchmarks, each printing its
 * figures side by side with the goals. Benchmarks register here by name; {@code all} runs each in
 * this order.
 */
final class BenchCommand implements Command {

  /** A benchmark: prints its own figures. */
  @FunctionalInterface
  interface Benchmark {
    void run() throws Exception;
  }

  /**
   * The registration point: name → benchmark, in the order {@code all} runs them. {@code start} is
   * the runtime's container start-latency benchmark.
   */
  static Map<String, Benchmark> benchmarks() {
    Map<String, Benchmark> b = new LinkedHashMap<>();
    b.put("inspect", () -> new InspectBenchmark(System.out).run());
    b.put("start", () -> new StartLatencyBenchmark(System.out).run());
    return b;
  }

  @Override
  public String summary() {
    return "run the performance benchmarks ([inspect|start|all])";
  }

  @Override
  public int run(List<String> args) throws Exception {
    Map<String, Benchmark> all = benchmarks();
    String which = args.isEmpty() ? "all" : args.get(0);
    if (args.size() > 1 || (!which.equals("all") && !all.containsKey(which))) {
      throw new UsageException(
          "usage: glasshouse bench [" + String.join("|", all.keySet()) + "|all]");
    }
    for (Map.Entry<String, Benchmark> e : all.entrySet()) {
      if (which.equals("all") || which.equals(e.getKey())) {
        e.getValue().run();
      }
    }
    return 0;
  }
}
