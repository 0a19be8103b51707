package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of a {@code telemetry} event (topic {@code telemetry}), one per watched running
 * container every interval; the envelope adds {@code event} and {@code container}.
 *
 * @param sample the reading
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TelemetryEvent(TelemetrySample sample) {}
