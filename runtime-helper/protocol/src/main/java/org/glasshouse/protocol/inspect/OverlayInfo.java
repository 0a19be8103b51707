package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The layers of an overlay mount, from its super options.
 *
 * @param mountPoint where the overlay is mounted (as the process sees it)
 * @param lower lower directories, topmost first
 * @param upper the upper (writable) directory, or null for a read-only overlay
 * @param work the work directory, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverlayInfo(String mountPoint, List<String> lower, String upper, String work) {}
