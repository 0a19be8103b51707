package org.glasshouse.app.cgroups;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.Op;
import org.glasshouse.protocol.RunSpec;

/**
 * Records real telemetry for the view-model tests' fixtures: runs level 08's contention pair, a
 * level-09 memory hog and a level-12 fork flood on a real helper, subscribed to every container's
 * telemetry (10 Hz) and lifecycle, and writes the helper's events as they came, one JSON object a
 * line, after a header line saying what was run. Not a test: run it as root against your own
 * helper, then copy the files into {@code src/test/resources/org/glasshouse/app/cgroups/fixtures}
 * ({@code /tmp/gh.cp} made as {@link ChartsBenchmark} says):
 *
 * <pre>
 * java -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.cgroups.TelemetryRecorder /tmp/h.sock hybrid out-dir
 * </pre>
 */
public final class TelemetryRecorder {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The level-09 hog, an awk program: keeps one more MiB string every 0.2 s, 64 times (so without a
   * limit it ends at 64 MiB instead of eating the machine). Its usage climbs in even steps to the
   * limit; a shell variable that grows ({@code y="$y$x"}) copies itself each time, so its usage
   * saws between the string's size and twice that, and the limit is hit by a copy the 10 Hz samples
   * rarely catch. The hybrid fixture was recorded with that shell loop.
   */
  static final String MEMORY_HOG =
      "BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 64; i++) { a[i] = s i;"
          + " system(\"usleep 200000\") } }";

  /**
   * The level-12 flood: awk forks "sleep 30 &" for ever; a refused fork is a -1 from system(), not
   * the end (a shell that cannot fork gives up, and its container ends at once).
   */
  static final String FORK_FLOOD = "BEGIN { while (1) system(\"sleep 30 &\") }";

  private TelemetryRecorder() {}

  /** Level 08, the given shares, a 90 s busy loop pinned to CPU 0 (the recorded fixture's pair). */
  static RunSpec pinnedBusyLoop(int shares) {
    String loop =
        "end=$(($(date +%s)+90)); while [ $(date +%s) -lt $end ]; do i=0;"
            + " while [ $i -lt 20000 ]; do i=$((i+1)); done; done";
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("taskset", "-c", "0", "sh", "-c", loop))
        .env(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"))
        .level(8)
        .limits(new Limits(null, null, shares, null, null))
        .hostname("shares-" + shares)
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    String host = args[1];
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    record(
        socket,
        out.resolve(host + "-contention.jsonl"),
        "level 08, shares 512 and 1024, both pinned to CPU 0 (pinnedBusyLoop)",
        List.of(pinnedBusyLoop(512), pinnedBusyLoop(1024)),
        15_000);
    record(
        socket,
        out.resolve(host + "-memory.jsonl"),
        "level 09, memory 32m, mem+swap 32m: awk '" + MEMORY_HOG + "'",
        List.of(
            spec(
                9, new Limits(32L << 20, 32L << 20, null, null, null), "awk '" + MEMORY_HOG + "'")),
        12_000);
    record(
        socket,
        out.resolve(host + "-pids.jsonl"),
        "level 12, pids max 16: awk '" + FORK_FLOOD + "'",
        List.of(
            RunSpec.builder()
                .image("busybox")
                .argv(List.of("awk", FORK_FLOOD))
                .env(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"))
                .level(12)
                .limits(new Limits(null, null, null, null, 16))
                .build()),
        6_000);
  }

  static RunSpec spec(int level, Limits limits, String script) {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("sh", "-c", script))
        .env(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"))
        .level(level)
        .limits(limits)
        .build();
  }

  private static void record(Path socket, Path file, String what, List<RunSpec> specs, long millis)
      throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (HelperClient c =
        HelperClient.connect(
            socket,
            "glasshouse-recorder",
            e -> {
              String type = e.body().path("event").asText();
              if (type.equals("telemetry") || type.equals("exited")) {
                synchronized (lines) {
                  lines.add(e.body().toString());
                }
              }
            })) {
      ObjectNode sub = JSON.createObjectNode();
      sub.set("topics", JSON.valueToTree(List.of("telemetry", "lifecycle")));
      sub.put("intervalMs", 100);
      c.call(Op.SUBSCRIBE, sub);
      for (RunSpec s : specs) {
        ObjectNode run = JSON.createObjectNode().put("attach", false);
        run.set("spec", JSON.valueToTree(s));
        ids.add(c.call(Op.RUN, run).path("container").asText());
      }
      Thread.sleep(millis); // the recording's length: samples arrive meanwhile
      for (String id : ids) {
        ObjectNode rm = JSON.createObjectNode().put("container", id).put("force", true);
        c.call(Op.REMOVE, rm);
      }
    }
    ObjectNode header = JSON.createObjectNode();
    header.put("fixture", file.getFileName().toString());
    header.put("recorded", Instant.now().toString());
    header.put("what", what);
    header.set("containers", JSON.valueToTree(ids));
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header.toString());
      w.newLine();
      synchronized (lines) {
        for (String l : lines) {
          w.write(l);
          w.newLine();
        }
      }
    }
    System.out.println(file + ": " + lines.size() + " events");
  }
}
