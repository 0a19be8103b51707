package org.glasshouse.helper.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.glasshouse.protocol.StepEntry;

/** Collects a container's events for tests; {@link #await} waits for the exit. */
class CollectingListener implements ContainerListener {
  final List<StepEntry> steps = new CopyOnWriteArrayList<>();
  final CompletableFuture<Long> started = new CompletableFuture<>();
  final CompletableFuture<ExitStatus> exited = new CompletableFuture<>();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @Override
  public void step(String containerId, StepEntry entry) {
    steps.add(entry);
  }

  @Override
  public void started(String containerId, long hostPid) {
    started.complete(hostPid);
  }

  @Override
  public synchronized void output(String containerId, String stream, byte[] data) {
    (stream.equals("stderr") ? stderr : stdout).writeBytes(data);
  }

  @Override
  public void exited(String containerId, ExitStatus status) {
    exited.complete(status);
  }

  ExitStatus await() throws Exception {
    return exited.get(60, TimeUnit.SECONDS);
  }

  synchronized String stdout() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  synchronized String stderr() {
    return stderr.toString(StandardCharsets.UTF_8);
  }
}
