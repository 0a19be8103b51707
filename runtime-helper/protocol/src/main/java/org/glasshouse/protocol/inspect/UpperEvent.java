package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of an {@code upper} event: what changed in a container's overlay upper dir since the
 * previous reading.
 *
 * @param pid the container's first process
 * @param count entries in the upper dir now (at most the listing's limit)
 * @param truncated whether the upper dir holds more than the limit, so the listing is cut short
 * @param layers the overlay's directories, as the helper made them
 * @param diff what changed, by path: against the previous reading, or {@code none} (every entry
 *     added) on a container's first event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpperEvent(long pid, int count, boolean truncated, Layers layers, Diff diff) {

  /**
   * The directories of a container's overlay, as the host sees them.
   *
   * @param lower the read-only lower dirs (the shared image), topmost first
   * @param upper the container's writable dir
   * @param work overlayfs's scratch dir, on the upper dir's filesystem
   * @param merged where the overlay is mounted: the container's root
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Layers(List<String> lower, String upper, String work, String merged) {}

  /**
   * Changes of the upper dir's listing, entries keyed by path.
   *
   * @param against {@code previous}, or {@code none} on a container's first event
   * @param added entries that appeared
   * @param removed entries that went (as they were)
   * @param changed entries whose kind, size, owner, mode, opaque mark or change time differ (as
   *     they are now)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Diff(
      String against,
      List<UpperDirEntry> added,
      List<UpperDirEntry> removed,
      List<UpperDirEntry> changed) {}
}
