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
 * @param inLower whether the lower layers (the image) have this path too: a file then is a copy-up
 *     (or a replacement) of the image's, a directory merges with the image's, a whiteout hides the
 *     image's; false: the container made it new; null when the lower dir could not be read
 * @param changedNs the inode's last change ({@code ctime}), nanoseconds since the epoch
 * @param createdNs when the inode was created in the upper dir ({@code btime}), nanoseconds since
 *     the epoch; null where the filesystem does not record it. For a copy-up, {@code changedNs -
 *     createdNs} is how long the copy took (until the file is changed again)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpperDirEntry(
    String path,
    String kind,
    long size,
    int uid,
    int gid,
    String mode,
    Boolean opaque,
    Boolean inLower,
    Long changedNs,
    Long createdNs) {}
