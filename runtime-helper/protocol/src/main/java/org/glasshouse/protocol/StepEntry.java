package org.glasshouse.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a container's step log: one syscall (or one helper action such as writing a cgroup
 * file) the runtime made, and what the kernel answered. The app shows these as the syscall
 * timeline.
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
    long durationNanos) {}
