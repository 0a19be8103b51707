package org.glasshouse.helper.mountinfo;

import java.util.List;
import java.util.Optional;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * One line of {@code /proc/PID/mountinfo}, completely parsed, escapes ({@code \040} …) decoded.
 *
 * @param id mount id
 * @param parentId parent mount id (the root's parent is itself or a mount outside this namespace)
 * @param major device major number
 * @param minor device minor number
 * @param root the root of the mount within the filesystem
 * @param mountPoint the mount point relative to the process's root
 * @param options per-mount options ({@code rw,nosuid,relatime})
 * @param optionalFields optional fields in order: {@code shared:N}, {@code master:N}, {@code
 *     propagate_from:N}, {@code unbindable}
 * @param fsType filesystem type, with subtype if any ({@code fuse.sshfs})
 * @param source mount source ({@code /dev/vda}, {@code overlay}, {@code none})
 * @param superOptions per-superblock options
 */
public record MountEntry(
    int id,
    int parentId,
    int major,
    int minor,
    String root,
    String mountPoint,
    String options,
    List<String> optionalFields,
    String fsType,
    String source,
    String superOptions) {

  /**
   * This mount as the protocol carries it.
   *
   * @param tree the table it belongs to, to tell whether it is overmounted; null: it is not
   * @param leakedFrom the container it leaked from into the host's table, or null
   */
  public MountsResult.Mount toWire(MountTree tree, String leakedFrom) {
    return new MountsResult.Mount(
        id,
        parentId,
        major + ":" + minor,
        root,
        mountPoint,
        options,
        optionalFields,
        propagation(),
        fsType,
        source,
        superOptions,
        tree != null && tree.isOvermounted(this),
        leakedFrom,
        null);
  }

  /** Peer group of a shared mount ({@code shared:N}). */
  public Optional<Integer> sharedPeerGroup() {
    return numberedField("shared:");
  }

  /** Peer group this slave mount receives propagation from ({@code master:N}). */
  public Optional<Integer> masterPeerGroup() {
    return numberedField("master:");
  }

  /** The closest dominant peer group ({@code propagate_from:N}). */
  public Optional<Integer> propagateFrom() {
    return numberedField("propagate_from:");
  }

  /** Whether the mount is unbindable. */
  public boolean unbindable() {
    return optionalFields.contains("unbindable");
  }

  /** Propagation type as findmnt prints it: shared, slave, private, unbindable, or combos. */
  public String propagation() {
    boolean shared = sharedPeerGroup().isPresent();
    boolean slave = masterPeerGroup().isPresent();
    if (unbindable()) {
      return "unbindable";
    }
    if (shared && slave) {
      return "shared,slave";
    }
    return shared ? "shared" : slave ? "slave" : "private";
  }

  private Optional<Integer> numberedField(String prefix) {
    for (String f : optionalFields) {
      if (f.startsWith(prefix)) {
        try {
          return Optional.of(Integer.parseInt(f.substring(prefix.length())));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
