package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The result of the {@code stats} op: one sample per running container asked for.
 *
 * @param containers in the helper's order; containers not running are left out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatsResult(List<Entry> containers) {

  /**
   * One container's reading.
   *
   * @param container the container id
   * @param sample its sample
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(String container, TelemetrySample sample) {}
}
