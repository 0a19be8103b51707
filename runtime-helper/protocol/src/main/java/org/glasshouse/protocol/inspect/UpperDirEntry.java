package org.glasshouse.protocol.inspect;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of an overlay's upper directory: what the container wrote, deleted (whiteout) or
 * replaced wholesale (opaque directory).
 *
 * @param path path relative to the upper directory ({@code etc/hostname})
 * @param kind file, dir, symlink, whiteout (a char device 0/0: "deleted from the lower layers"), or
 *     other
 * @param size size in bytes
 * @param uid owner
 * @param gid group
 * @param mode permission bits, octal text ({@code 0644})
 * @param opaque for a directory: true when {@code trusted.overlay.opaque=y} hides the lower layers'
 *     content; null when the xattr could not be read here (and for anything but a directory)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpperDirEntry(
    String path, String kind, long size, int uid, int gid, String mode, Boolean opaque) {}
