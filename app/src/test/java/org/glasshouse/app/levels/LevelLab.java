package org.glasshouse.app.levels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.glasshouse.app.RealHelper;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabListener;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * The level tests' lab: a real helper (the app tests' one fixture, {@link RealHelper}) and the
 * app's own {@link SocketLabService} talking to it, with each container's life as the service's
 * events told it. Skips (with the reason printed) without root or the image.
 */
final class LevelLab implements AutoCloseable {
  final Path dir;
  final SocketLabService lab;
  private final RealHelper helper;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();

  /** One container's life as the listener saw it. */
  static final class Run {
    final String id;
    final RunSpec spec;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<StepEntry> steps = new CopyOnWriteArrayList<>();
    final CompletableFuture<LabEvent.Exited> exited = new CompletableFuture<>();
    long pid;

    /** The step the start failed at, when it failed (the helper's error names it). */
    StepEntry failedStep;

    /** Why the start failed, in the helper's words, when it did. */
    String error;

    /** Removed by the test itself (an experiment's check may remove it to see what is left). */
    volatile boolean removed;

    Run(String id, RunSpec spec) {
      this.id = id;
      this.spec = spec;
    }

    synchronized String output() {
      return out.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    boolean live() {
      return !exited.isDone();
    }

    LabEvent.Exited exit() {
      return exited.getNow(null);
    }
  }

  static LevelLab startOrSkip(String test) throws IOException {
    return new LevelLab(RealHelper.start(test));
  }

  private LevelLab(RealHelper helper) throws IOException {
    this.helper = helper;
    dir = helper.dir();
    Path socket = helper.socket();
    lab = new SocketLabService(socket);
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent e) {
            handle(e);
          }

          @Override
          public void onConnection(ConnectionStatus status) {}
        });
    lab.start();
    await(
        "the helper's socket",
        Duration.ofSeconds(60),
        () -> lab.status().state() == ConnectionStatus.State.CONNECTED);
  }

  private final Map<String, List<LabEvent>> early = new ConcurrentHashMap<>();

  private void handle(LabEvent e) {
    String id = container(e);
    if (id == null) {
      return;
    }
    Run r;
    synchronized (this) {
      r = runs.get(id);
      if (r == null) {
        early.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(e);
        return;
      }
    }
    apply(r, e);
  }

  private static void apply(Run r, LabEvent e) {
    if (e instanceof LabEvent.Output o) {
      synchronized (r) {
        r.out.writeBytes(o.data());
      }
    } else if (e instanceof LabEvent.Step s) {
      r.steps.add(s.entry());
    } else if (e instanceof LabEvent.Exited x) {
      r.exited.complete(x);
    }
  }

  private static String container(LabEvent e) {
    if (e instanceof LabEvent.Output o) {
      return o.container();
    }
    if (e instanceof LabEvent.Step s) {
      return s.container();
    }
    if (e instanceof LabEvent.Exited x) {
      return x.container();
    }
    return null;
  }

  /** Runs a container; a start that fails completes with a run whose exit is already known. */
  Run run(RunSpec spec) throws Exception {
    return run(spec, Duration.ofSeconds(90));
  }

  /**
   * {@link #run(RunSpec)} with another limit for the start: the first container of a large image
   * waits for its import (the debian image's 195 MiB are unpacked and checked once).
   */
  Run run(RunSpec spec, Duration startLimit) throws Exception {
    Throwable[] error = {null};
    var started =
        lab.run(spec)
            .handle(
                (s, t) -> {
                  error[0] = t;
                  return s;
                })
            .get(startLimit.toSeconds(), TimeUnit.SECONDS);
    if (started == null) {
      Run failed = new Run(null, spec);
      Throwable t =
          error[0] instanceof java.util.concurrent.CompletionException c ? c.getCause() : error[0];
      if (t instanceof org.glasshouse.app.core.LabException e) {
        failed.failedStep = e.step();
      }
      failed.error = String.valueOf(t);
      failed.exited.complete(null);
      return failed;
    }
    Run r = new Run(started.container(), spec);
    r.pid = started.pid();
    synchronized (this) {
      runs.put(r.id, r);
      early.getOrDefault(r.id, List.of()).forEach(e -> apply(r, e));
    }
    return r;
  }

  /** What the app's check reads about a run. */
  Evidence evidence(Run r) throws Exception {
    LabEvent.Exited x = r.exit();
    return EvidenceReader.read(
            lab,
            r.id,
            r.spec,
            r.live(),
            x != null && x.oomKilled(),
            x == null ? null : x.code(),
            r.steps)
        .get(60, TimeUnit.SECONDS);
  }

  /**
   * Runs {@code true} from {@code image} once and waits for its end: the helper imports an image
   * with its first container (the debian image's 195 MiB are unpacked and checked, minutes on a
   * loaded machine), so the runs after it start within {@link #run(RunSpec)}'s limit.
   */
  void importImage(String image) throws Exception {
    RunSpec spec =
        RunSpec.builder()
            .image(image)
            .argv(List.of("true"))
            .env(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"))
            .level(4)
            .build();
    Run first = run(spec, Duration.ofMinutes(15));
    try {
      if (first.id == null) {
        throw new AssertionError("the " + image + " image's first container: " + first.error);
      }
      first.exited.get(5, TimeUnit.MINUTES);
    } finally {
      remove(first);
    }
  }

  void remove(Run r) {
    if (r.id != null) {
      r.removed = true;
      lab.remove(r.id, true).handle((v, t) -> v).join();
    }
  }

  static void await(String what, Duration max, BooleanSupplier condition) {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        // Polling a real helper: its events arrive on their own thread.
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() throws Exception {
    lab.close();
    helper.close();
  }
}
