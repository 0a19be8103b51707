package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.glasshouse.helper.cgroups.ContainerCgroup;
import org.glasshouse.helper.plan.StepLog.StepException;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.StepEntry;

/**
 * How many launches (starts, execs, pool refills) run at once, and what a failed one leaves: the
 * container undone and one {@link StartFailedException} that names the failing step.
 */
final class LaunchGate {

  /** How a container is brought up: its steps, up to the exec of its command. */
  interface Launch {
    void run() throws StepException, InitSession.InitFailed, IOException;
  }

  /** Starts (runs and execs) under way at once: two per processor, at least two. */
  private final Semaphore launches =
      new Semaphore(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), true);

  /** The runtime's containers: a failed one leaves them. */
  private final Map<String, LinuxContainer> containers;

  LaunchGate(Map<String, LinuxContainer> containers) {
    this.containers = containers;
  }

  /** Takes one launch (a pool refill's JVM start counts as one too). */
  void acquire() throws InterruptedException {
    launches.acquire();
  }

  /** Gives one launch back. */
  void release() {
    launches.release();
  }

  /**
   * Runs the launch; when it fails, the container is undone and the failure becomes the {@link
   * StartFailedException} naming the failing step, whichever of start and exec it was.
   */
  void launchOrUndo(LinuxContainer c, Launch launch) throws StartFailedException {
    try {
      // A few starts at a time: each spawns an init JVM, and twenty at once on a small, busy
      // machine all miss the init's deadline where, queued, every one of them makes it.
      launches.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      containers.remove(c.id());
      c.removed();
      throw new StartFailedException("interrupted while waiting to start", null, List.of(), e);
    }
    try {
      launch.run();
    } catch (StepException e) {
      throw failed(c, e.getMessage(), e.entry(), e);
    } catch (InitSession.InitFailed e) {
      String oom = oomBeforeExec(c);
      if (oom != null) {
        throw failed(c, oom, null, e);
      }
      throw failed(c, e.getMessage(), e.step(), e);
    } catch (IOException | RuntimeException e) {
      throw failed(c, e.getMessage(), null, e);
    } finally {
      launches.release();
    }
  }

  /**
   * The clear message when the init died of an OOM kill in the container's memory cgroup before
   * exec (a limit too small for the runtime itself), else null.
   */
  private static String oomBeforeExec(LinuxContainer c) {
    InitProcess p = c.process();
    ContainerCgroup cg = c.cgroup();
    if (p == null || cg == null || p.isAlive()) {
      return null;
    }
    long ooms;
    try {
      ooms = cg.oomKills();
    } catch (IOException e) {
      return null;
    }
    Limits l = c.spec().limits();
    return InitSession.oomBeforeExec(
        p.onExit().getNow(0), ooms, l == null ? null : l.memoryBytes());
  }

  /**
   * Why a step failed, in the words that say most: for a syscall's errno the step's explanation
   * (what the kernel's answer means here; the errno's own text is terse); for a step of the helper
   * (no errno) its own message, the particular reason ("no image 'nosuchimage': … does not exist;
   * the images here: busybox"), then the explanation when there is one ("reads back
   * 9223372036854771712, not 16777216 — this kernel ignores kernel memory limits …"). The card once
   * said only "the image must exist as <images>/nosuchimage.tar and extract cleanly".
   */
  static String reason(StepEntry step) {
    if (step.errno() == null && step.message() != null) {
      return step.explanation() == null
          ? step.message()
          : step.message() + " — " + step.explanation();
    }
    return step.explanation() != null ? step.explanation() : step.message();
  }

  private StartFailedException failed(
      LinuxContainer c, String message, StepEntry step, Exception cause) {
    Teardown.killAndWait(c);
    Teardown.stopOutput(c);
    Exception undo = c.undo().unwind();
    if (undo != null) {
      cause.addSuppressed(undo);
    }
    containers.remove(c.id());
    c.removed();
    if (c.process() != null) {
      c.process().closeStdin();
    }
    String text =
        step == null
            ? message
            : step.call()
                + " failed"
                + (step.errno() == null ? "" : " with " + step.errno())
                + ": "
                + reason(step);
    return new StartFailedException(text, step, c.log().entries(), cause);
  }
}
