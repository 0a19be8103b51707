package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The body of a {@code namespaces} event (topic {@code namespaces}), pushed only when the
 * namespaces of a container's processes changed: a process came or went, or one is now in another
 * namespace of some type. The envelope adds {@code event} and {@code container}.
 *
 * @param pid the container's first process (host pid)
 * @param processes every member now, pid ascending (the processes {@code inspect} lists)
 * @param diff against the previous reading
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NamespacesEvent(long pid, List<Member> processes, Diff diff) {

  /**
   * One process of the container and its namespaces.
   *
   * @param pid host pid
   * @param namespaces per type, in the order of {@code inspect} ({@code mnt}, {@code uts}, …); a
   *     type whose link was unreadable is absent
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(long pid, Map<String, Namespace> namespaces) {}

  /**
   * One namespace of a process.
   *
   * @param inode its nsfs inode: two processes share the namespace exactly when these are equal
   * @param sameAsHost whether it is the host's (PID 1's)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Namespace(long inode, boolean sameAsHost) {}

  /**
   * What changed since the previous event for the container.
   *
   * @param against {@code "previous"}, or {@code "none"} for the first event of a container (every
   *     process in {@code added}, nothing in {@code removed} or {@code changed})
   * @param added pids that joined, ascending
   * @param removed pids that left, ascending
   * @param changed per pid in both readings (ascending), per type in display order: the namespaces
   *     whose inode differs
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Diff(String against, List<Long> added, List<Long> removed, List<Change> changed) {}

  /**
   * One namespace of one process that is not the one it was.
   *
   * @param pid the process (host pid)
   * @param ns the namespace type ({@code uts})
   * @param before the inode read before; {@code null} (written, not left out) when the link was not
   *     readable then
   * @param after the inode read now; {@code null} when the link is not readable now
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Change(
      long pid,
      String ns,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long before,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long after) {}
}
