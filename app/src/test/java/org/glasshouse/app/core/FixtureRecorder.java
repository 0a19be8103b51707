package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.app.RealHelper;
import org.glasshouse.protocol.Json;
import org.glasshouse.testsupport.Transcript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Records the fixtures of {@code fixtures/} from a REAL helper: starts {@code
 * org.glasshouse.cli.Main helper} from the test class path on a temporary socket and state
 * directory, runs one scenario per file on a connection of its own, and writes every line it sent
 * and received, in order. Not part of the suite (its name is not a test's): run it on purpose, as
 * root, with the busybox image —
 *
 * <pre>
 * ./mvnw -B -pl runtime-helper,app -am verify -Dtest=FixtureRecorder \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true
 * </pre>
 *
 * It writes into {@code app/src/test/resources/org/glasshouse/app/fixtures/} (or {@code
 * -Dglasshouse.fixtures=DIR}); {@code FixturesTest} then checks every file replays into typed
 * events.
 */
@Tag("root")
class FixtureRecorder {
  private static final Map<String, String> ENV = Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin");

  /**
   * A memory hog: a shell variable grows by 1 MiB every 0.2 s (the shell briefly holds the old and
   * the new string), so usage ramps to the limit over a few seconds, then the OOM killer ends it.
   */
  private static final String HOG =
      "x=$(head -c 1m /dev/zero | tr '\\0' x); y=$x; while :; do y=\"$y$x\"; sleep 0.2; done";

  /**
   * A fork flood that leaves the container alive: the inner shell starts sleeps until fork fails
   * (and dies of it, as a non-interactive ash does); the sleeps it started keep pids at the limit
   * while PID 1 waits without forking ({@code exec}).
   */
  private static final String FLOOD =
      "sh -c 'for i in $(seq 1 40); do sleep 4 & done; wait'; echo the flood hit the limit;"
          + " exec sleep 5";

  private static RealHelper helper;
  private static Path socket;
  private static Path out;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = RealHelper.start("FixtureRecorder");
    socket = helper.socket();
    out =
        Path.of(
            System.getProperty(
                "glasshouse.fixtures", "src/test/resources/org/glasshouse/app/fixtures"));
    Files.createDirectories(out);
    helper.awaitSocket(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopHelper() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  /**
   * Records every scenario. Below level 06 the long-lived commands {@code exec} their sleep:
   * without a PID namespace (or, below 08, a cgroup) removing a container kills its first process
   * only, so a child sleep would outlive the removal, and the helper then sends {@code removed}
   * before {@code exited}.
   */
  @Test
  void record() throws Exception {
    simple(
        "level-00",
        "level 00: a command on the host, every namespace the host's, no cgroup of its own",
        spec(0, "sh", "-c", "echo hello from level 00; exec sleep 30"),
        250,
        false);
    try (Transcript t = scenario("level-01", "level 01: chroot; its mounts leak into the host's")) {
      t.subscribeInspection(250);
      String id = t.run(spec(1, "sleep", "30"));
      t.pause(500);
      t.mounts(id, true);
      t.mounts("host", false);
      t.inspect(id, false);
      t.stop(id);
    }
    simple(
        "level-04",
        "level 04: overlay; a new file and a whiteout in the upper directory",
        spec(4, "sh", "-c", "echo x > /new; rm /bin/ls; exec sleep 30"),
        250,
        true);
    simple(
        "level-05",
        "level 05: own UTS namespace, hostname = container id",
        spec(5, "sh", "-c", "hostname; exec sleep 30"),
        250,
        false);
    simple(
        "level-06",
        "level 06: own PID namespace, the shell is PID 1",
        spec(6, "sh", "-c", "sleep 30 & wait"),
        250,
        false);
    try (Transcript t =
        scenario(
            "level-06-exec",
            "level 06 and an exec into it: the exec'd process joins the same namespaces, then"
                + " leaves")) {
      t.subscribeInspection(250);
      String id = t.run(spec(6, "sleep", "30"));
      t.pause(800);
      ObjectNode exec = Json.object().put("container", id).put("attach", true);
      exec.set("spec", Json.tree(Map.of("argv", List.of("sh", "-c", "sleep 1.2"), "env", ENV)));
      String execId = t.call("exec", exec).path("container").asText();
      t.await("the exec exited", e -> Transcript.isEvent(e, "exited", execId));
      t.pause(600);
      t.inspect(id, false);
      t.stop(id);
    }
    try (Transcript t =
        scenario(
            "level-09-oom",
            "level 09: a memory hog under a 32 MiB limit (no swap) climbs to it and is"
                + " OOM-killed")) {
      t.subscribeInspection(100);
      ObjectNode spec = spec(9, "sh", "-c", HOG);
      spec.set("limits", Json.tree(Map.of("memoryBytes", 32L << 20, "memorySwapBytes", 32L << 20)));
      String id = t.run(spec);
      t.pause(300);
      t.inspect(id, false);
      t.await("the OOM kill", e -> Transcript.isEvent(e, "exited", id));
      t.finish(id);
    }
    try (Transcript t =
        scenario(
            "level-12-forkflood",
            "level 12: a fork flood under pids.max 16: forks are refused, the container lives on")) {
      t.subscribeInspection(100);
      ObjectNode spec = spec(12, "sh", "-c", FLOOD);
      spec.set("limits", Json.tree(Map.of("pidsMax", 16)));
      String id = t.run(spec);
      t.pause(500);
      t.inspect(id, false);
      t.call("stats", Json.object());
      t.await("the flood ended", e -> Transcript.isEvent(e, "exited", id));
      t.finish(id);
    }
  }

  /**
   * The cgroup charts' scenarios ({@code CgroupChartsViewModelTest}): level 08's contention pair,
   * an awk memory hog whose OOM kill comes after its last sample, and an awk fork flood. Recorded
   * on their own ({@code -Dtest=FixtureRecorder#recordCharts}): they take half a minute.
   */
  @Test
  void recordCharts() throws Exception {
    String loop =
        "end=$(($(date +%s)+90)); while [ $(date +%s) -lt $end ]; do i=0;"
            + " while [ $i -lt 20000 ]; do i=$((i+1)); done; done";
    try (Transcript t =
        scenario(
            "level-08-contention",
            "level 08: two busy loops pinned to CPU 0, cpu.shares 512 and 1024, 15 s")) {
      t.subscribeInspection(100);
      List<String> ids = new ArrayList<>();
      for (int shares : new int[] {512, 1024}) {
        ObjectNode spec = spec(8, "taskset", "-c", "0", "sh", "-c", loop);
        spec.set("limits", Json.tree(Map.of("cpuShares", shares)));
        ids.add(t.run(spec));
      }
      t.pause(15_000);
      t.inspect(ids.get(0), false);
      for (String id : ids) {
        t.stop(id);
      }
    }
    try (Transcript t =
        scenario(
            "level-09-awk-oom",
            "level 09: an awk array growing 1 MiB every 0.2 s under memory and mem+swap 32 MiB;"
                + " the OOM kill often lands between two samples (then only the exit says so)")) {
      t.subscribeInspection(100);
      ObjectNode spec =
          spec(
              9,
              "awk",
              "BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 64; i++) { a[i] = s i;"
                  + " system(\"usleep 200000\") } }");
      spec.set("limits", Json.tree(Map.of("memoryBytes", 32L << 20, "memorySwapBytes", 32L << 20)));
      String id = t.run(spec);
      t.pause(300);
      t.inspect(id, false);
      t.finish(id);
    }
    try (Transcript t =
        scenario(
            "level-12-awk-flood",
            "level 12: awk forks 'sleep 30 &' for ever under pids.max 16 (a refused fork is -1,"
                + " not the end), 6 s")) {
      t.subscribeInspection(100);
      ObjectNode spec = spec(12, "awk", "BEGIN { while (1) system(\"sleep 30 &\") }");
      spec.set("limits", Json.tree(Map.of("pidsMax", 16)));
      String id = t.run(spec);
      t.pause(6000);
      t.inspect(id, false);
      t.stop(id);
    }
  }

  /** A container of one level watched from start to exit, inspected once while it runs. */
  private static void simple(
      String name, String description, ObjectNode spec, int intervalMs, boolean upper)
      throws Exception {
    try (Transcript t = scenario(name, description)) {
      t.subscribeInspection(intervalMs);
      String id = t.run(spec);
      t.pause(500);
      t.mounts(id, true);
      t.inspect(id, upper);
      t.inspect("host", false);
      t.stop(id);
    }
  }

  private static ObjectNode spec(int level, String... argv) {
    ObjectNode s = Json.object().put("image", "busybox").put("level", level);
    s.set("argv", Json.tree(List.of(argv)));
    s.set("env", Json.tree(ENV));
    return s;
  }

  /** One scenario's connection and file ({@link Transcript}), a minute's patience per wait. */
  private static Transcript scenario(String name, String description) throws Exception {
    return new Transcript(out, socket, name, description, Duration.ofSeconds(60));
  }
}
