package org.glasshouse.app.core;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.Executor;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import javafx.collections.ObservableSet;

/**
 * What the window remembers between runs, in {@code ~/.config/glasshouse/preferences.properties}
 * ({@code XDG_CONFIG_HOME} honoured): theme, presenter mode, text size, the window's size and
 * position, whether closing the app removes every container, and the compare menu's ticks. A
 * missing or unreadable file is the defaults; a change is written at once (on {@code io}, never the
 * FX thread), whole, through a temporary file, so a crash leaves the old file or the new one.
 */
public final class Preferences {
  private static final System.Logger LOG = System.getLogger(Preferences.class.getName());

  /** The normal text size, in points; presenter mode scales on top of it. */
  public static final int DEFAULT_FONT_SIZE = 13;

  public static final int MIN_FONT_SIZE = 10;
  public static final int MAX_FONT_SIZE = 20;

  private final Path file;
  private final Executor io;
  // Writes may run on any io thread; an older snapshot must never overwrite a newer one.
  private final java.util.concurrent.atomic.AtomicLong snapshots =
      new java.util.concurrent.atomic.AtomicLong();
  private long written;
  private final BooleanProperty dark = new SimpleBooleanProperty(false);
  private final BooleanProperty presenter = new SimpleBooleanProperty(false);
  private final BooleanProperty removeOnExit = new SimpleBooleanProperty(false);
  private final IntegerProperty fontSize = new SimpleIntegerProperty(DEFAULT_FONT_SIZE);
  // The level on show: a presenter who restarts the app mid-class comes back to it.
  private final IntegerProperty level = new SimpleIntegerProperty(-1);
  private final DoubleProperty x = new SimpleDoubleProperty(Double.NaN);
  private final DoubleProperty y = new SimpleDoubleProperty(Double.NaN);
  private final DoubleProperty width = new SimpleDoubleProperty(Double.NaN);
  private final DoubleProperty height = new SimpleDoubleProperty(Double.NaN);
  // The container selected when the app closed: reopened, the app selects it again if it runs.
  private final StringProperty container = new SimpleStringProperty("");
  // Each level's Command field where the student changed it (level -> command line).
  private final ObservableMap<Integer, String> commands = FXCollections.observableHashMap();
  private final ObservableMap<String, org.glasshouse.protocol.RunSpec> specs =
      FXCollections.observableHashMap();
  // The same as written, each serialised once when it is put: save() runs on every change (a window
  // dragged changes x and y many times a second) and must not write every spec's JSON again.
  private final java.util.Map<String, String> specLines = new java.util.HashMap<>();
  // The compare menu (the glass house's, the charts' legend): every running container, or the
  // ticked ones. Issue #14: the ticks were lost on restart.
  private final BooleanProperty compareAll = new SimpleBooleanProperty(true);
  private final ObservableSet<String> compareTicked = FXCollections.observableSet();

  /** Preferences that are neither read nor written (tests, a second window). */
  public static Preferences inMemory() {
    return new Preferences(null, Runnable::run);
  }

  /**
   * @param file where they live, or null to keep them in memory only
   * @param io runs the writes
   */
  public Preferences(Path file, Executor io) {
    this.file = file;
    this.io = io;
    load();
    for (Observable p :
        new Observable[] {
          dark, presenter, removeOnExit, fontSize, level, x, y, width, height, container, compareAll
        }) {
      p.addListener(o -> save());
    }
    commands.addListener((javafx.collections.MapChangeListener<Integer, String>) c -> save());
    specs.addListener(
        (javafx.collections.MapChangeListener<String, org.glasshouse.protocol.RunSpec>)
            c -> {
              if (c.wasAdded()) {
                specLines.put(
                    c.getKey(),
                    org.glasshouse.protocol.Json.write(
                        org.glasshouse.protocol.Json.tree(c.getValueAdded())));
              } else {
                specLines.remove(c.getKey());
              }
              save();
            });
    compareTicked.addListener((javafx.collections.SetChangeListener<String>) c -> save());
  }

  /**
   * Whether the views that compare containers show every running one (else the ticked ones, {@link
   * #compareTicked}); on by default.
   */
  public BooleanProperty compareAllProperty() {
    return compareAll;
  }

  /**
   * The ids of the containers ticked in the compare menu, kept as {@code compare.ticked}: the
   * containers outlive the window, and a presenter who restarts it keeps the pair on show.
   */
  public ObservableSet<String> compareTicked() {
    return compareTicked;
  }

  /**
   * Each level's Command field as the student left it, by level; a level without an entry shows its
   * suggested command. Kept as {@code command.level.N} lines.
   */
  public ObservableMap<Integer, String> commands() {
    return commands;
  }

  /**
   * The spec of each container this app ran, by container id; kept as {@code spec.ID} lines (the
   * protocol's JSON) while the container exists. The containers outlive the window: the next start
   * adopts them with the limits, user and capabilities they were run with (the helper's list gives
   * only image, command and level), so Check and the run panel read them as before.
   */
  public ObservableMap<String, org.glasshouse.protocol.RunSpec> specs() {
    return specs;
  }

