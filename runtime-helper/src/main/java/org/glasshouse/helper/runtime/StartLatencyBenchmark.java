package org.glasshouse.helper.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.rootfs.SafeDelete;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * {@code glasshouse bench start}: start latency of {@code true}, request → exit reported, median of
 * 30 runs, at level 00 and at level 12 (every namespace, overlay, pivot_root, cgroups, setuid-free
 * caps), side by side with {@code crun run} of the same rootfs when crun is installed. Runs as root
 * on a temporary state dir and a unique cgroup parent; prints figures, asserts nothing.
 */
public final class StartLatencyBenchmark {

  static final int RUNS = 30;
  static final int WARMUP = 3;

  private final PrintStream out;
  private final Path imagesDir;

  /** Prints to {@code out}; images from {@code $GLASSHOUSE_IMAGES} or {@code build/images}. */
  public StartLatencyBenchmark(PrintStream out) {
    this.out = out;
    String env = System.getenv("GLASSHOUSE_IMAGES");
    this.imagesDir = Path.of(env != null && !env.isBlank() ? env : "build/images").toAbsolutePath();
  }

  /** Runs the benchmark and prints its table. */
  public void run() throws Exception {
    if (!Files.isRegularFile(imagesDir.resolve("busybox.tar"))) {
      out.println(
          "bench start: no busybox image in " + imagesDir + " (glasshouse images build busybox)");
      return;
    }
    Path state = Files.createTempDirectory("glasshouse-bench-");
    String parent =
        "glasshouse-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (LinuxContainerRuntime rt =
        new LinuxContainerRuntime(RuntimeConfig.of(state, imagesDir).withCgroupParent(parent))) {
      out.printf("bench start: median of %d runs of `true` (request sent → exit reported)%n", RUNS);
      report("glasshouse level 00", measure(rt, Feature.upTo(0)));
      report("glasshouse level 12", measure(rt, Feature.upTo(12)));
      out.println("  (warm pool: the next start's init stage is spawned and waiting between runs)");
      Path rootfs = rt.imageRootfs("busybox");
      if (!onPath("crun")) {
        out.println(
            "  crun                   not installed (apt-get install -y crun): no comparison");
      } else {
        try {
          report("crun run (same rootfs)", crun(rootfs, state));
        } catch (IOException e) {
          out.println("  crun                   could not run here: " + e.getMessage());
        }
      }
      out.println("  goal: level 12 no slower than crun");
    } finally {
      SafeDelete.deleteTree(state);
    }
  }

  private void report(String what, List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    out.printf(
        "  %-22s median %7.1f ms   min %7.1f ms   p90 %7.1f ms%n",
        what, ms(s.get(s.size() / 2)), ms(s.get(0)), ms(s.get((int) (s.size() * 0.9))));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static List<Long> measure(LinuxContainerRuntime rt, java.util.Set<Feature> f)
      throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < WARMUP + RUNS; i++) {
      String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
      CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
      RunSpec spec =
          new RunSpec(
              "busybox",
              List.of("/bin/true"),
              Map.of("PATH", "/bin"),
              null,
              false,
              null,
              null,
              null,
              f,
              new Limits(64L << 20, null, null, null, 32),
              null,
              null,
              null,
              false,
              null,
              null);
      long t0 = System.nanoTime();
      rt.start(id, spec, new Silent(exit));
      exit.get(60, TimeUnit.SECONDS);
      long t = System.nanoTime() - t0;
      rt.remove(id, true);
      if (i >= WARMUP) {
        times.add(t);
      }
      // A student starts containers seconds apart: give the pool the time to refill.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!rt.warmPoolReady(f) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    return times;
  }

  /** crun run of the same rootfs (a bundle with crun's default spec, args {@code /bin/true}). */
  private static List<Long> crun(Path rootfs, Path state) throws Exception {
    Path bundle = state.resolve("crun-bundle");
    Files.createDirectories(bundle);
    if (new ProcessBuilder("crun", "spec").directory(bundle.toFile()).start().waitFor() != 0) {
      throw new IOException("crun spec failed");
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode spec = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
    ((ObjectNode) spec.get("process")).put("terminal", false);
    ArrayNode args = ((ObjectNode) spec.get("process")).putArray("args");
    args.add("/bin/true");
    ((ObjectNode) spec.get("root")).put("path", rootfs.toString());
    json.writeValue(bundle.resolve("config.json").toFile(), spec);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < WARMUP + RUNS; i++) {
      String id = "glasshouse-bench-" + i + "-" + ProcessHandle.current().pid();
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  "crun",
                  "--root",
                  state.resolve("crun-state").toString(),
                  "run",
                  "-b",
                  bundle.toString(),
                  id)
              .redirectErrorStream(true)
              .start();
      byte[] said = p.getInputStream().readAllBytes();
      int code = p.waitFor();
      long t = System.nanoTime() - t0;
      if (code != 0) {
        throw new IOException(
            "crun run failed with status " + code + ": " + new String(said).strip());
      }
      if (i >= WARMUP) {
        times.add(t);
      }
    }
    return times;
  }

  private static boolean onPath(String cmd) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      if (Files.isExecutable(Path.of(dir, cmd))) {
        return true;
      }
    }
    return false;
  }

  /** A listener that only waits for the exit. */
  private record Silent(CompletableFuture<ExitStatus> exit) implements ContainerListener {
    @Override
    public void step(String containerId, StepEntry entry) {}

    @Override
    public void started(String containerId, long hostPid) {}

    @Override
    public void output(String containerId, String stream, byte[] data) {}

    @Override
    public void exited(String containerId, ExitStatus status) {
      exit.complete(status);
    }
  }

  /** {@code java … StartLatencyBenchmark}: runs it on its own. */
  public static void main(String[] args) throws Exception {
    new StartLatencyBenchmark(System.out).run();
  }
}
