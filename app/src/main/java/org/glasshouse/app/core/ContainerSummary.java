package org.glasshouse.app.core;

import java.time.Instant;
import java.util.List;

/**
 * One row of the helper's {@code ps}.
 *
 * @param id container id
 * @param image image name
 * @param argv the command
 * @param level level it ran at, or null
 * @param state {@code running}, {@code exited}, …
 * @param pid host pid while running
 * @param exitCode exit code once exited
 * @param signal the killing signal, if any
 * @param oomKilled whether the OOM killer ended it
 * @param createdAt when the helper created it, or null when it does not say (the helper's list is
 *     in no particular order: this orders it)
 */
public record ContainerSummary(
    String id,
    String image,
    List<String> argv,
    Integer level,
    String state,
    Long pid,
    Integer exitCode,
    String signal,
    boolean oomKilled,
    Instant createdAt) {}
