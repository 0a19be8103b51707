package org.glasshouse.helper.plan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.glasshouse.helper.linux.Call;
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
    StepEntry.Builder entry = StepEntry.builder().step(step).stage(stage).explanation(explanation);
    long t0 = System.nanoTime();
    try {
      T value = action.run();
      long d = System.nanoTime() - t0;
      add(
          entry
              .call(call)
              .args(args)
              .ok(true)
              .result(value == null ? "0" : String.valueOf(value))
              .explanation(null)
              .durationNanos(d));
      return value;
    } catch (SyscallException e) {
      long d = System.nanoTime() - t0;
      // The call and its arguments as the exception tells them: the same text as its message.
      entry
          .call(e.call())
          .args(e.args())
          .ok(false)
          .result("-1")
          .errno(e.errnoName())
          .message(e.errnoMessage())
          .durationNanos(d);
      throw new StepException(add(entry), e);
    } catch (IOException e) {
      long d = System.nanoTime() - t0;
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      entry.call(call).args(args).ok(false).result("-1").message(message).durationNanos(d);
      throw new StepException(add(entry), e);
    }
  }

  /**
   * Runs one syscall as one step of {@code step}: the entry names it as {@code call} does, the same
   * text its {@link SyscallException} carries when it fails.
   */
  public <T> T run(String step, String stage, Call call, String explanation, Action<T> action)
      throws StepException {
    return run(step, stage, call.name(), call.args(), explanation, action);
  }

  /**
   * Appends an entry recorded elsewhere (by the init stage, in its own process), renumbering it
   * into this log.
   */
  public synchronized StepEntry append(StepEntry e) {
    StepEntry renumbered = e.withSeq(entries.size() + 1);
    entries.add(renumbered);
    sink.accept(renumbered);
    return renumbered;
  }

  /** A copy of every entry so far, in order. */
  public synchronized List<StepEntry> entries() {
    return List.copyOf(entries);
  }

  private synchronized StepEntry add(StepEntry.Builder entry) {
    StepEntry e = entry.seq(entries.size() + 1).build();
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
