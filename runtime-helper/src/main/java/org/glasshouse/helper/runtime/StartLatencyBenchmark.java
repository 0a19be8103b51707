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
 * {@code glasshouse bench start}: start latency of {@code true}, request → exit reported, median
 * and spread of 30 runs, at level 00, at level 12 (every namespace, overlay, pivot_root, cgroups,
 * setuid-free caps) and 13 (the same plus the seccomp filter; 12 and 13 interleaved, run by run, so
 * the machine's load changes both alike) and at level 12 without cgroups, side by side with {@code
 * crun run} of the same rootfs when crun is installed — with v1 cgroups and the same limits, and
 * with {@code --cgroup-manager=disabled}. crun refuses hybrid hosts, so there it runs from a thread
 * whose private mount namespace lacks the cgroup2 mount. Runs as root on a temporary state dir and
 * a unique cgroup parent; prints figures, asserts nothing.
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
      List<Run> pair = measureInterleaved(rt, List.of(Feature.upTo(12), Feature.upTo(13)));
      List<Long> twelve = pair.stream().filter(r -> r.set() == 0).map(Run::nanos).toList();
      List<Long> thirteen = pair.stream().filter(r -> r.set() == 1).map(Run::nanos).toList();
      report("glasshouse level 12", twelve);
      report("glasshouse level 13", thirteen);
      out.printf(
          "  (13 - 12: %+.1f ms between the medians; the seccomp step itself: median %.2f ms,"
              + " max %.2f ms)%n",
          ms(median(thirteen) - median(twelve)),
          ms(median(pair.stream().filter(r -> r.set() == 1).map(Run::filterNanos).toList())),
          ms(pair.stream().filter(r -> r.set() == 1).mapToLong(Run::filterNanos).max().orElse(0)));
      report("level 12 w/o cgroups", measure(rt, withoutCgroups()));
      out.println("  (warm pool: the next start's init stage is spawned and waiting between runs)");
      Path coldState = Files.createTempDirectory("glasshouse-bench-cold-");
      try (LinuxContainerRuntime cold =
          new LinuxContainerRuntime(
              RuntimeConfig.of(coldState, imagesDir)
                  .withCgroupParent(parent + "-cold")
                  .withWarmPool(0))) {
        report("level 12, no warm pool", measure(cold, Feature.upTo(12)));
      } finally {
        SafeDelete.deleteTree(coldState);
      }
      Path rootfs = rt.imageRootfs("busybox");
      if (!onPath("crun")) {
        out.println(
            "  crun                   not installed (apt-get install -y crun): no comparison");
      } else {
        try {
          List<List<Long>> crun = inCrunNamespace(() -> crun(rootfs, state));
          report("crun run, v1 cgroups", crun.get(0));
          report("crun w/o cgroups", crun.get(1));
          if (hybrid()) {
            out.println(
                "  (crun refuses hybrid hosts: it runs in a private mount namespace with the"
                    + " cgroup2 'unified' mount detached, so it sees cgroup v1 only)");
          }
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
        "  %-22s median %7.1f ms   min %7.1f ms   p90 %7.1f ms   max %7.1f ms%n",
        what,
        ms(s.get(s.size() / 2)),
        ms(s.get(0)),
        ms(s.get((int) (s.size() * 0.9))),
        ms(s.get(s.size() - 1)));
  }

  /**
   * Level 12 without the cgroup features (cpu, memory, pids, cgroup namespace): the feature set
   * closest to {@code crun --cgroup-manager=disabled} with crun's default spec.
   */
  static java.util.Set<Feature> withoutCgroups() {
    java.util.Set<Feature> f = java.util.EnumSet.copyOf(Feature.upTo(12));
    f.removeAll(
        List.of(Feature.CGROUP_CPU, Feature.CGROUP_MEMORY, Feature.CGROUP_PIDS, Feature.CGROUP_NS));
    return f;
  }

  private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

  /** A hybrid host: v1 controllers plus a cgroup2 mount at {@code unified}. */
  private static boolean hybrid() {
    return Files.exists(UNIFIED.resolve("cgroup.controllers"));
  }

  /** A benchmark body that may fail. */
  @FunctionalInterface
  private interface Body<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code body} on a throwaway thread which, on a hybrid host, has a private mount namespace
   * with the cgroup2 mount detached: crun refuses hybrid hosts ("cgroups in hybrid mode not
   * supported"), and its children inherit the thread's namespace. The host's mounts are untouched.
   */
  private static <T> T inCrunNamespace(Body<T> body) throws Exception {
    if (!hybrid()) {
      return body.run();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                org.glasshouse.helper.linux.Syscalls sys =
                    new org.glasshouse.helper.linux.JnaSyscalls();
                sys.unshare(org.glasshouse.helper.linux.Flags.CLONE_NEWNS);
                sys.mount(
                    null,
                    "/",
                    null,
                    org.glasshouse.helper.linux.Flags.MS_REC
                        | org.glasshouse.helper.linux.Flags.MS_PRIVATE,
                    null);
                sys.umount2(UNIFIED.toString(), org.glasshouse.helper.linux.Flags.MNT_DETACH);
                result.complete(body.run());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "glasshouse-bench-crun");
    t.start();
    try {
      return result.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long median(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  /**
   * One timed start.
   *
   * @param set which feature set of the interleaved ones
   * @param nanos request → exit reported
   * @param filterNanos the seccomp step's own duration, 0 without one
   */
  private record Run(int set, long nanos, long filterNanos) {}

  private static List<Long> measure(LinuxContainerRuntime rt, java.util.Set<Feature> f)
      throws Exception {
    return measureInterleaved(rt, List.of(f)).stream().map(Run::nanos).toList();
  }

  /** {@link #RUNS} starts of each set, the sets taking turns run by run. */
  private static List<Run> measureInterleaved(
      LinuxContainerRuntime rt, List<java.util.Set<Feature>> sets) throws Exception {
    List<Run> times = new ArrayList<>();
    for (int n = 0; n < (WARMUP + RUNS) * sets.size(); n++) {
      int i = n / sets.size();
      int set = n % sets.size();
      java.util.Set<Feature> f = sets.get(set);
      String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
      CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
      RunSpec spec =
          RunSpec.builder()
              .image("busybox")
              .argv(List.of("/bin/true"))
              .env(Map.of("PATH", "/bin"))
              .features(f)
              .limits(new Limits(64L << 20, null, null, null, 32))
              .build();
      long t0 = System.nanoTime();
      rt.start(id, spec, new Silent(exit));
      exit.get(60, TimeUnit.SECONDS);
      long t = System.nanoTime() - t0;
      long filter =
          rt.find(id).map(Container::steps).orElse(List.of()).stream()
              .filter(e -> e.step().equals("seccomp"))
              .mapToLong(StepEntry::durationNanos)
              .sum();
      rt.remove(id, true);
      if (i >= WARMUP) {
        times.add(new Run(set, t, filter));
      }
      // A student starts containers seconds apart: give the pool the time to refill.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (rt.warmPoolSize() > 0 && !rt.warmPoolReady(f) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    return times;
  }

  /**
   * crun run of the same rootfs (a bundle with crun's default spec, args {@code /bin/true}): with
   * v1 cgroups and the limits our level 12 sets (memory 64 MiB, 32 pids), then with {@code
   * --cgroup-manager=disabled} and no resources.
   */
  private static List<List<Long>> crun(Path rootfs, Path state) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path with = bundle(json, rootfs, state.resolve("crun-bundle"), true);
    Path without = bundle(json, rootfs, state.resolve("crun-bundle-nocg"), false);
    return List.of(
        crunRuns(with, state, List.of()),
        crunRuns(without, state, List.of("--cgroup-manager=disabled")));
  }

  private static Path bundle(ObjectMapper json, Path rootfs, Path bundle, boolean cgroups)
      throws Exception {
    Files.createDirectories(bundle);
    if (new ProcessBuilder("crun", "spec").directory(bundle.toFile()).start().waitFor() != 0) {
      throw new IOException("crun spec failed");
    }
    ObjectNode spec = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
    ((ObjectNode) spec.get("process")).put("terminal", false);
    ArrayNode args = ((ObjectNode) spec.get("process")).putArray("args");
    args.add("/bin/true");
    ((ObjectNode) spec.get("root")).put("path", rootfs.toString());
    ObjectNode linux = (ObjectNode) spec.get("linux");
    if (cgroups) {
      ObjectNode res =
          linux.has("resources")
              ? (ObjectNode) linux.get("resources")
              : linux.putObject("resources");
      res.putObject("memory").put("limit", 64L << 20);
      res.putObject("pids").put("limit", 32);
    } else {
      linux.remove("resources");
    }
    json.writeValue(bundle.resolve("config.json").toFile(), spec);
    return bundle;
  }

  private static List<Long> crunRuns(Path bundle, Path state, List<String> global)
      throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < WARMUP + RUNS; i++) {
      String id =
          "glasshouse-bench-"
              + bundle.getFileName()
              + "-"
              + i
              + "-"
              + ProcessHandle.current().pid();
      List<String> cmd = new ArrayList<>(List.of("crun"));
      cmd.addAll(global);
      cmd.addAll(
          List.of(
              "--root",
              state.resolve("crun-state").toString(),
              "run",
              "-b",
              bundle.toString(),
              id));
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
