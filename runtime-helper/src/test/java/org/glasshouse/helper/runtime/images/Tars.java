package org.glasshouse.helper.runtime.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tarballs for the tests, hostile ones included: names are written exactly as given. */
final class Tars implements AutoCloseable {
  private final TarArchiveOutputStream out;
  private final int uid;
  private final int gid;
  static final FileTime MTIME = FileTime.fromMillis(1_600_000_000_000L);

  Tars(Path file, int uid, int gid) throws IOException {
    this(file, uid, gid, TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /**
   * @param longFileMode how names over 100 bytes are written: {@code LONGFILE_POSIX} (a PAX {@code
   *     path} record) or {@code LONGFILE_GNU} (a {@code ././@LongLink} member)
   */
  Tars(Path file, int uid, int gid, int longFileMode) throws IOException {
    OutputStream os = Files.newOutputStream(file);
    out = new TarArchiveOutputStream(os);
    out.setLongFileMode(longFileMode);
    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    this.uid = uid;
    this.gid = gid;
  }

  Tars dir(String name, int mode) throws IOException {
    return add(new TarArchiveEntry(name, TarConstants.LF_DIR, true), mode, null, e -> {});
  }

  Tars file(String name, int mode, String content) throws IOException {
    return file(name, mode, content, e -> {});
  }

  Tars file(String name, int mode, String content, Consumer<TarArchiveEntry> tweak)
      throws IOException {
    return add(new TarArchiveEntry(name, TarConstants.LF_NORMAL, true), mode, content, tweak);
  }

  Tars symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return add(e, 0777, null, x -> {});
  }

  Tars hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return add(e, 0644, null, x -> {});
  }

  Tars special(String name, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setDevMajor(1);
    e.setDevMinor(3);
    return add(e, 0666, null, x -> {});
  }

  private Tars add(TarArchiveEntry e, int mode, String content, Consumer<TarArchiveEntry> tweak)
      throws IOException {
    byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(MTIME);
    e.setSize(data.length);
    tweak.accept(e);
    out.putArchiveEntry(e);
    out.write(data);
    out.closeArchiveEntry();
    return this;
  }

  /**
   * Writes a tarball of one special record ({@code L}: GNU long name, {@code x}: PAX header) with
   * {@code data} as its content, followed by an empty regular file {@code f}: byte by byte, since
   * the library's writer takes minutes for a megabyte-long name.
   */
  static void special(Path file, char type, byte[] data) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      String name = type == 'L' ? "././@LongLink" : "PaxHeaders/f";
      os.write(header(name, type, data.length));
      os.write(data);
      os.write(new byte[(512 - data.length % 512) % 512]);
      os.write(header("f", '0', 0));
      os.write(new byte[1024]);
    }
  }

  /** One PAX record, {@code "<len> key=value\n"}, its length counting its own digits. */
  static byte[] paxRecord(String key, String value) {
    String rest = " " + key + "=" + value + "\n";
    int len = rest.length() + 1;
    while (String.valueOf(len).length() + rest.length() != len) {
      len++;
    }
    return (len + rest).getBytes(StandardCharsets.UTF_8);
  }

  /** A ustar header block. */
  private static byte[] header(String name, char type, long size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", MTIME.toMillis() / 1000));
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    return h;
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
