package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of a {@code mounts} event (topic {@code mounts}), pushed only when a container's mount
 * table changed; the envelope adds {@code event} and {@code container}.
 *
 * @param pid the container's first process, whose {@code /proc/PID/mountinfo} was read
 * @param count mounts in its table now
 * @param diff against the previous reading ({@code "previous"}); the first event for a container
 *     has {@code "none"} and every mount in {@code added}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountsEvent(long pid, int count, MountsResult.Diff diff) {}
