package org.glasshouse.helper.runtime;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.protocol.StepEntry;

/**
 * Init stages spawned ahead of time, already sitting in fresh namespaces with their JVM warmed up,
 * waiting for a plan: a start takes one instead of paying for a JVM start on its critical path.
 * Pools are kept per set of namespace flags (a level-12 init cannot serve a level-00 container); a
 * set is pooled once a container asked for it and refilled in the background after each take.
 *
 * <p>With {@link #refillLate} (the helper's {@code --warm-up}, off by default) a set is also pooled
 * from the helper's start ({@link #prewarm}), and refilled only once the start that took one has
 * finished ({@link #started}): a JVM starting during a start competes with it for the CPU
 * (measured: the refill's JVM was spawned ~11 ms into a start). Off by default because a start back
 * to back then finds the pool empty, and under load (50–70 on 2 cores) the full suite had init
 * connect timeouts with it on.
 */
final class InitPool implements AutoCloseable {

  /**
   * An init waiting for its plan.
   *
   * @param process the init JVM
   * @param connecting completes when it has connected and shown its token
   * @param token its one-time token
   * @param spawnSteps the helper steps that made it (unshare, spawn), for the container's log
   */
  record Warm(
      InitProcess process,
      CompletableFuture<InitServer.Connection> connecting,
      String token,
      List<StepEntry> spawnSteps) {}

  /** Spawns one init in the namespaces of {@code flags}. */
  @FunctionalInterface
  interface Spawner {
    Warm spawn(int flags) throws Exception;
  }

  private final int size;
  private final Spawner spawner;

  /** Forgets a discarded init's token on the init socket: no start will ever wait for it. */
  private final Consumer<String> forget;

  private final Consumer<String> log;
  private final Map<Integer, Deque<Warm>> ready = new ConcurrentHashMap<>();
  private final ExecutorService refill;
  private final List<Warm> discarded = new ArrayList<>();
  private volatile boolean closed;
  private volatile boolean late;

  /**
   * @param size inits kept per flag set (0 disables the pool)
   * @param forget forgets a discarded init's one-time token ({@link InitServer#forget})
   * @param log the helper's log: a refill that failed is said there (the starts still work)
   */
  InitPool(int size, Spawner spawner, Consumer<String> forget, Consumer<String> log) {
    this.size = size;
    this.spawner = spawner;
    this.forget = forget;
    this.log = log;
    this.refill =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "glasshouse-init-pool");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * From now on a take does not refill: {@link #started} does, once the start that took one has
   * finished.
   */
  void refillLate() {
    late = true;
  }

  /**
   * A warm init for {@code flags}, or null (the caller spawns one); schedules a refill, unless
   * {@link #refillLate} (then the caller calls {@link #started} once its start has finished).
   */
  Warm take(int flags) {
    if (size <= 0 || closed) {
      return null;
    }
    Deque<Warm> q = ready.computeIfAbsent(flags, f -> new ConcurrentLinkedDeque<>());
    // One that has connected already (its JVM is warm) beats one still starting.
    Warm w = null;
    for (Warm x : q) {
      if (x.connecting().isDone() && x.process().isAlive() && q.remove(x)) {
        w = x;
        break;
      }
    }
    while (w == null && (w = q.poll()) != null && !w.process().isAlive()) {
      discard(w);
      w = null;
    }
    if (!late) {
      refill(flags);
    }
    return w;
  }

  /** A start of {@code flags} has finished: refills its pool when {@link #refillLate}. */
  void started(int flags) {
    if (late) {
      refill(flags);
    }
  }

  /** Refills the pool of {@code flags} in the background. */
  private void refill(int flags) {
    if (size <= 0 || closed) {
      return;
    }
    ready.computeIfAbsent(flags, f -> new ConcurrentLinkedDeque<>());
    try {
      refill.execute(() -> fill(flags));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile: nothing to refill.
    }
  }

  /**
   * Runs {@code first} (the init's class-data archive), then fills the pool of every set in {@code
   * sets}, one init after the other, in the background.
   */
  void prewarm(Runnable first, List<Integer> sets) {
    if (closed) {
      return;
    }
    refill.execute(first);
    if (size > 0) {
      sets.forEach(this::refill);
    }
  }

  /** Whether a connected init waits for {@code flags}. */
  boolean ready(int flags) {
    Deque<Warm> q = ready.get(flags);
    return q != null && q.stream().anyMatch(w -> w.connecting().isDone() && w.process().isAlive());
  }

  private void fill(int flags) {
    Deque<Warm> q = ready.get(flags);
    while (!closed && q.size() < size) {
      try {
        q.add(spawner.spawn(flags));
      } catch (Exception e) {
        // No warm init this time: starts fall back to spawning their own. Said once per refill,
        // so a machine where every refill fails (no memory, a broken Java) shows why starts are
        // slow.
        log.accept(
            "warm pool: no init for "
                + Flags.cloneFlags(flags)
                + " this time (starts spawn their own): "
                + e.getMessage());
        return;
      }
    }
    if (closed) {
      Warm w;
      while ((w = q.poll()) != null) {
        discard(w);
      }
    }
  }

  /** The pids of the inits waiting in the pool, once any refill under way has finished. */
  List<Long> pids() {
    return processes().stream().map(InitProcess::pid).toList();
  }

  /** The inits waiting in the pool, once any refill under way has finished. */
  List<InitProcess> processes() {
    try {
      refill.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.RejectedExecutionException e) {
      // Closed: nothing is pooled any more.
    }
    List<InitProcess> processes = new ArrayList<>();
    ready.values().forEach(q -> q.forEach(w -> processes.add(w.process())));
    return processes;
  }

  private void discard(Warm w) {
    forget.accept(w.token());
    w.connecting().cancel(false);
    // Connected already: cancel() did nothing, and the channel must be closed here.
    w.connecting().thenAccept(InitServer.Connection::close);
    w.process().destroyForcibly();
    synchronized (discarded) {
      discarded.add(w);
    }
    // Never used: no pump owns its pipes, so they are closed here (once it is gone). Then it
    // leaves the list close() waits on: a long-lived helper would otherwise keep every init it
    // ever discarded.
    w.process()
        .onExit()
        .whenComplete(
            (status, e) -> {
              w.process().closeAll();
              synchronized (discarded) {
                discarded.remove(w);
              }
            });
  }

  @Override
  public void close() {
    closed = true;
    refill.shutdown();
    try {
      refill.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Deque<Warm> q : ready.values()) {
      Warm w;
      while ((w = q.poll()) != null) {
        discard(w);
      }
    }
    List<Warm> dying;
    synchronized (discarded) {
      dying = List.copyOf(discarded);
    }
    // Outside the lock: a join may run the exit callback (which leaves the list) on this thread.
    for (Warm w : dying) {
      w.process().onExit().join();
    }
  }
}
