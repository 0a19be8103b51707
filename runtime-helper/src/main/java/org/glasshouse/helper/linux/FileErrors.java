package org.glasshouse.helper.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
import java.util.Optional;

/**
 * The errno behind a failed {@code java.nio} file call, so that a file the helper writes with the
 * JDK (a cgroup control file, a sysctl) fails as every syscall does: {@code write("/sys/fs/cgroup/…
 * /memory.max", "1") = -1 EINVAL (Invalid argument)}. The JDK keeps the errno only as glibc's
 * sentence (the reason of a {@link FileSystemException}, the message of a plain {@link IOException}
 * from write(2)) or as the exception's type; this reads it back from either.
 */
public final class FileErrors {
  private FileErrors() {}

  /** glibc's sentence for each errno a write, mkdir, rmdir or unlink of kernel files gives. */
  private static final Map<String, Integer> BY_SENTENCE =
      Map.ofEntries(
          Map.entry("Operation not permitted", 1),
          Map.entry("No such file or directory", 2),
          Map.entry("No such process", 3),
          Map.entry("Resource temporarily unavailable", 11),
          Map.entry("Cannot allocate memory", 12),
          Map.entry("Permission denied", 13),
          Map.entry("Device or resource busy", 16),
          Map.entry("File exists", 17),
          Map.entry("No such device", 19),
          Map.entry("Not a directory", 20),
          Map.entry("Invalid argument", 22),
          Map.entry("No space left on device", 28),
          Map.entry("Read-only file system", 30),
          Map.entry("Directory not empty", 39),
          Map.entry("Operation not supported", 95));

  /**
   * {@code e} as the {@link SyscallException} of {@code call}, when its errno can be told; empty
   * otherwise (the caller keeps {@code e}, whose message is then the best there is).
   */
  public static Optional<SyscallException> asSyscall(Call call, IOException e) {
    String sentence = sentence(e);
    Integer errno = sentence == null ? null : BY_SENTENCE.get(sentence);
    if (errno == null) {
      return Optional.empty();
    }
    SyscallException s = new SyscallException(call, errno, Errno.name(errno), sentence);
    s.initCause(e);
    return Optional.of(s);
  }

  /**
   * For {@code throw FileErrors.thrownAs(call, e)} in a step's body: throws {@code e} as the {@link
   * SyscallException} of {@code call} when its errno can be told, else returns {@code e} to be
   * thrown as it is.
   */
  public static IOException thrownAs(Call call, IOException e) throws SyscallException {
    Optional<SyscallException> s = asSyscall(call, e);
    if (s.isPresent()) {
      throw s.get();
    }
    return e;
  }

  private static String sentence(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "Directory not empty";
    }
    if (e instanceof NotDirectoryException) {
      return "Not a directory";
    }
    if (e instanceof FileSystemException f) {
      return f.getReason();
    }
    return e.getMessage();
  }
}
