package org.glasshouse.helper.plan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.protocol.StepEntry;

/**
 * A container's step log: every syscall or helper action, timed, numbered and handed to a sink (the
 * container's listener) as it happens. Thread-safe.
 */
public final class StepLog {

  /** A step body: one syscall or one helper action. */
  @FunctionalInterface
  public interface Action<T> {
    /** Performs the action. */
    T run() throws SyscallException, IOException;
  }

  private final Consumer<StepEntry> sink;
  private final List<StepEntry> entries = new ArrayList<>();

  /**
   * @param sink receives each entry as it is recorded; must not block
   */
  public StepLog(Consumer<StepEntry> sink) {
    this.sink = sink;
  }

  /**
   * Runs {@code action} as one step of {@code step}, records its result or failure, and returns its
   * value.
   *
   * @param step the isolation step ({@code pivot-root})
   * @param stage {@code helper} or {@code init}
   * @param call the syscall or action ({@code pivot_root}, {@code write})
   * @param args arguments as a human writes them
   * @param explanation one sentence shown when it fails (null: none known)
   * @throws StepException wrapping the failure, with the recorded entry
   */
  public <T> T run(
      String step, String stage, String call, String args, String explanation, Action<T> action)
      throws StepException {
    long t0 = System.nanoTime();
    try {
      T value = action.run();
      long d = System.nanoTime() - t0;
      add(
          step,
          stage,
          call,
          args,
          true,
          value == null ? "0" : String.valueOf(value),
          null,
          null,
          null,
          d);
      return value;
    } catch (SyscallException e) {
      long d = System.nanoTime() - t0;
      StepEntry entry =
          add(
              step,
              stage,
              e.call(),
              e.args(),
              false,
              "-1",
              e.errnoName(),
              e.errnoMessage(),
              explanation,
              d);
      throw new StepException(entry, e);
    } catch (IOException e) {
      long d = System.nanoTime() - t0;
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      StepEntry entry = add(step, stage, call, args, false, "-1", null, message, explanation, d);
      throw new StepException(entry, e);
    }
  }

  /**
   * Appends an entry recorded elsewhere (by the init stage, in its own process), renumbering it
   * into this log.
   */
  public synchronized StepEntry append(StepEntry e) {
    StepEntry renumbered =
        new StepEntry(
            entries.size() + 1,
            e.step(),
            e.stage(),
            e.call(),
            e.args(),
            e.ok(),
            e.result(),
            e.errno(),
            e.message(),
            e.explanation(),
            e.durationNanos());
    entries.add(renumbered);
    sink.accept(renumbered);
    return renumbered;
  }

  /** A copy of every entry so far, in order. */
  public synchronized List<StepEntry> entries() {
    return List.copyOf(entries);
  }

  private synchronized StepEntry add(
      String step,
      String stage,
      String call,
      String args,
      boolean ok,
      String result,
      String errno,
      String message,
      String explanation,
      long durationNanos) {
    StepEntry e =
        new StepEntry(
            entries.size() + 1,
            step,
            stage,
            call,
            args,
            ok,
            result,
            errno,
            message,
            explanation,
            durationNanos);
    entries.add(e);
    sink.accept(e);
    return e;
  }

  /** A step failed; carries its recorded entry. */
  public static final class StepException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient StepEntry entry;

    StepException(StepEntry entry, Throwable cause) {
      super(cause.getMessage(), cause);
      this.entry = entry;
    }

    /** The failing step's entry. */
    public StepEntry entry() {
      return entry;
    }
  }
}
