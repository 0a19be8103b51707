package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glasshouse.helper.server.Bounds;
import org.glasshouse.protocol.Json;

/**
 * {@code glasshouse bench memory}: the helper's resident memory with 20 containers flooding output
 * and 20 slow clients — the case that grew a helper without flow control from 142 MB to 1.87 GB.
 * Each client attaches one container running {@code cat /dev/zero} (level 12) and follows every
 * container's output, and reads 4 KiB every 10 ms: its own container is held, the others' output is
 * skipped for it. The helper is one of the benchmark's own, started with the launcher's JVM
 * options; its RSS, fds and threads are printed every 5 s, with the median and the maximum.
 */
final class MemoryBenchmark {

  static final int CONTAINERS = 20;
  static final int SAMPLE_SECONDS = 5;
  static final int STARTS_AT_ONCE = 4;

  private final PrintStream out;
  private final int seconds;

  MemoryBenchmark(PrintStream out, int seconds) {
    this.out = out;
    this.seconds = seconds;
  }

  /** One slow client: a raw connection read 4 KiB at a time. */
  private static final class SlowClient implements AutoCloseable {
    final SocketChannel ch;
    final AtomicLong read = new AtomicLong();
    final Thread reader;
    volatile boolean stop;

    SlowClient(Path socket, int n) throws IOException {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      send("{\"id\":1,\"op\":\"hello\",\"version\":1,\"client\":\"bench-slow-" + n + "\"}");
      send("{\"id\":2,\"op\":\"subscribe\",\"topics\":[\"output\"]}");
      var spec = Json.object().put("image", "busybox").put("level", 12);
      spec.set("argv", Json.tree(List.of("cat", "/dev/zero")));
      var run = Json.object().put("id", 3).put("op", "run").put("attach", true);
      run.set("spec", spec);
      send(Json.write(run));
      reader =
          new Thread(
              () -> {
                ByteBuffer b = ByteBuffer.allocate(4096);
                try {
                  while (!stop) {
                    b.clear();
                    int got = ch.read(b);
                    if (got < 0) {
                      return;
                    }
                    read.addAndGet(got);
                    Thread.sleep(10); // the point: a client slower than its container
                  }
                } catch (IOException e) {
                  // closed at the end
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-slow-" + n);
      reader.setDaemon(true);
      reader.start();
    }

    private void send(String line) throws IOException {
      ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }

    @Override
    public void close() throws IOException {
      stop = true;
      ch.close();
    }
  }

  void run() throws Exception {
    Path images = Installation.imagesDir(System.getenv(), Installation.home());
    if (!Files.isRegularFile(images.resolve("busybox.tar"))) {
      out.println("bench memory: no busybox image in " + images);
      return;
    }
    out.printf(
        "bench memory: %d containers running `cat /dev/zero` (level 12), each attached by one of"
            + " %d clients that also follow every container and read 4 KiB per 10 ms%n",
        CONTAINERS, CONTAINERS);
    out.printf(
        "  heap limit %s; the bounds add up to %d MiB%n",
        HelperJvm.options().stream().filter(o -> o.startsWith("-Xmx")).findFirst().orElse("none"),
        Bounds.heapBytes() >> 20);
    try (HelperProcess helper = HelperProcess.start(images)) {
      out.printf(
          "  idle helper: RSS %d MiB, %d fds, %d threads%n",
          helper.rssBytes() >> 20, helper.fds(), helper.threads());
      List<SlowClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < CONTAINERS; i++) {
          clients.add(new SlowClient(helper.socket(), i));
          if ((i + 1) % STARTS_AT_ONCE == 0) {
            // Each start spawns an init JVM: a few at a time, or a loaded 2-core machine misses
            // the init's 30 s deadline.
            awaitRunning(helper, i + 1);
          }
        }
        awaitRunning(helper, CONTAINERS);
        out.printf("  %d containers running; sampling for %d s%n", CONTAINERS, seconds);
        List<Long> rss = new ArrayList<>();
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(seconds)) {
          Thread.sleep(SAMPLE_SECONDS * 1000L); // the sampling interval
          long r = helper.rssBytes();
          rss.add(r);
          long read = clients.stream().mapToLong(c -> c.read.get()).sum();
          out.printf(
              "  t=%3ds  RSS %4d MiB  fds %4d  threads %4d  clients read %d MiB%n",
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
              r >> 20,
              helper.fds(),
              helper.threads(),
              read >> 20);
        }
        List<Long> sorted = new ArrayList<>(rss);
        sorted.sort(null);
        out.printf(
            "  RSS under load: median %d MiB, min %d, max %d (%d samples)%n",
            sorted.get(sorted.size() / 2) >> 20,
            sorted.get(0) >> 20,
            sorted.get(sorted.size() - 1) >> 20,
            sorted.size());
      } finally {
        for (SlowClient c : clients) {
          c.close();
        }
      }
      // The clients left: their attached containers are killed and removed.
      awaitRunning(helper, 0);
      Thread.sleep(2000); // let the last removals settle before the reading
      out.printf(
          "  after the clients left: RSS %d MiB, %d fds, %d threads%n",
          helper.rssBytes() >> 20, helper.fds(), helper.threads());
    }
  }

  /** Waits until the helper lists {@code n} running containers. */
  private static void awaitRunning(HelperProcess helper, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    try (var c = org.glasshouse.client.HelperClient.connect(helper.socket(), "bench", e -> {})) {
      while (true) {
        JsonNode ps = c.call(org.glasshouse.protocol.Op.PS, Json.object()).get("containers");
        int running = 0;
        for (JsonNode row : ps) {
          running += "running".equals(row.path("state").asText()) ? 1 : 0;
        }
        if (running == n && ps.size() == n) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              running + " containers running, not " + n + ": see " + helper.log());
        }
        Thread.sleep(500); // starts take a JVM each
      }
    }
  }
}
