package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;
import org.glasshouse.helper.text.Printable;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.Messages;
import org.glasshouse.protocol.Op;

/**
 * {@code glasshouse bench soak [--minutes N]} (default 30): 20 clients, each over connections of
 * its own as CLI commands make them, doing a mix of {@code run} (attached, at a random level, its
 * output and exit checked), {@code exec} (into a container of the client's, checked the same way),
 * {@code rm} (of a detached container), {@code inspect}, {@code stats} and {@code logs} against a
 * helper of the benchmark's own (started with the launcher's JVM options). Every failure is printed
 * as it happens; every minute a line gives the operations done, the failures, and the helper's RSS,
 * fds and threads; at the end, the same as first / last / max. The targets: 0 failures, RSS and fds
 * flat.
 */
final class SoakBenchmark {

  static final int CLIENTS = 20;

  private final PrintStream out;
  private final int minutes;

  /** The operations, and how often each is picked (weights of 100). */
  enum Kind {
    RUN(30),
    EXEC(20),
    RM(15),
    INSPECT(15),
    STATS(10),
    LOGS(10);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }

    static Kind pick() {
      int r = ThreadLocalRandom.current().nextInt(100);
      for (Kind k : values()) {
        r -= k.weight;
        if (r < 0) {
          return k;
        }
      }
      return RUN;
    }
  }

  private final Map<Kind, AtomicLong> done = new EnumMap<>(Kind.class);
  private final Map<Kind, AtomicLong> failed = new EnumMap<>(Kind.class);
  private final AtomicLong sequence = new AtomicLong();
  private long startNanos;

  SoakBenchmark(PrintStream out, int minutes) {
    this.out = out;
    this.minutes = minutes;
    for (Kind k : Kind.values()) {
      done.put(k, new AtomicLong());
      failed.put(k, new AtomicLong());
    }
  }

  void run() throws Exception {
    Path images = Installation.imagesDir(System.getenv(), Installation.home());
    if (!Files.isRegularFile(images.resolve("busybox.tar"))) {
      out.println("bench soak: no busybox image in " + images);
      return;
    }
    out.printf(
        "bench soak: %d clients for %d minutes: run (attached, random level) %d%%, exec %d%%, rm"
            + " %d%%, inspect %d%%, stats %d%%, logs %d%%; targets: 0 failures, RSS and fds flat%n",
        CLIENTS,
        minutes,
        Kind.RUN.weight,
        Kind.EXEC.weight,
        Kind.RM.weight,
        Kind.INSPECT.weight,
        Kind.STATS.weight,
        Kind.LOGS.weight);
    try (HelperProcess helper = HelperProcess.start(images)) {
      out.printf(
          "  helper pid %d (%s), idle: RSS %d MiB, %d fds, %d threads%n",
          helper.pid(),
          String.join(" ", HelperJvm.options()),
          helper.rssBytes() >> 20,
          helper.fds(),
          helper.threads());
      long idleFds = helper.fds();
      out.println("  minute    ops  failures   RSS MiB   fds  threads   ops/min by kind");
      List<long[]> samples = new ArrayList<>();
      startNanos = System.nanoTime();
      long end = startNanos + TimeUnit.MINUTES.toNanos(minutes);
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      CountDownLatch finished = new CountDownLatch(CLIENTS);
      for (int i = 0; i < CLIENTS; i++) {
        int n = i;
        pool.execute(
            () -> {
              try {
                client(helper.socket(), n, end);
              } finally {
                finished.countDown();
              }
            });
      }
      long[] lastCounts = counts();
      for (int minute = 1; minute <= minutes; minute++) {
        long at = startNanos + TimeUnit.MINUTES.toNanos(minute);
        long wait = at - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait)); // the next minute's line
        }
        long[] now = counts();
        long[] sample = {minute, helper.rssBytes(), helper.fds(), helper.threads()};
        samples.add(sample);
        StringBuilder kinds = new StringBuilder();
        for (Kind k : Kind.values()) {
          kinds
              .append(k.name().toLowerCase(java.util.Locale.ROOT))
              .append(' ')
              .append(now[k.ordinal()] - lastCounts[k.ordinal()])
              .append("  ");
        }
        lastCounts = now;
        out.printf(
            "  %6d  %5d  %8d  %8d  %4d  %7d   %s%n",
            minute,
            total(done),
            total(failed),
            sample[1] >> 20,
            sample[2],
            sample[3],
            kinds.toString().trim());
      }
      finished.await(10, TimeUnit.MINUTES);
      pool.shutdownNow();
      summary(samples);
      // At rest again: every container removed, every connection closed.
      awaitNoContainers(helper);
      Thread.sleep(3000); // connections and pool refills settle
      out.printf(
          "  at rest after the soak: RSS %d MiB, %d fds, %d threads (idle before: %d fds)%n",
          helper.rssBytes() >> 20, helper.fds(), helper.threads(), idleFds);
      out.println("    fds: " + helper.fdKinds());
    }
  }

  private static void awaitNoContainers(HelperProcess helper) throws Exception {
    try (HelperClient c = HelperClient.connect(helper.socket(), "soak-end", e -> {})) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (c.call(Op.PS, Json.object().put("all", true)).get("containers").size() > 0
          && System.nanoTime() < deadline) {
        Thread.sleep(500); // the last removals
      }
    }
  }

  private long[] counts() {
    long[] c = new long[Kind.values().length];
    for (Kind k : Kind.values()) {
      c[k.ordinal()] = done.get(k).get();
    }
    return c;
  }

  private static long total(Map<Kind, AtomicLong> m) {
    return m.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void summary(List<long[]> samples) {
    out.printf("  done: %d operations, %d failures%n", total(done), total(failed));
    for (Kind k : Kind.values()) {
      out.printf(
          "    %-8s %6d ok, %d failed%n",
          k.name().toLowerCase(java.util.Locale.ROOT), done.get(k).get(), failed.get(k).get());
    }
    if (samples.isEmpty()) {
      return;
    }
    // Flat or growing: the first third of the minutes against the last third, each as its median
    // and spread (min..max), and the drift of the medians.
    int third = Math.max(1, samples.size() / 3);
    List<long[]> early = samples.subList(0, third);
    List<long[]> late = samples.subList(samples.size() - third, samples.size());
    out.printf(
        "  flat? first %d min vs last %d min, median (min..max); target: drift ~0%n", third, third);
    String[] names = {"RSS MiB", "fds", "threads"};
    for (int i = 1; i <= 3; i++) {
      int col = i;
      int shift = col == 1 ? 20 : 0;
      long[] a = early.stream().mapToLong(x -> x[col] >> shift).sorted().toArray();
      long[] b = late.stream().mapToLong(x -> x[col] >> shift).sorted().toArray();
      long ma = median(a);
      long mb = median(b);
      long max = samples.stream().mapToLong(x -> x[col] >> shift).max().orElse(0);
      out.printf(
          "  %-8s %6d (%d..%d)  vs  %6d (%d..%d)   drift %+d (%+.1f%%), max over the soak %d%n",
          names[col - 1],
          ma,
          a[0],
          a[a.length - 1],
          mb,
          b[0],
          b[b.length - 1],
          mb - ma,
          ma == 0 ? 0.0 : 100.0 * (mb - ma) / ma,
          max);
    }
  }

  private static long median(long[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** One client: its own long-running container for exec, inspect and logs; ops until the end. */
  private void client(Path socket, int n, long end) {
    String target = null;
    while (System.nanoTime() < end) {
      if (target == null) {
        try {
          target = detached(socket, 12, "/bin/sleep", "100000");
        } catch (Exception e) {
          fail(Kind.RUN, n, "setting up its container: " + e.getMessage());
          pause();
          continue;
        }
      }
      Kind k = Kind.pick();
      String problem;
      try {
        problem = operation(socket, k, target);
      } catch (Exception e) {
        problem = e.getMessage();
      }
      if (problem == null) {
        done.get(k).incrementAndGet();
      } else {
        fail(k, n, problem);
        pause();
      }
    }
    if (target != null) {
      try (HelperClient c = HelperClient.connect(socket, "soak", e -> {})) {
        c.call(Op.REMOVE, Json.object().put("container", target).put("force", true));
      } catch (HelperException e) {
        fail(Kind.RM, n, "removing its container at the end: " + e.getMessage());
      }
    }
  }

  /**
   * After a failure, a second's pause: a client that retried at once would turn one refusal (a full
   * table, say) into thousands a minute and measure its own loop instead of the helper.
   */
  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void fail(Kind k, int client, String problem) {
    failed.get(k).incrementAndGet();
    out.printf(
        "  FAILED at %ds, client %d, %s: %s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
        client,
        k.name().toLowerCase(java.util.Locale.ROOT),
        Printable.escape(problem));
  }

  /** Does one operation; null when it did what it should, else what went wrong. */
  private String operation(Path socket, Kind k, String target) throws Exception {
    long n = sequence.incrementAndGet();
    switch (k) {
      case RUN -> {
        int level = ThreadLocalRandom.current().nextInt(Feature.MAX_LEVEL + 1);
        return attached(socket, Op.RUN, null, level, "echo soak-" + n, "soak-" + n + "\n");
      }
      case EXEC -> {
        return attached(socket, Op.EXEC, target, null, "echo exec-" + n, "exec-" + n + "\n");
      }
      case RM -> {
        int level = ThreadLocalRandom.current().nextInt(Feature.MAX_LEVEL + 1);
        String id = detached(socket, level, "/bin/sleep", "600");
        try (HelperClient c = HelperClient.connect(socket, "soak-rm", e -> {})) {
          c.call(Op.REMOVE, Json.object().put("container", id).put("force", true));
          for (JsonNode row : c.call(Op.PS, Json.object().put("all", true)).get("containers")) {
            if (row.get("id").asText().equals(id)) {
              return "container " + id + " still listed after rm";
            }
          }
        }
        return null;
      }
      case INSPECT -> {
        try (HelperClient c = HelperClient.connect(socket, "soak-inspect", e -> {})) {
          JsonNode r = c.call(Op.INSPECT, Json.object().put("container", target));
          return r.path("processes").size() > 0 ? null : "inspect listed no process: " + r;
        }
      }
      case STATS -> {
        try (HelperClient c = HelperClient.connect(socket, "soak-stats", e -> {})) {
          JsonNode r = c.call(Op.STATS, Json.object());
          return r.path("containers").isArray() ? null : "stats without containers: " + r;
        }
      }
      case LOGS -> {
        try (HelperClient c = HelperClient.connect(socket, "soak-logs", e -> {})) {
          JsonNode r = c.call(Op.LOGS, Json.object().put("container", target));
          return r.has("bytes") ? null : "logs without bytes: " + r;
        }
      }
      default -> throw new IllegalStateException(k.name());
    }
  }

  private static ObjectNode spec(Integer level, String... argv) {
    ObjectNode spec = Json.object();
    if (level != null) {
      spec.put("image", "busybox").put("level", level);
    }
    spec.set("argv", Json.tree(List.of(argv)));
    spec.set("env", Json.tree(Map.of("PATH", "/bin:/usr/bin")));
    return spec;
  }

  private static String detached(Path socket, int level, String... argv) throws HelperException {
    try (HelperClient c = HelperClient.connect(socket, "soak-run-d", e -> {})) {
      ObjectNode f = Json.object().put("attach", false);
      f.set("spec", spec(level, argv));
      return c.call(Op.RUN, f).get("container").asText();
    }
  }

  /** A run or exec, attached: its stdout must be {@code expected} and its exit 0. */
  private static String attached(
      Path socket, Op op, String target, Integer level, String script, String expected)
      throws Exception {
    StringBuilder stdout = new StringBuilder();
    CountDownLatch exited = new CountDownLatch(1);
    AtomicReference<JsonNode> exit = new AtomicReference<>();
    AtomicReference<String> closed = new AtomicReference<>();
    HelperClient.Listener l =
        new HelperClient.Listener() {
          @Override
          public void event(org.glasshouse.protocol.Incoming.Event e) {
            if (e.type().equals("output") && "stdout".equals(e.body().path("stream").asText())) {
              synchronized (stdout) {
                stdout.append(
                    new String(
                        Messages.decode(e.body().get("data").asText()), StandardCharsets.UTF_8));
              }
            } else if (e.type().equals("exited")) {
              exit.set(e.body());
              exited.countDown();
            }
          }

          @Override
          public void closed(String reason) {
            closed.set(reason);
            exited.countDown();
          }
        };
    try (HelperClient c = HelperClient.connect(socket, "soak-" + op.wireName(), l)) {
      ObjectNode f = Json.object().put("attach", true);
      if (op == Op.RUN) {
        ObjectNode s = spec(level, "/bin/sh", "-c", script);
        s.put("rm", true);
        f.set("spec", s);
      } else {
        f.put("container", target);
        f.set("spec", spec(null, "/bin/sh", "-c", script));
      }
      c.call(op, f);
      if (!exited.await(5, TimeUnit.MINUTES)) {
        return "no exit within 5 minutes";
      }
    } catch (HelperException e) {
      return op.wireName() + " refused: " + e.getMessage();
    }
    if (exit.get() == null) {
      return "lost the connection: " + closed.get();
    }
    synchronized (stdout) {
      if (!stdout.toString().equals(expected) || exit.get().path("code").asInt(-1) != 0) {
        return (level == null ? "" : "level " + level + ": ")
            + "printed '"
            + stdout
            + "', "
            + exit.get();
      }
    }
    return null;
  }
}
