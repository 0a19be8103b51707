package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A container with {@code rm} is removed twice at its exit: by its waiter ({@code autoRemove}) and
 * by whoever watches its {@code exited} (the server does). The second remover finds it gone; that
 * is the goal, and no exception may escape from the runtime's {@code glasshouse-wait-*} threads.
 */
@Tag("root")
class RemoveRaceRootTest {

  @Test
  void anRmContainerRemovedAlsoByItsWatcherLeavesNoUncaughtException() throws Exception {
    List<String> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(t.getName() + ": " + e));
    try (RootHarness h = new RootHarness()) {
      for (int i = 0; i < 3; i++) {
        String id = RootHarness.newId();
        CountDownLatch removedByWatcher = new CountDownLatch(1);
        CollectingListener l =
            new CollectingListener() {
              @Override
              public void exited(String containerId, ExitStatus status) {
                super.exited(containerId, status);
                // As the server does: on its own thread, right at the exit, racing the waiter.
                new Thread(
                        () -> {
                          try {
                            h.runtime.remove(containerId, false);
                          } catch (NoSuchElementException e) {
                            // The waiter was first: gone is what both wanted.
                          }
                          removedByWatcher.countDown();
                        },
                        "test-watcher-" + containerId)
                    .start();
              }
            };
        h.runtime.start(id, rmSpec(), l);
        assertEquals(0, l.await().code());
        assertTrue(removedByWatcher.await(60, TimeUnit.SECONDS), "the watcher's remove returned");
        assertTrue(gone(h, id), "container " + id + " is still listed");
      }
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    assertEquals(List.of(), uncaught, "exceptions escaped from runtime threads");
  }

  /** Both removers have returned; the waiter's may still be unwinding the undo stack. */
  private static boolean gone(RootHarness h, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (h.runtime.find(id).isEmpty()) {
        return true;
      }
      Thread.sleep(50); // no event says the waiter's remove has finished
    }
    return false;
  }

  private static RunSpec rmSpec() {
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("/bin/true"))
        .env(RootHarness.ENV)
        .level(0)
        .rm(true)
        .build();
  }
}
