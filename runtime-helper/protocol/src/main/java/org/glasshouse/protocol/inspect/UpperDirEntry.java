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
 * @param lower whether a lower layer has this path too: true for a file the container changed
 *     (copied up from the image, then written) or a directory it merges with the image's; false for
 *     something new; null for a whiteout (which always names a lower path) or when unknown
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
    Boolean lower) {

  /** An entry whose presence in the lower layers is not known. */
  public UpperDirEntry(
      String path, String kind, long size, int uid, int gid, String mode, Boolean opaque) {
    this(path, kind, size, uid, gid, mode, opaque, null);
  }

  /** This entry with {@link #lower} set. */
  public UpperDirEntry withLower(Boolean inLower) {
    return new UpperDirEntry(path, kind, size, uid, gid, mode, opaque, inLower);
  }
}
