package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps cgroupfs files open between telemetry ticks and re-reads them with {@code pread} at offset
 * 0, which makes the kernel regenerate the content. Opening a kernfs file costs several times the
 * read itself (path walk, permission check, seq_file setup); at 20 containers × 10 Hz × a dozen
 * files that difference is most of the sampler's CPU. Absent files are remembered as absent until
 * {@link #close()}, so a v1-only host does not pay a failed open per tick for v2 names.
 */
final class OpenFileCache implements FileSource, AutoCloseable {

  private static final FileChannel ABSENT = null;

  private final Map<Path, Optional<FileChannel>> open = new ConcurrentHashMap<>();

  /**
   * The same descriptors by directory and name: a cgroup's directories are the same {@link Path}
   * objects each tick and the names literals, so a tick's lookups neither build nor hash a path.
   */
  private final Map<Path, Map<String, Path>> byName = new ConcurrentHashMap<>();

  private final ThreadLocal<ByteBuffer> buffer =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(8192));
  private final ThreadLocal<byte[]> bytes = ThreadLocal.withInitial(() -> new byte[8192]);

  @Override
  public Optional<String> read(Path dir, String name) {
    Map<String, Path> names = byName.computeIfAbsent(dir, d -> new ConcurrentHashMap<>());
    Path file = names.get(name);
    if (file == null) {
      file = dir.resolve(name);
      names.put(name, file);
    }
    return read(file);
  }

  @Override
  public Optional<String> read(Path file) {
    Optional<FileChannel> ch = open.computeIfAbsent(file, OpenFileCache::openOrAbsent);
    if (ch.isEmpty()) {
      return Optional.empty();
    }
    ByteBuffer b = buffer.get();
    b.clear();
    try {
      int n = ch.get().read(b, 0);
      if (n < 0) {
        return Optional.of("");
      }
      if (n == b.capacity()) {
        // Bigger than any file the sampler reads (memory.stat is not one of them): read it whole.
        return HostFs.readOptional(file);
      }
      b.flip();
      byte[] a = bytes.get();
      b.get(a, 0, n);
      return Optional.of(new String(a, 0, n, StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The cgroup was removed under us (ENODEV): forget the descriptor, report absence.
      open.remove(file);
      closeQuietly(ch.get());
      return Optional.empty();
    }
  }

  private static Optional<FileChannel> openOrAbsent(Path file) {
    try {
      return Optional.of(FileChannel.open(file));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.ofNullable(ABSENT);
    }
  }

  /** Number of descriptors held (for tests and the benchmark's report). */
  int openCount() {
    return (int) open.values().stream().filter(Optional::isPresent).count();
  }

  @Override
  public void close() {
    for (Optional<FileChannel> ch : open.values()) {
      ch.ifPresent(OpenFileCache::closeQuietly);
    }
    open.clear();
    byName.clear();
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Closing a read-only descriptor of a pseudo-file loses nothing.
    }
  }
}
