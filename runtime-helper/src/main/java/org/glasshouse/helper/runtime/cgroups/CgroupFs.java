package org.glasshouse.helper.runtime.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The four things the drivers do to cgroupfs: mkdir, write a control file, read one, rmdir. The
 * real one goes to the kernel; tests subclass it so that mkdir populates the control files the
 * kernel would create, and rmdir removes them.
 */
public class CgroupFs {

  /** Creates a cgroup dir (the kernel fills in its control files). */
  public void mkdir(Path dir) throws IOException {
    Files.createDirectory(dir);
  }

  /**
   * Writes one value in one write(2). The file is never created: a missing control file means the
   * kernel lacks the feature, which the caller turns into an explanation.
   */
  public void write(Path file, String value) throws IOException {
    Files.write(
        file,
        value.getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Reads a control file. */
  public String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  /** Removes an empty cgroup (its control files go with it). */
  public void rmdir(Path dir) throws IOException {
    Files.delete(dir);
  }

  /** Whether a path exists (a dir or a control file). */
  public boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  /** Child cgroups of a cgroup dir, by name. */
  public List<String> children(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    out.sort(null);
    return out;
  }

  /** Whether rmdir failed because the cgroup still has tasks (EBUSY). */
  public static boolean isBusy(IOException e) {
    return e instanceof FileSystemException fse
        && fse.getReason() != null
        && fse.getReason().contains("busy");
  }
}
