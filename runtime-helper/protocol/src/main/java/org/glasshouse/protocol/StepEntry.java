package org.glasshouse.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a container's step log: one syscall (or one helper action such as writing a cgroup
 * file) the runtime made, and what the kernel answered. The app shows these as the syscall
 * timeline.
 *
 * <p>Built by name ({@link #builder}): four of the components are Strings in a row, which a
 * positional call could swap unnoticed ({@code NamedConstructionTest} forbids the canonical
 * constructor outside this type; Jackson still binds to it).
 *
 * @param seq 1-based position in the container's log
 * @param step the isolation step it belongs to ({@code pivot-root}, {@code cgroup-memory}, …)
 * @param stage {@code helper} (done by the root helper) or {@code init} (done by the init stage
 *     inside the new namespaces)
 * @param call the syscall or action, e.g. {@code pivot_root}
 * @param args the arguments as a human writes them, flags symbolic: {@code ".", ".oldroot"}
 * @param ok whether it succeeded
 * @param result the return value on success ({@code "0"}, a pid, …)
 * @param errno on failure the errno name ({@code EBUSY}), else null
 * @param message on failure strerror's text ({@code Device or resource busy}), else null
 * @param explanation on failure, one sentence that explains it in the level's terms, when known
 * @param durationNanos how long the call took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepEntry(
    int seq,
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

  /** A builder with every field unset (not ok, no result). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this entry's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .seq(seq)
        .step(step)
        .stage(stage)
        .call(call)
        .args(args)
        .ok(ok)
        .result(result)
        .errno(errno)
        .message(message)
        .explanation(explanation)
        .durationNanos(durationNanos);
  }

  /** This entry at another position of a log (an entry recorded elsewhere, renumbered). */
  public StepEntry withSeq(int newSeq) {
    return toBuilder().seq(newSeq).build();
  }

  /** Builds a {@link StepEntry} field by field; each setter is named after its component. */
  public static final class Builder {
    private int seq;
    private String step;
    private String stage;
    private String call;
    private String args;
    private boolean ok;
    private String result;
    private String errno;
    private String message;
    private String explanation;
    private long durationNanos;

    private Builder() {}

    /** {@link StepEntry#seq}. */
    public Builder seq(int seq) {
      this.seq = seq;
      return this;
    }

    /** {@link StepEntry#step}. */
    public Builder step(String step) {
      this.step = step;
      return this;
    }

    /** {@link StepEntry#stage}. */
    public Builder stage(String stage) {
      this.stage = stage;
      return this;
    }

    /** {@link StepEntry#call}. */
    public Builder call(String call) {
      this.call = call;
      return this;
    }

    /** {@link StepEntry#args}. */
    public Builder args(String args) {
      this.args = args;
      return this;
    }

    /** {@link StepEntry#ok}. */
    public Builder ok(boolean ok) {
      this.ok = ok;
      return this;
    }

    /** {@link StepEntry#result}. */
    public Builder result(String result) {
      this.result = result;
      return this;
    }

    /** {@link StepEntry#errno}. */
    public Builder errno(String errno) {
      this.errno = errno;
      return this;
    }

    /** {@link StepEntry#message}. */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /** {@link StepEntry#explanation}. */
    public Builder explanation(String explanation) {
      this.explanation = explanation;
      return this;
    }

    /** {@link StepEntry#durationNanos}. */
    public Builder durationNanos(long durationNanos) {
      this.durationNanos = durationNanos;
      return this;
    }

    /** The entry. */
    public StepEntry build() {
      return new StepEntry(
          seq, step, stage, call, args, ok, result, errno, message, explanation, durationNanos);
    }
  }
}
