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
}
