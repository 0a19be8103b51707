package org.glasshouse.helper.linux;

/**
 * What {@code statx} tells of one file.
 *
 * @param mode type and permission bits ({@code st_mode})
 * @param uid owner
 * @param gid group
 * @param nlink link count
 * @param size size in bytes
 * @param ino inode number
 * @param dev device of the filesystem ({@code major << 32 | minor})
 * @param rdevMajor for a device node, its major number
 * @param rdevMinor for a device node, its minor number
 * @param mountId the id of the mount it was reached through ({@code STATX_MNT_ID}), 0 if unknown
 * @param times its timestamps
 */
public record Stat(
    int mode,
    int uid,
    int gid,
    long nlink,
    long size,
    long ino,
    long dev,
    int rdevMajor,
    int rdevMinor,
    long mountId,
    Times times) {

  /**
   * A file's timestamps, nanoseconds since the epoch.
   *
   * @param modifiedNs the content's last change ({@code mtime})
   * @param changedNs the inode's last change ({@code ctime}: content, owner, mode, links, xattrs)
   * @param bornNs when the inode was created ({@code btime}), {@link #UNKNOWN} where the filesystem
   *     does not record it
   */
  public record Times(long modifiedNs, long changedNs, long bornNs) {
    /** {@link #bornNs} of a filesystem without birth times. */
    public static final long UNKNOWN = Long.MIN_VALUE;
  }

  private static final int S_IFMT = 0170000;

  /** Whether a directory. */
  public boolean isDirectory() {
    return (mode & S_IFMT) == 0040000;
  }

  /** Whether a regular file. */
  public boolean isRegularFile() {
    return (mode & S_IFMT) == 0100000;
  }

  /** Whether a symbolic link. */
  public boolean isSymlink() {
    return (mode & S_IFMT) == 0120000;
  }

  /** Whether a character device (an overlay whiteout is one, 0:0). */
  public boolean isCharDevice() {
    return (mode & S_IFMT) == 0020000;
  }

  /** The permission bits with setuid, setgid and sticky. */
  public int permissions() {
    return mode & 07777;
  }

  /** Whether {@code other} is the same file (device and inode). */
  public boolean sameFile(Stat other) {
    return other != null && dev == other.dev && ino == other.ino;
  }
}
