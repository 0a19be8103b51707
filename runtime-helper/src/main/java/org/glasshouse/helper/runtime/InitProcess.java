package org.glasshouse.helper.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;

/**
 * The init stage's process (later the container's command, which execve replaces it with) as the
 * helper holds it: started with {@code posix_spawn} on the spawning thread, reaped with {@code
 * waitpid} by a thread of its own, stdio over three pipes the helper owns one end of.
 *
 * <p>Not {@link ProcessBuilder}: it creates its reaper thread from the calling thread, and a thread
 * that has unshared a PID namespace cannot create threads (the kernel answers EINVAL). A bonus of
 * waiting ourselves: the raw wait status tells a death by signal N from {@code exit(128+N)}.
 */
final class InitProcess {

  private final Syscalls sys;
  private final long pid;
  private final int stdin;
  private final int stdout;
  private final int stderr;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile long command;
  private boolean stdinClosed;
  private boolean outputsClosed;

  private InitProcess(Syscalls sys, long pid, int stdin, int stdout, int stderr) {
    this.sys = sys;
    this.pid = pid;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Spawns {@code cmd} (absolute path first) with exactly {@code env}, in {@code cwd}. */
  static InitProcess spawn(Syscalls sys, List<String> cmd, Map<String, String> env, String cwd)
      throws SyscallException {
    List<String> envp = new ArrayList<>();
    env.forEach((k, v) -> envp.add(k + "=" + v));
    int[] in = sys.pipe();
    int[] out = null;
    int[] err = null;
    boolean ok = false;
    try {
      out = sys.pipe();
      err = sys.pipe();
      long pid = sys.spawn(cmd.get(0), cmd, envp, cwd, in[0], out[1], err[1]);
      ok = true;
      return new InitProcess(sys, pid, in[1], out[0], err[0]);
    } finally {
      // The child's ends belong to the child alone; the helper keeps the other ends on success.
      closeQuietly(sys, in[0]);
      if (out != null) {
        closeQuietly(sys, out[1]);
      }
      if (err != null) {
        closeQuietly(sys, err[1]);
      }
      if (!ok) {
        closeQuietly(sys, in[1]);
        if (out != null) {
          closeQuietly(sys, out[0]);
        }
        if (err != null) {
          closeQuietly(sys, err[0]);
        }
      }
    }
  }

  private static void closeQuietly(Syscalls sys, int fd) {
    try {
      sys.close(fd);
    } catch (SyscallException e) {
      // EBADF: already closed; nothing else can fail here.
    }
  }

  /**
   * Starts reaping. Must be called from a thread that may create threads — never from the one that
   * spawned it into a new PID namespace.
   */
  InitProcess startReaper() {
    Thread t =
        new Thread(
            () -> {
              try {
                exit.complete(sys.waitpid(pid));
              } catch (SyscallException e) {
                exit.completeExceptionally(e);
              }
            },
            "glasshouse-reap-" + pid);
    t.setDaemon(true);
    t.start();
    return this;
  }

  long pid() {
    return pid;
  }

  /**
   * The process that runs the container's command: this one, which became it by execve, or the
   * child it spawned (exec into a PID namespace), which signals go to and inspection reads.
   */
  long commandPid() {
    long c = command;
    return c > 0 ? c : pid;
  }

  /** This init spawned the command as {@code childPid} and stays only to end as it ends. */
  void spawnedCommand(long childPid) {
    this.command = childPid;
  }

  boolean isAlive() {
    return !exit.isDone();
  }

  /** Completes with the raw wait status. */
  CompletableFuture<Integer> onExit() {
    return exit;
  }

  /** Blocks until it ended; the raw wait status. */
  int waitFor() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      return 0xff00;
    }
  }

  /**
   * Sends SIGKILL (no-op once it has been reaped): to the spawned command first, whose death this
   * process then relays, and to this process.
   */
  void destroyForcibly() {
    if (isAlive()) {
      long c = command;
      try {
        if (c > 0) {
          sys.kill(c, 9);
        }
        sys.kill(pid, 9);
      } catch (SyscallException e) {
        // ESRCH: it ended meanwhile.
      }
    }
  }

  int stdoutFd() {
    return stdout;
  }

  int stderrFd() {
    return stderr;
  }

  /** Writes all of {@code data} to its stdin (blocking); nothing once stdin is closed. */
  synchronized void writeStdin(byte[] data) throws SyscallException {
    if (stdinClosed) {
      return;
    }
    int off = 0;
    while (off < data.length) {
      byte[] rest = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
      off += sys.write(stdin, rest, rest.length);
    }
  }

  /** Closes its stdin (end of file for the command). Idempotent. */
  synchronized void closeStdin() {
    if (!stdinClosed) {
      stdinClosed = true;
      closeQuietly(sys, stdin);
    }
  }

  /**
   * Closes the helper's end of stderr when its pump could not be made (stdout's was closed by its
   * own failed pump). Otherwise the pumps own both ends and close them.
   */
  synchronized void closeStderr() {
    if (!outputsClosed) {
      outputsClosed = true;
      closeQuietly(sys, stderr);
    }
  }

  /**
   * Closes every fd the helper holds of an init that never got pumps (a warm-pool init discarded
   * unused): stdin, stdout and stderr.
   */
  synchronized void closeAll() {
    closeStdin();
    if (!outputsClosed) {
      outputsClosed = true;
      closeQuietly(sys, stdout);
      closeQuietly(sys, stderr);
    }
  }

  /** Whether the raw status says it exited (rather than was killed). */
  static boolean exited(int status) {
    return (status & 0x7f) == 0;
  }

  /** The exit code of a raw status that says exited. */
  static int exitCode(int status) {
    return (status >> 8) & 0xff;
  }

  /** The terminating signal of a raw status that says killed. */
  static int termSignal(int status) {
    return status & 0x7f;
  }
}
