package org.glasshouse.helper.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glasshouse.helper.runtime.init.InitMain;

/**
 * The init stage's class-data-sharing archive: the classes an init loads (its own, JNA, the
 * protocol's records), parsed and verified once and mapped by every init JVM instead of loaded from
 * the jars — less CPU per start and pages shared between pooled inits. Built by a training run of
 * the init ({@link InitMain#TRAIN}) with the init's own JVM options, kept in the state dir under a
 * name that hashes the JVM, its options and every jar (path, size, time): a changed jar or JVM gets
 * a new archive, the old ones are removed. On JDK 25 and later the JVM's AOT cache ({@code
 * -XX:AOTCacheOutput}, which also keeps linked classes and method profiles) is built instead; on
 * 13–24 a dynamic AppCDS archive ({@code -XX:ArchiveClassesAtExit}).
 *
 * <p>A class path with a directory (the tests' {@code target/classes}) gets none: the JVM archives
 * classes from jars only. Any failure means no archive, never a failed start.
 */
final class InitArchive {

  /**
   * How long a training run may take: it runs at the pool's low priority, and under a load of 60 on
   * 2 cores it did not finish in 120 s.
   */
  static final long TRAIN_SECONDS = 600;

  private InitArchive() {}

  /**
   * The JVM options that make an init use its archive, building it first if it is missing; an empty
   * list when there can be none.
   *
   * @param dir where archives are kept (created if needed)
   * @param feature the init JVM's feature version (17, 25)
   */
  static List<String> options(RuntimeConfig config, Path dir, int feature) {
    List<Path> jars = new ArrayList<>();
    for (String e : config.classPath().split(java.io.File.pathSeparator)) {
      Path p = Path.of(e);
      if (!Files.isRegularFile(p)) {
        return List.of();
      }
      jars.add(p);
    }
    boolean aot = feature >= 25;
    try {
      Files.createDirectories(dir);
      Path archive = dir.resolve("init-" + key(config, jars, aot) + (aot ? ".aot" : ".jsa"));
      if (!Files.isRegularFile(archive)) {
        build(config, archive, aot);
        removeOthers(dir, archive);
      }
      // Silent if it ever cannot be mapped: the init's stderr is the command's.
      return aot
          ? List.of("-XX:AOTCache=" + archive, "-Xlog:cds*=off", "-Xlog:aot*=off")
          : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** The feature version of the JVM at {@code javaCommand}, this JVM's when it is the same one. */
  static int feature(String javaCommand) {
    Path own = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      if (Files.isSameFile(own, Path.of(javaCommand))) {
        return Runtime.version().feature();
      }
      Path release = Path.of(javaCommand).toRealPath().getParent().getParent().resolve("release");
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unknown: the dynamic archive, which every JVM since 13 reads.
    }
    return 17;
  }

  /** Hash of the JVM, its options and every jar of the class path (path, size, mtime). */
  private static String key(RuntimeConfig config, List<Path> jars, boolean aot) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
    Path java = Path.of(config.javaCommand()).toRealPath();
    List<String> parts = new ArrayList<>();
    parts.add(aot ? "aot" : "cds");
    parts.add(java.toString());
    parts.add(Long.toString(Files.getLastModifiedTime(java).toMillis()));
    Path modules = java.getParent().getParent().resolve("lib/modules");
    if (Files.isRegularFile(modules)) {
      parts.add(Long.toString(Files.size(modules)));
      parts.add(Long.toString(Files.getLastModifiedTime(modules).toMillis()));
    }
    parts.addAll(config.jvmOptions());
    for (Path j : jars) {
      parts.add(j.toAbsolutePath().toString());
      parts.add(Long.toString(Files.size(j)));
      parts.add(Long.toString(Files.getLastModifiedTime(j).toMillis()));
    }
    byte[] h = d.digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(h, 0, 8);
  }

  /** The training run, writing to a temporary name renamed into place once complete. */
  private static void build(RuntimeConfig config, Path archive, boolean aot)
      throws IOException, InterruptedException {
    Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Path log = archive.resolveSibling(archive.getFileName() + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(config.javaCommand());
    cmd.addAll(config.jvmOptions());
    cmd.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + tmp);
    cmd.add("-cp");
    cmd.add(config.classPath());
    cmd.add(InitMain.class.getName());
    cmd.add(InitMain.TRAIN);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(archive.getParent().toFile())
            .start();
    if (!p.waitFor(TRAIN_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
      Files.deleteIfExists(tmp);
      throw new IOException("the init's training run took over " + TRAIN_SECONDS + " s");
    }
    if (p.exitValue() != 0 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
      Files.deleteIfExists(tmp);
      throw new IOException("the init's training run failed: see " + log);
    }
    Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(log);
  }

  /** Archives of earlier jars or JVMs. */
  private static void removeOthers(Path dir, Path keep) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "init-*")) {
      for (Path p : ds) {
        if (!p.equals(keep) && !p.getFileName().toString().endsWith(".log")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
