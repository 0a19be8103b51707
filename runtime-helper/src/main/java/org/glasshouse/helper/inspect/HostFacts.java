package org.glasshouse.helper.inspect;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.glasshouse.helper.cgroups.CgroupLayout;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.protocol.Privilege;

/**
 * What the kernel of this host offers the lab, read from files under an injectable root ({@code /}
 * here, a fixture directory in tests). Every field is read independently; a file that is missing or
 * unreadable gives an "unknown" value, never an exception.
 *
 * @param kernel the kernel release ({@code /proc/sys/kernel/osrelease}), empty if unknown
 * @param effectiveUid the effective uid of the reading process ({@code /proc/self/status})
 * @param namespaces the namespace types present in {@code /proc/self/ns}, among {@link
 *     #NAMESPACE_TYPES}
 * @param overlayfs whether {@code /proc/filesystems} lists {@code overlay}
 * @param rootFsType the filesystem type mounted at {@code /} (the topmost one), empty if unknown
 * @param cgroups the cgroup layout
 */
public record HostFacts(
    String kernel,
    OptionalInt effectiveUid,
    Set<String> namespaces,
    boolean overlayfs,
    String rootFsType,
    CgroupLayout cgroups) {

  /** The namespace types the lab knows, in the order doctor lists them. */
  public static final List<String> NAMESPACE_TYPES =
      List.of("mnt", "uts", "ipc", "pid", "net", "cgroup", "user", "time");

  public HostFacts {
    namespaces = Set.copyOf(namespaces);
  }

  /** Reads the facts of the host whose {@code /proc} and cgroupfs are under {@code root}. */
  public static HostFacts read(Path root) {
    Path proc = root.resolve("proc");
    Set<String> namespaces = new LinkedHashSet<>();
    for (String type : NAMESPACE_TYPES) {
      // The entries are magic symlinks (mnt -> mnt:[4026531832]); their presence is the fact.
      if (Files.exists(proc.resolve("self/ns").resolve(type), LinkOption.NOFOLLOW_LINKS)) {
        namespaces.add(type);
      }
    }
    List<MountEntry> mounts;
    try {
      mounts = MountInfoParser.parse(CgroupLayout.read(proc.resolve("self/mountinfo")));
    } catch (IllegalArgumentException e) {
      mounts = List.of();
    }
    String rootFs = "";
    for (MountEntry m : mounts) {
      // Mounts stacked on "/" come later in mountinfo; the last one is what the process sees.
      if (m.mountPoint().equals("/")) {
        rootFs = m.fsType();
      }
    }
    CgroupLayout cgroups;
    try {
      cgroups = CgroupLayout.detect(root);
    } catch (IllegalArgumentException e) {
      cgroups = CgroupLayout.from(List.of(), "", p -> "");
    }
    return new HostFacts(
        CgroupLayout.read(proc.resolve("sys/kernel/osrelease")).trim(),
        Privilege.effectiveUid(CgroupLayout.read(proc.resolve("self/status"))),
        namespaces,
        hasFilesystem(CgroupLayout.read(proc.resolve("filesystems")), "overlay"),
        rootFs,
        cgroups);
  }

  /**
   * Whether the reading process was root (effective uid 0) in the facts read (a fixture's in
   * tests); the live answer is {@link Privilege#runningAsRoot}.
   */
  public boolean isRoot() {
    return effectiveUid.orElse(-1) == 0;
  }

  /**
   * Whether pivot_root(2) can work here: the root is a real mount rather than the initramfs {@code
   * rootfs} (which pivot_root refuses with EINVAL), mount namespaces exist, and the reader is root.
   * Empty when only root could tell.
   */
  public Optional<Boolean> pivotRootPossible() {
    if (rootFsType.equals("rootfs") || !namespaces.contains("mnt")) {
      return Optional.of(false);
    }
    return isRoot() ? Optional.of(true) : Optional.empty();
  }

  /** Whether a {@code /proc/filesystems} text lists {@code type} ({@code nodev\toverlay}). */
  static boolean hasFilesystem(String filesystems, String type) {
    for (String line : filesystems.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 0 && f[f.length - 1].equals(type)) {
        return true;
      }
    }
    return false;
  }
}
