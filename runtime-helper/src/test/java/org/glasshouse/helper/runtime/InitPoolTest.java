package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.linux.JnaSyscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The warm pool without root: its inits are harmless {@code sleep} processes, connected or not as
 * each test needs. Refill after a take, one queue per namespace set, dead inits never handed out, a
 * spawn failure falls back, close kills what is pooled.
 */
class InitPoolTest {

  private static final int NO_NAMESPACES = 0;
  private static final int MOUNT_NS = 0x00020000; // CLONE_NEWNS

  private final JnaSyscalls sys = new JnaSyscalls();
  private final List<InitPool.Warm> spawned = new CopyOnWriteArrayList<>();
  private volatile boolean connected = true;
  private volatile boolean failing;
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final List<String> forgotten = new CopyOnWriteArrayList<>();

  @AfterEach
  void reap() throws Exception {
    for (InitPool.Warm w : spawned) {
      w.process().destroyForcibly();
      w.process().onExit().get(30, TimeUnit.SECONDS);
      w.process().closeAll();
    }
  }

  private InitPool.Warm spawn(int flags) throws Exception {
    if (failing) {
      throw new IOException("spawn refused");
    }
    InitProcess p =
        InitProcess.spawn(sys, List.of("/bin/sleep", "60"), Map.of(), "/").startReaper();
    CompletableFuture<InitServer.Connection> c = new CompletableFuture<>();
    if (connected) {
      c.complete(new InitServer.Connection(SocketChannel.open(StandardProtocolFamily.UNIX)));
    }
    InitPool.Warm w = new InitPool.Warm(p, c, "token-" + spawned.size(), List.of());
    spawned.add(w);
    return w;
  }

  @Test
  void aFlagSetIsPooledOnceAskedForAndRefilledAfterEachTake() {
    try (InitPool pool = new InitPool(1, this::spawn, forgotten::add, logged::add)) {
      assertNull(pool.take(NO_NAMESPACES), "nothing is pooled before the first ask");
      assertEquals(1, pool.pids().size(), "the first ask filled the pool");
      assertTrue(pool.ready(NO_NAMESPACES));
      InitPool.Warm first = spawned.get(0);

      assertSame(first, pool.take(NO_NAMESPACES));
      List<Long> refilled = pool.pids();
      assertEquals(List.of(spawned.get(1).process().pid()), refilled, "refilled after the take");
      assertEquals(2, spawned.size());
    }
  }

  @Test
  void refillingLateWaitsForTheStartToFinish() {
    try (InitPool pool = new InitPool(1, this::spawn, forgotten::add, logged::add)) {
      pool.refillLate();
      pool.prewarm(() -> {}, List.of(NO_NAMESPACES));
      assertEquals(1, pool.pids().size(), "prewarmed before any ask");
      InitPool.Warm first = spawned.get(0);

      assertSame(first, pool.take(NO_NAMESPACES));
      assertEquals(List.of(), pool.pids(), "no refill while the start is under way");
      pool.started(NO_NAMESPACES);
      List<Long> refilled = pool.pids();
      assertEquals(List.of(spawned.get(1).process().pid()), refilled, "refilled after it");
    }
  }

  @Test
  void byDefaultAFinishedStartDoesNotRefillTwice() {
    try (InitPool pool = new InitPool(1, this::spawn, forgotten::add, logged::add)) {
      pool.take(NO_NAMESPACES);
      pool.pids();
      assertSame(spawned.get(0), pool.take(NO_NAMESPACES));
      pool.started(NO_NAMESPACES);
      assertEquals(1, pool.pids().size());
      assertEquals(2, spawned.size(), "one refill per take");
    }
  }

  @Test
  void anInitOfOtherNamespacesIsNeverHandedOut() {
    try (InitPool pool = new InitPool(1, this::spawn, forgotten::add, logged::add)) {
      pool.take(MOUNT_NS);
      pool.pids();
      assertTrue(pool.ready(MOUNT_NS));
      assertFalse(pool.ready(NO_NAMESPACES));

      assertNull(
          pool.take(NO_NAMESPACES),
          "an init in a new mount namespace cannot serve a start without one");
      assertTrue(pool.ready(MOUNT_NS), "and it stays pooled for its own level");
    }
  }

  @Test
  void aDeadInitIsDiscardedNotHandedOut() throws Exception {
    try (InitPool pool = new InitPool(1, this::spawn, forgotten::add, logged::add)) {
      pool.take(NO_NAMESPACES);
      pool.pids();
      InitPool.Warm w = spawned.get(0);
      w.process().destroyForcibly();
      w.process().onExit().get(30, TimeUnit.SECONDS);
      assertFalse(pool.ready(NO_NAMESPACES), "a dead init is not ready");

      assertNull(pool.take(NO_NAMESPACES));
      List<Long> pids = pool.pids();
      assertEquals(List.of(spawned.get(1).process().pid()), pids, "replaced by a new one");
      assertEquals(List.of(w.token()), forgotten, "the discarded one's token is forgotten");
    }
  }

  @Test
  void aConnectedInitIsPreferredToOneStillStarting() {
    try (InitPool pool = new InitPool(2, this::spawn, forgotten::add, logged::add)) {
      connected = false;
      pool.take(NO_NAMESPACES);
      pool.pids(); // two pooled, neither connected: the first stays unconnected
      InitPool.Warm slow = spawned.get(0);
      InitPool.Warm fast = spawned.get(1);
      fast.connecting().complete(newConnection());
      assertSame(fast, pool.take(NO_NAMESPACES));
      assertSame(slow, pool.take(NO_NAMESPACES), "one still starting is better than none");
    }
  }

  @Test
  void aSpawnFailureLeavesThePoolEmptyAndStartsSpawnTheirOwn() {
    failing = true;
    try (InitPool pool = new InitPool(1, this::spawn, forgotten::add, logged::add)) {
      assertNull(pool.take(NO_NAMESPACES));
      assertEquals(List.of(), pool.pids());
      assertNull(pool.take(NO_NAMESPACES));
      pool.pids();
      assertTrue(
          logged.contains(
              "warm pool: no init for 0 this time (starts spawn their own): spawn refused"),
          logged::toString);
    }
  }

  @Test
  void closeKillsWhatIsPooledAndTakesNothingMore() throws Exception {
    InitPool pool = new InitPool(2, this::spawn, forgotten::add, logged::add);
    pool.take(NO_NAMESPACES);
    assertEquals(2, pool.pids().size());
    pool.close();
    for (InitPool.Warm w : spawned) {
      assertFalse(w.process().isAlive(), "pooled init " + w.process().pid() + " outlived close");
    }
    assertEquals(List.of("token-0", "token-1"), forgotten, "their tokens are forgotten");
    assertNull(pool.take(NO_NAMESPACES));
  }

  @Test
  void aPoolOfZeroSpawnsNothing() {
    try (InitPool pool = new InitPool(0, this::spawn, forgotten::add, logged::add)) {
      assertNull(pool.take(NO_NAMESPACES));
      assertEquals(List.of(), pool.pids());
      assertEquals(0, spawned.size());
    }
  }

  private static InitServer.Connection newConnection() {
    try {
      return new InitServer.Connection(SocketChannel.open(StandardProtocolFamily.UNIX));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
