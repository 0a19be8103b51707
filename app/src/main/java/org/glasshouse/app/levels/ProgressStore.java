package org.glasshouse.app.levels;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Remembers which levels' checks passed, one level number per line in a small file (by default
 * {@code ~/.config/glasshouse/progress}). A missing or unreadable file is simply "no progress".
 */
public final class ProgressStore {
  private static final System.Logger LOG = System.getLogger(ProgressStore.class.getName());
  private final Path file;

  public ProgressStore(Path file) {
    this.file = file;
  }

  /** The store in the user's config directory ({@code XDG_CONFIG_HOME} honoured). */
  public static ProgressStore inUserConfig() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".config")
            : Path.of(xdg);
    return new ProgressStore(base.resolve("glasshouse").resolve("progress"));
  }

  public Set<Integer> load() {
    Set<Integer> done = new TreeSet<>();
    if (!Files.isRegularFile(file)) {
      return done;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          done.add(Integer.parseInt(line.strip()));
        } catch (NumberFormatException e) {
          LOG.log(Level.DEBUG, "ignoring line '" + line + "' in " + file);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not read progress from " + file + ": " + e.getMessage());
    }
    return done;
  }

  public void save(Set<Integer> done) {
    try {
      Files.createDirectories(file.getParent());
      StringBuilder sb = new StringBuilder();
      new TreeSet<>(done).forEach(n -> sb.append(n).append('\n'));
      Files.writeString(file, sb, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not save progress to " + file + ": " + e.getMessage());
    }
  }
}
