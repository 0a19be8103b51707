package org.glasshouse.helper.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.runtime.Container;
import org.glasshouse.helper.runtime.ContainerListener;
import org.glasshouse.helper.runtime.ContainerRuntime;
import org.glasshouse.helper.runtime.ExitStatus;
import org.glasshouse.helper.runtime.StartFailedException;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * A test fake of the runtime for the server's mechanics: level 00 done with {@link ProcessBuilder}
 * (real processes, real pipes, no isolation, no pty). Fine for tests because the JDK spawns without
 * running Java in the child.
 */
final class ProcessRuntime implements ContainerRuntime {

  private final Map<String, Proc> containers = new LinkedHashMap<>();

  final class Proc implements Container {
    final String id;
    final RunSpec spec;
    final Process process;
    final List<StepEntry> steps;
    volatile State state = State.RUNNING;
    final java.util.concurrent.atomic.AtomicLong stdinQueued =
        new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.ExecutorService stdinWriter =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fake-stdin");
              t.setDaemon(true);
              return t;
            });
    volatile ExitStatus exit;

    Proc(String id, RunSpec spec, Process process, List<StepEntry> steps) {
      this.id = id;
      this.spec = spec;
      this.process = process;
      this.steps = steps;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public RunSpec spec() {
      return spec;
    }

    @Override
    public long hostPid() {
      return process.pid();
    }

    @Override
    public State state() {
      return state;
    }

    @Override
    public List<StepEntry> steps() {
      return steps;
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
      return Optional.ofNullable(exit);
    }

    @Override
    public boolean writeStdin(byte[] data) {
      // As the real runtime: queued for a writer thread, at most STDIN_QUEUE_BYTES waiting.
      long len = data.length;
      if (stdinQueued.addAndGet(len) > STDIN_QUEUE_BYTES) {
        stdinQueued.addAndGet(-len);
        return false;
      }
      byte[] copy = data.clone();
      stdinWriter.execute(
          () -> {
            try {
              OutputStream out = process.getOutputStream();
              out.write(copy);
              out.flush();
            } catch (IOException e) {
              // The process closed its stdin; like a pipe write that gets EPIPE, the bytes are
              // lost.
            } finally {
              stdinQueued.addAndGet(-len);
            }
          });
      return true;
    }

    @Override
    public void closeStdin() {
      stdinWriter.execute(
          () -> {
            try {
              process.getOutputStream().close();
            } catch (IOException e) {
              // Already closed.
            }
          });
    }

    @Override
    public void resize(int cols, int rows) {}

    @Override
    public void signal(int signo) {
      try {
        new ProcessBuilder("kill", "-" + signo, Long.toString(process.pid())).start().waitFor();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The host's layout, decided as the real runtime decides it (this fake makes no cgroups). */
  @Override
  public String cgroupMode() {
    return CgroupLayout.detect(Path.of("/")).mode().wireName();
  }

  @Override
  public Container start(String id, RunSpec spec, ContainerListener listener)
      throws StartFailedException {
    String args = String.join(" ", spec.argv());
    ProcessBuilder pb = new ProcessBuilder(spec.argv());
    pb.environment().clear();
    if (spec.env() != null) {
      pb.environment().putAll(spec.env());
    }
    if (spec.workdir() != null) {
      pb.directory(new File(spec.workdir()));
    }
    Process p;
    long t0 = System.nanoTime();
    // The one step of this runtime: spawning the command.
    StepEntry.Builder spawn =
        StepEntry.builder().seq(1).step("spawn").stage("helper").call("execve").args(args);
    try {
      p = pb.start();
    } catch (IOException e) {
      StepEntry failed =
          spawn
              .ok(false)
              .errno("ENOENT")
              .message("No such file or directory")
              .explanation("the command does not exist")
              .durationNanos(System.nanoTime() - t0)
              .build();
      listener.step(id, failed);
      throw new StartFailedException(
          "cannot start " + spec.argv().get(0) + ": " + e.getMessage(), failed, List.of(failed), e);
    }
    StepEntry ok =
        spawn.ok(true).result(Long.toString(p.pid())).durationNanos(System.nanoTime() - t0).build();
    listener.step(id, ok);
    Proc c = new Proc(id, spec, p, List.of(ok));
    synchronized (containers) {
      containers.put(id, c);
    }
    listener.started(id, p.pid());
    Thread out = pump(id, "stdout", p.getInputStream(), listener);
    Thread err = pump(id, "stderr", p.getErrorStream(), listener);
    Thread waiter =
        new Thread(
            () -> {
              try {
                int v = p.waitFor();
                out.join();
                err.join();
                c.exit =
                    v > 128
                        ? new ExitStatus(null, v - 128, false, System.nanoTime() - t0)
                        : new ExitStatus(v, null, false, System.nanoTime() - t0);
                if (c.state != Container.State.REMOVED) {
                  c.state = Container.State.EXITED;
                }
                listener.exited(id, c.exit);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fake-wait-" + id);
    waiter.setDaemon(true);
    waiter.start();
    return c;
  }

  private static Thread pump(String id, String stream, InputStream in, ContainerListener l) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  l.output(id, stream, Arrays.copyOf(buf, n));
                }
              } catch (IOException e) {
                // Pipe closed: the process is gone.
              }
            },
            "fake-" + stream + "-" + id);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public Container exec(String containerId, String execId, RunSpec spec, ContainerListener l)
      throws StartFailedException {
    return start(execId, spec, l);
  }

  @Override
  public List<Container> list() {
    synchronized (containers) {
      return new ArrayList<>(containers.values());
    }
  }

  @Override
  public Optional<Container> find(String idOrName) {
    synchronized (containers) {
      Proc byId = containers.get(idOrName);
      if (byId != null) {
        return Optional.of(byId);
      }
      return containers.values().stream()
          .filter(c -> idOrName.equals(c.spec.name()))
          .map(c -> (Container) c)
          .findFirst();
    }
  }

  @Override
  public void remove(String idOrName, boolean force) {
    Proc c = (Proc) find(idOrName).orElseThrow(() -> new NoSuchElementException(idOrName));
    if (c.state == Container.State.RUNNING) {
      if (!force) {
        throw new IllegalStateException(c.id + " is running");
      }
      c.process.destroyForcibly();
      try {
        c.process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    c.state = Container.State.REMOVED;
    c.stdinWriter.shutdownNow();
    synchronized (containers) {
      containers.remove(c.id);
    }
  }

  @Override
  public void close() {
    for (Container c : list()) {
      remove(c.id(), true);
    }
  }
}