  /** The preferences in the user's config directory. */
  public static Preferences inUserConfig(Executor io) {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".config")
            : Path.of(xdg);
    return new Preferences(base.resolve("glasshouse").resolve("preferences.properties"), io);
  }

  public BooleanProperty darkProperty() {
    return dark;
  }

  public BooleanProperty presenterProperty() {
    return presenter;
  }

  /** Whether closing the app removes every container (a classroom's choice); off by default. */
  public BooleanProperty removeOnExitProperty() {
    return removeOnExit;
  }

  /** The text size in points, {@value #MIN_FONT_SIZE} to {@value #MAX_FONT_SIZE}. */
  public IntegerProperty fontSizeProperty() {
    return fontSize;
  }

  /** The window's last position and size; NaN until it has been shown once. */
  public DoubleProperty xProperty() {
    return x;
  }

  public DoubleProperty yProperty() {
    return y;
  }

  public DoubleProperty widthProperty() {
    return width;
  }

  public DoubleProperty heightProperty() {
    return height;
  }

  /** The level last on show, or -1 before any (the app then opens at level 00). */
  public IntegerProperty levelProperty() {
    return level;
  }

  /**
   * The id of the container last selected, or empty: a presenter who restarts the app comes back to
   * the container on show, not to whichever the helper lists first.
   */
  public StringProperty containerProperty() {
    return container;
  }

  /** Whether a window size was remembered (else the first start sizes it to the screen). */
  public boolean hasWindow() {
    return width.get() > 0 && height.get() > 0;
  }

  private void load() {
    if (file == null || !Files.isRegularFile(file)) {
      return;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      LOG.log(Level.WARNING, "could not read " + file + ": " + e.getMessage() + "; defaults used");
      return;
    }
    dark.set(Boolean.parseBoolean(p.getProperty("theme.dark")));
    presenter.set(Boolean.parseBoolean(p.getProperty("presenter")));
    removeOnExit.set(Boolean.parseBoolean(p.getProperty("containers.removeOnExit")));
    fontSize.set(
        Math.max(
            MIN_FONT_SIZE,
            Math.min(MAX_FONT_SIZE, (int) number(p, "font.size", DEFAULT_FONT_SIZE))));
    level.set((int) number(p, "level", -1));
    x.set(number(p, "window.x", Double.NaN));
    y.set(number(p, "window.y", Double.NaN));
    width.set(number(p, "window.width", Double.NaN));
    height.set(number(p, "window.height", Double.NaN));
    container.set(p.getProperty("container.selected", "").strip());
    compareAll.set(!"false".equals(p.getProperty("compare.allRunning", "true").strip()));
    for (String id : p.getProperty("compare.ticked", "").split(",")) {
      if (!id.isBlank()) {
        compareTicked.add(id.strip());
      }
    }
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith(SPEC_KEY) && key.length() > SPEC_KEY.length()) {
        try {
          String id = key.substring(SPEC_KEY.length());
          specs.put(
              id,
              org.glasshouse.protocol.Json.MAPPER.readValue(
                  p.getProperty(key), org.glasshouse.protocol.RunSpec.class));
          specLines.put(id, p.getProperty(key));
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.WARNING, "ignored " + key + " in " + file + ": " + e.getMessage());
        }
      }
      if (key.startsWith(COMMAND_KEY)) {
        try {
          int n = Integer.parseInt(key.substring(COMMAND_KEY.length()));
          String v = p.getProperty(key);
          if (n >= 0 && !v.isBlank()) {
            commands.put(n, v);
          }
        } catch (NumberFormatException e) {
          LOG.log(Level.WARNING, "ignored " + key + " in " + file + ": not a level number");
        }
      }
    }
  }

  private static final String COMMAND_KEY = "command.level.";

  private static final String SPEC_KEY = "spec.";

  private static double number(Properties p, String key, double otherwise) {
    String v = p.getProperty(key);
    if (v == null) {
      return otherwise;
    }
    try {
      double d = Double.parseDouble(v.strip());
      return Double.isFinite(d) ? d : otherwise;
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("theme.dark", Boolean.toString(dark.get()));
    p.setProperty("presenter", Boolean.toString(presenter.get()));
    p.setProperty("containers.removeOnExit", Boolean.toString(removeOnExit.get()));
    p.setProperty("font.size", Integer.toString(fontSize.get()));
    if (level.get() >= 0) {
      p.setProperty("level", Integer.toString(level.get()));
    }
    if (!container.get().isEmpty()) {
      p.setProperty("container.selected", container.get());
    }
    if (hasWindow()) {
      p.setProperty("window.x", Double.toString(x.get()));
      p.setProperty("window.y", Double.toString(y.get()));
      p.setProperty("window.width", Double.toString(width.get()));
      p.setProperty("window.height", Double.toString(height.get()));
    }
    commands.forEach((k, v) -> p.setProperty(COMMAND_KEY + k, v));
    specLines.forEach((k, v) -> p.setProperty(SPEC_KEY + k, v));
    p.setProperty("compare.allRunning", Boolean.toString(compareAll.get()));
    if (!compareTicked.isEmpty()) {
      p.setProperty("compare.ticked", String.join(",", new java.util.TreeSet<>(compareTicked)));
    }
    long n = snapshots.incrementAndGet();
    io.execute(() -> write(p, n));
  }

  // Serialised by the lock: two quick changes must not interleave their temporary files.
  private synchronized void write(Properties p, long n) {
    if (n < written) {
      return;
    }
    written = n;
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "Glasshouse preferences");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not save preferences to " + file + ": " + e.getMessage());
    }
  }
}
