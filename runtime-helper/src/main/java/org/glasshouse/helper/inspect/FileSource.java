package org.glasshouse.helper.inspect;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How cgroup readers get a file's content: opened and read each time ({@link #DIRECT}), or through
 * descriptors kept open by the telemetry sampler ({@link OpenFileCache}).
 */
@FunctionalInterface
public interface FileSource {

  /** Open, read, close: what a one-off reading (inspect) wants. */
  FileSource DIRECT = HostFs::readOptional;

  /** The file's content, or empty when absent or unreadable. */
  Optional<String> read(Path file);

  /**
   * The content of {@code name} in {@code dir}, or empty: {@link #read(Path)} of the resolved path
   * unless the source can find its file without resolving one ({@link OpenFileCache}).
   */
  default Optional<String> read(Path dir, String name) {
    return read(dir.resolve(name));
  }
}
