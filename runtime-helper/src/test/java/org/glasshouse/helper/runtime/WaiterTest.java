package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.runtime.rootfs.ContainerDirs;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's exit as its waiter handles it, without root and without a runtime: the waiter asks
 * only its {@link Waiter.AfterExit} (the runtime's network and table, faked here) to unwire the
 * container before "exited" is reported and to remove an {@code rm} container after it.
 */
class WaiterTest {

  @TempDir Path tmp;

  /** The OOM count is read only for a SIGKILL (with or without the core-dump bit). */
  @Test
  void onlyASigkillAsksForTheOomCount() {
    assertTrue(Waiter.killedBy(9, 9));
    assertTrue(Waiter.killedBy(0x80 | 9, 9));
    assertFalse(Waiter.killedBy(0, 9), "exit 0");
    assertFalse(Waiter.killedBy(9 << 8, 9), "exit 9");
    assertFalse(Waiter.killedBy(15, 9), "SIGTERM");
    assertTrue(Waiter.status(9, 1, 0).oomKilled());
    assertFalse(Waiter.status(9 << 8, 1, 0).oomKilled());
  }

  @Test
  void anExitIsUnwiredBeforeItIsReportedAndRemovedAfter() throws Exception {
    JnaSyscalls sys = new JnaSyscalls();
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> removed = new CompletableFuture<>();
    ContainerListener listener =
        new ContainerListener() {
          @Override
          public void step(String id, StepEntry entry) {}

          @Override
          public void started(String id, long hostPid) {}

          @Override
          public void output(String id, String stream, byte[] data) {
            events.add(stream + " " + new String(data).trim());
          }

          @Override
          public void exited(String id, ExitStatus status) {
            events.add("exited " + status.code());
          }
        };
    RunSpec spec = RunSpec.builder().image("busybox").argv("/bin/sh").rm(true).build();
    LinuxContainer c =
        new LinuxContainer(
            "0123456789ab",
            spec,
            Feature.upTo(0),
            new StepLog(e -> {}),
            ContainerDirs.of(tmp, "0123456789ab"),
            sys);
    InitProcess p =
        InitProcess.spawn(sys, List.of("/bin/sh", "-c", "echo out; exit 3"), Map.of(), "/")
            .startReaper();
    try {
      c.process(p);
      Waiter waiter = new Waiter(c, listener, sys);
      waiter.pipes(p);
      c.running(System.nanoTime());
      waiter.start(
          new Waiter.AfterExit() {
            @Override
            public void unwire(LinuxContainer x) {
              events.add("unwire " + x.id());
            }

            @Override
            public void autoRemove(LinuxContainer x) {
              events.add("remove " + x.id());
              removed.complete(null);
            }
          });
      removed.get(30, TimeUnit.SECONDS);
    } finally {
      p.closeAll();
    }
    assertEquals(
        List.of("stdout out", "unwire 0123456789ab", "exited 3", "remove 0123456789ab"), events);
    assertEquals(Container.State.EXITED, c.state());
  }
}
