package org.glasshouse.helper.linux;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An open directory, and the only way the helper touches what is inside an image or a container
 * tree: every name is resolved from this fd, never through a symbolic link (a link is acted on as a
 * link), never out of the directory, never across a mount. Single names ({@code name}) are one
 * component, checked; relative paths ({@code rel}) go through {@code openat2} with {@link
 * FsFlags#RESOLVE_STRICT}.
 *
 * <p>Names are bytes as the kernel stores them; the {@code String} overloads encode UTF-8.
 */
public final class Dir implements AutoCloseable {

  private static final int DIR_FLAGS =
      FsFlags.O_RDONLY | FsFlags.O_DIRECTORY | FsFlags.O_NOFOLLOW | FsFlags.O_CLOEXEC;

  private final FsCalls fs;
  private final int fd;
  private byte[] buf;
  private int bufLen;
  private int bufPos;
  private boolean closed;

  private Dir(FsCalls fs, int fd) {
    this.fs = fs;
    this.fd = fd;
  }

  /**
   * Opens a directory the helper names itself (its state dir, an image or container dir): the last
   * component must be a directory, not a link to one; the components before it are the helper's own
   * and resolved as usual.
   */
  public static Dir open(FsCalls fs, Path dir) throws SyscallException {
    return new Dir(fs, fs.openat(FsFlags.AT_FDCWD, bytes(dir.toString()), DIR_FLAGS, 0));
  }

  /**
   * Opens the root of a process's tree through its magic link ({@code /proc/PID/root}, which the
   * kernel resolves to that process's root, mounts and all), {@code O_PATH}: the result is only a
   * starting point for {@link #readRegular} and {@link #exists}, it cannot be listed.
   */
  public static Dir openRootOf(FsCalls fs, Path procPidRoot) throws SyscallException {
    int flags = FsFlags.O_PATH | FsFlags.O_DIRECTORY | FsFlags.O_CLOEXEC;
    return new Dir(fs, fs.openat(FsFlags.AT_FDCWD, bytes(procPidRoot.toString()), flags, 0));
  }

  /** UTF-8 bytes of a name. */
  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The fd, for messages and for {@link FsCalls} calls this class does not wrap. */
  public int fd() {
    return fd;
  }

  /** Opens the directory at {@code rel} below this one (strict resolution). */
  public Dir dir(String rel) throws SyscallException {
    return dir(bytes(rel));
  }

  /** Opens the directory at {@code rel} below this one (strict resolution). */
  public Dir dir(byte[] rel) throws SyscallException {
    return new Dir(fs, fs.openat2(fd, rel, DIR_FLAGS, 0, FsFlags.RESOLVE_STRICT));
  }

  /**
   * Opens {@code name} with {@code O_PATH}: a handle that needs no permission on the file itself,
   * e.g. to change the mode of a directory that cannot be opened for reading.
   */
  public int openPath(byte[] name) throws SyscallException {
    return fs.openat2(
        fd,
        one(name),
        FsFlags.O_PATH | FsFlags.O_NOFOLLOW | FsFlags.O_CLOEXEC,
        0,
        FsFlags.RESOLVE_STRICT);
  }

  /**
   * Whether this tree has an entry at {@code rel}, looked up with {@link FsFlags#RESOLVE_STRICT}
   * and {@code O_PATH|O_NOFOLLOW}: a link on the way means there is no such path here (an image
   * layer, seen as overlayfs sees it); a link as the last component is an entry of its own.
   */
  public boolean exists(String rel) throws SyscallException {
    int f =
        lookup(
            rel, FsFlags.O_PATH | FsFlags.O_NOFOLLOW | FsFlags.O_CLOEXEC, FsFlags.RESOLVE_STRICT);
    if (f < 0) {
      return false;
    }
    closeQuietly(f);
    return true;
  }

  /**
   * The content of the regular file at {@code path} (relative, or absolute as the tree's own
   * processes see it), at most {@code max} bytes; empty when there is none or it is not a regular
   * file. Resolved the way the tree's processes would ({@code RESOLVE_IN_ROOT}: absolute links and
   * {@code ..} stop at this directory) but through no magic link; opened {@code O_PATH} first, so a
   * FIFO or a device in its place is never opened, and read only once {@code statx} of that very fd
   * says it is a regular file (through {@code /proc/self/fd/N}, which names exactly that inode).
   */
  public java.util.Optional<byte[]> readRegular(String path, int max) throws SyscallException {
    String rel = path.startsWith("/") ? path.substring(1) : path;
    int f =
        lookup(
            rel,
            FsFlags.O_PATH | FsFlags.O_CLOEXEC,
            FsFlags.RESOLVE_IN_ROOT | FsFlags.RESOLVE_NO_MAGICLINKS);
    if (f < 0) {
      return java.util.Optional.empty();
    }
    try {
      if (!fs.statx(f, new byte[0], FsFlags.AT_EMPTY_PATH).isRegularFile()) {
        return java.util.Optional.empty();
      }
      try (java.io.InputStream in =
          java.nio.file.Files.newInputStream(Path.of("/proc/self/fd/" + f))) {
        return java.util.Optional.of(in.readNBytes(max));
      } catch (IOException e) {
        throw new SyscallException(
            "read", "/proc/self/fd/" + f + ", …, " + max, 5, "EIO", String.valueOf(e.getMessage()));
      }
    } finally {
      closeQuietly(f);
    }
  }

  /** The fd of {@code rel}, or -1 when the kernel says there is no such path for this lookup. */
  private int lookup(String rel, int flags, long resolve) throws SyscallException {
    if (rel.isEmpty() || rel.indexOf('\0') >= 0) {
      return -1;
    }
    try {
      return fs.openat2(fd, bytes(rel), flags, 0, resolve);
    } catch (SyscallException e) {
      int errno = e.errno();
      if (errno == Errno.ENOENT
          || errno == Errno.ENOTDIR
          || errno == Errno.EXDEV
          || errno == Errno.ELOOP) {
        return -1;
      }
      throw e;
    }
  }

  private void closeQuietly(int f) {
    try {
      fs.close(f);
    } catch (SyscallException e) {
      // close(2) releases the fd even when it reports an error: nothing to retry.
    }
  }

  /** The parent directory ({@code ..}): check it is the one expected, it may have moved. */
  public Dir parent() throws SyscallException {
    return new Dir(fs, fs.openat(fd, bytes(".."), DIR_FLAGS, 0));
  }

  /** This directory's own stat. */
  public Stat stat() throws SyscallException {
    return fs.statx(fd, new byte[0], FsFlags.AT_EMPTY_PATH | FsFlags.AT_SYMLINK_NOFOLLOW);
  }

  /** The stat of {@code name} itself (a link is not followed), or null when there is none. */
  public Stat lstat(String name) throws SyscallException {
    return lstat(bytes(name));
  }

  /** The stat of {@code name} itself (a link is not followed), or null when there is none. */
  public Stat lstat(byte[] name) throws SyscallException {
    try {
      return fs.statx(fd, one(name), FsFlags.AT_SYMLINK_NOFOLLOW);
    } catch (SyscallException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw e;
    }
  }

  /** {@code mkdirat}. */
  public void mkdir(String name, int mode) throws SyscallException {
    fs.mkdirat(fd, one(bytes(name)), mode);
  }

  /** {@code symlinkat}: the link's text is stored as given. */
  public void symlink(String target, String name) throws SyscallException {
    fs.symlinkat(bytes(target), fd, one(bytes(name)));
  }

  /** A hard link {@code name} here to {@code from}'s {@code fromName}, which is not followed. */
  public void link(Dir from, String fromName, String name) throws SyscallException {
    fs.linkat(from.fd, one(bytes(fromName)), fd, one(bytes(name)), 0);
  }

  /** Removes a non-directory (a link is removed, not what it points to). */
  public void unlink(byte[] name) throws SyscallException {
    fs.unlinkat(fd, one(name), 0);
  }

  /** Removes a non-directory (a link is removed, not what it points to). */
  public void unlink(String name) throws SyscallException {
    unlink(bytes(name));
  }

  /** Removes an empty directory. */
  public void rmdir(byte[] name) throws SyscallException {
    fs.unlinkat(fd, one(name), FsFlags.AT_REMOVEDIR);
  }

  /**
   * Creates the regular file {@code name} ({@code O_CREAT|O_EXCL|O_NOFOLLOW}: nothing of that name
   * may exist, not even a dangling link) and opens it for writing.
   */
  public FileOut create(String name, int mode) throws SyscallException {
    int flags =
        FsFlags.O_WRONLY
            | FsFlags.O_CREAT
            | FsFlags.O_EXCL
            | FsFlags.O_NOFOLLOW
            | FsFlags.O_CLOEXEC;
    return new FileOut(fs, fs.openat(fd, one(bytes(name)), flags, mode));
  }

  /** {@code fchownat(AT_SYMLINK_NOFOLLOW)}: the owner of {@code name} itself. */
  public void lchown(String name, int uid, int gid) throws SyscallException {
    fs.fchownat(fd, one(bytes(name)), uid, gid, FsFlags.AT_SYMLINK_NOFOLLOW);
  }

  /** {@code utimensat(AT_SYMLINK_NOFOLLOW)}: the mtime of {@code name} itself. */
  public void lsetMtime(String name, long sec, long nsec) throws SyscallException {
    fs.utimensat(fd, one(bytes(name)), sec, nsec, FsFlags.AT_SYMLINK_NOFOLLOW);
  }

  /** This directory's owner. */
  public void chown(int uid, int gid) throws SyscallException {
    fs.fchown(fd, uid, gid);
  }

  /** This directory's mode. */
  public void chmod(int mode) throws SyscallException {
    fs.fchmod(fd, mode);
  }

  /** This directory's mtime. */
  public void setMtime(long sec, long nsec) throws SyscallException {
    fs.utimensat(fd, null, sec, nsec, 0);
  }

  /** An xattr of this directory, or null when it has none. */
  public byte[] xattr(String name) throws SyscallException {
    return fs.fgetxattr(fd, name);
  }

  /** One directory entry: its name's bytes and its type ({@code DT_*}, 0 when unknown). */
  public record Entry(byte[] name, int type) {
    /** {@code DT_DIR}. */
    public static final int DT_DIR = 4;

    /** {@code DT_LNK}. */
    public static final int DT_LNK = 10;

    /** {@code DT_UNKNOWN}: the filesystem does not say; stat it. */
    public static final int DT_UNKNOWN = 0;

    /** The name as text (UTF-8; invalid bytes become U+FFFD: for display only). */
    public String text() {
      return new String(name, StandardCharsets.UTF_8);
    }
  }

  /**
   * The next entry of this directory ({@code .} and {@code ..} skipped), or null at its end. Reads
   * {@code getdents64} 32 KiB at a time.
   */
  public Entry next() throws SyscallException {
    while (true) {
      if (buf == null) {
        buf = new byte[32 << 10];
      }
      if (bufPos >= bufLen) {
        bufLen = fs.getdents64(fd, buf);
        bufPos = 0;
        if (bufLen == 0) {
          return null;
        }
      }
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      int reclen = (buf[bufPos + 16] & 0xff) | (buf[bufPos + 17] & 0xff) << 8;
      if (reclen < 20 || bufPos + reclen > bufLen) {
        throw new IllegalStateException("getdents64 returned a malformed record at " + bufPos);
      }
      int type = buf[bufPos + 18] & 0xff;
      int start = bufPos + 19;
      int end = start;
      while (end < bufPos + reclen && buf[end] != 0) {
        end++;
      }
      byte[] name = java.util.Arrays.copyOfRange(buf, start, end);
      bufPos += reclen;
      if (isDot(name)) {
        continue;
      }
      return new Entry(name, type);
    }
  }

  /** Starts {@link #next} over from the first entry. */
  public void rewind() throws SyscallException {
    fs.rewind(fd);
    bufLen = 0;
    bufPos = 0;
  }

  /** Every entry; for directories the caller knows to be small. */
  public List<Entry> list() throws SyscallException {
    List<Entry> out = new ArrayList<>();
    for (Entry e = next(); e != null; e = next()) {
      out.add(e);
    }
    return out;
  }

  private static boolean isDot(byte[] n) {
    return (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
  }

  /** A single component: no {@code /}, not empty, not {@code .} or {@code ..}. */
  private static byte[] one(byte[] name) {
    boolean slash = false;
    for (byte b : name) {
      slash |= b == '/' || b == 0;
    }
    if (name.length == 0 || slash || isDot(name)) {
      throw new IllegalArgumentException(
          "not a single name: " + new String(name, StandardCharsets.UTF_8));
    }
    return name;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        fs.close(fd);
      } catch (SyscallException e) {
        // close(2) releases the fd even when it reports an error: nothing to retry.
      }
    }
  }

  /** A regular file just created, open for writing. */
  public static final class FileOut extends OutputStream {
    private final FsCalls fs;
    private final int fd;
    private boolean closed;

    private FileOut(FsCalls fs, int fd) {
      this.fs = fs;
      this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n;
        try {
          n = fs.write(fd, b, off, len);
        } catch (SyscallException e) {
          throw new IOException(e.getMessage(), e);
        }
        off += n;
        len -= n;
      }
    }

    /** Its owner; before {@link #chmod}, since chown clears setuid and setgid. */
    public void chown(int uid, int gid) throws SyscallException {
      fs.fchown(fd, uid, gid);
    }

    /** Its mode. */
    public void chmod(int mode) throws SyscallException {
      fs.fchmod(fd, mode);
    }

    /** Its mtime. */
    public void setMtime(long sec, long nsec) throws SyscallException {
      fs.utimensat(fd, null, sec, nsec, 0);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        try {
          fs.close(fd);
        } catch (SyscallException e) {
          // The fd is released whatever close(2) reports.
        }
      }
    }
  }
}
