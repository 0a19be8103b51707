package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.inspect.UpperDirEntry;

/**
 * Lists an overlay's upper directory as {@link UpperDirEntry}s: what the container wrote, deleted
 * (whiteout) or replaced wholesale (opaque directory).
 */
public final class UpperDirScanner {

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  private UpperDirScanner() {}

  /**
   * Walks an upper directory, never following links, at most {@code limit} entries.
   *
   * @param runner used once to list {@code trusted.*} xattrs with getfattr (the JDK can only read
   *     {@code user.*}); when getfattr is missing, {@code user.overlay.opaque} (userxattr mounts)
   *     is all that is checked and other directories report opaque as unknown
   */
  public static List<UpperDirEntry> scan(Path upper, int limit, CommandRunner runner)
      throws IOException {
    Set<String> trustedOpaque = trustedOpaqueDirs(upper, runner);
    boolean trustedKnown = trustedOpaque != null;
    List<UpperDirEntry> out = new ArrayList<>();
    Files.walkFileTree(
        upper,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a)
              throws IOException {
            if (!dir.equals(upper)) {
              add(dir, a);
            }
            return out.size() >= limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
            add(file, a);
            return out.size() >= limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }

          private void add(Path p, BasicFileAttributes a) throws IOException {
            Map<String, Object> u = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) u.get("mode");
            long rdev = (Long) u.get("rdev");
            String kind =
                a.isDirectory()
                    ? "dir"
                    : a.isSymbolicLink()
                        ? "symlink"
                        : a.isRegularFile()
                            ? "file"
                            : (mode & S_IFMT) == S_IFCHR && rdev == 0 ? "whiteout" : "other";
            String rel = upper.relativize(p).toString();
            Boolean opaque = null;
            if (a.isDirectory()) {
              opaque = userOpaque(p) || (trustedKnown && trustedOpaque.contains(p.toString()));
              if (!opaque && !trustedKnown) {
                opaque = null;
              }
            }
            out.add(
                new UpperDirEntry(
                    rel,
                    kind,
                    a.size(),
                    (Integer) u.get("uid"),
                    (Integer) u.get("gid"),
                    String.format("%04o", mode & 07777),
                    opaque));
          }
        });
    return out;
  }

  private static boolean userOpaque(Path dir) {
    try {
      UserDefinedFileAttributeView v =
          Files.getFileAttributeView(
              dir, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (v == null || !v.list().contains("overlay.opaque")) {
        return false;
      }
      ByteBuffer b = ByteBuffer.allocate(8);
      v.read("overlay.opaque", b);
      return b.position() > 0 && b.get(0) == 'y';
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Absolute paths of directories with trusted.overlay.opaque=y, or null when unknowable. */
  private static Set<String> trustedOpaqueDirs(Path upper, CommandRunner runner) {
    if (runner.run(List.of("getfattr", "--version")).isEmpty()) {
      return null;
    }
    // getfattr exits 1 when any file lacks the attribute, which is the normal case; the shell
    // wrapper makes that a success so the listing of the ones that have it is kept.
    String script =
        "getfattr -R -P --absolute-names -n trusted.overlay.opaque \"$1\" 2>/dev/null; true";
    return parseGetfattr(
        runner.run(List.of("sh", "-c", script, "sh", upper.toString())).orElse(""));
  }

  /** {@code # file: /u/dir} followed by {@code trusted.overlay.opaque="y"}. */
  static Set<String> parseGetfattr(String text) {
    Set<String> out = new HashSet<>();
    String file = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# file: ")) {
        file = line.substring("# file: ".length());
      } else if (file != null && line.equals("trusted.overlay.opaque=\"y\"")) {
        out.add(file);
      }
    }
    return out;
  }
}
