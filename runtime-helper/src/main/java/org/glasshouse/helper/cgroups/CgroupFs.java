package org.glasshouse.helper.cgroups;

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
import org.glasshouse.helper.linux.Bpf;
import org.glasshouse.helper.linux.Fd;
import org.glasshouse.helper.linux.SyscallException;

/**
 * The things the drivers do to cgroupfs: mkdir, write a control file, read one, rmdir — and, on
 * cgroup v2, load a device filter and attach it to a cgroup dir. The real one goes to the kernel;
 * tests subclass it so that mkdir populates the control files the kernel would create, and rmdir
 * removes them.
 */
public class CgroupFs {

  private Bpf bpf;

  private synchronized Bpf bpf() {
    if (bpf == null) {
      bpf = new Bpf();
    }
    return bpf;
  }

  /** Opens a cgroup dir, to attach a program to it. */
  public Fd openCgroup(Path dir) throws SyscallException {
    return bpf().openCgroup(dir.toString());
  }

  /** Loads a device filter into the kernel; returns the program's fd. */
  public int loadDeviceFilter(DeviceFilter filter) throws SyscallException {
    return bpf().loadCgroupDevice(filter.bytes(), DeviceFilter.LICENSE);
  }

  /** Attaches a loaded device filter to an open cgroup dir. */
  public void attachDeviceFilter(Fd cgroup, int progFd) throws SyscallException {
    bpf().attachCgroupDevice(cgroup, progFd);
  }

  /**
   * How many device programs are attached to {@code dir} itself (v2), or -1 when it cannot be
   * asked.
   */
  public int deviceFilters(Path dir) {
    try {
      return bpf().countCgroupDevice(dir.toString());
    } catch (SyscallException | RuntimeException e) {
      return -1;
    }
  }

  /** Closes an fd from {@link #openCgroup} or {@link #loadDeviceFilter}. */
  public void close(int fd) {
    bpf().close(fd);
  }

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
