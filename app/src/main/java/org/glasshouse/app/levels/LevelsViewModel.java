package org.glasshouse.app.levels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * The level list: which level is selected, its guide, and which levels are done. Guides and the
 * progress file are read on the I/O executor, never on the UI thread.
 */
public final class LevelsViewModel {
  private final Executor ui;
  private final Executor io;
  private final ProgressStore store;
  private final ObservableList<Level> levels = FXCollections.observableArrayList(Levels.ALL);
  private final ObjectProperty<Level> selected = new SimpleObjectProperty<>(Levels.get(0));
  private final ObjectProperty<Guide> guide =
      new SimpleObjectProperty<>(new Guide(List.of(), List.of()));
  private final ObservableSet<Integer> passed = FXCollections.observableSet();
  private final ObjectProperty<CheckOutcome> outcome = new SimpleObjectProperty<>();
  private final IntegerProperty hintsShown = new SimpleIntegerProperty(0);

  public LevelsViewModel(Executor ui, Executor io, ProgressStore store) {
    this.ui = ui;
    this.io = io;
    this.store = store;
    selected.addListener(
        (o, a, b) -> {
          // A check's outcome is about the level it checked: another level on show drops it.
          outcome.set(null);
          hintsShown.set(0);
          loadGuide(b);
        });
    CompletableFuture.supplyAsync(store::load, io).thenAcceptAsync(done -> passed.addAll(done), ui);
    loadGuide(selected.get());
  }

  public ObservableList<Level> levels() {
    return levels;
  }

  /** The selected level; views bind their selection bidirectionally to it. */
  public ObjectProperty<Level> selectedProperty() {
    return selected;
  }

  public Level selected() {
    return selected.get();
  }

  public ReadOnlyObjectProperty<Guide> guideProperty() {
    return guide;
  }

  /** Level numbers whose check passed. */
  public ObservableSet<Integer> passed() {
    return passed;
  }

  public void select(int number) {
    selected.set(Levels.get(Math.max(0, Math.min(levels.size() - 1, number))));
  }

  public void next() {
    select(selected.get().number() + 1);
  }

  public void previous() {
    select(selected.get().number() - 1);
  }

  /** Records a green check and saves progress in the background. */
  public void markPassed(int number) {
    if (passed.add(number)) {
      Set<Integer> copy = Set.copyOf(passed);
      io.execute(() -> store.save(copy));
    }
  }

  /**
   * The last check's outcome at the selected level, or null. It describes the containers of this
   * level at the moment of the check: it goes when another level is selected, and the app drops it
   * ({@link #clearOutcome}) when what it looked at changes, so a result never stays on show about
   * something no longer there. Whether the level was passed is kept apart ({@link #passed}).
   */
  public ReadOnlyObjectProperty<CheckOutcome> outcomeProperty() {
    return outcome;
  }

  /**
   * Shows a check's outcome if its level is the one selected (a check that finished after the
   * student moved on is not shown under another level's guide); hints start again from none.
   */
  public void record(CheckOutcome result) {
    if (selected.get().number() == result.level()) {
      outcome.set(result);
      hintsShown.set(0);
    }
  }

  /** How many of the selected level's hints are shown (the last one is the answer). */
  public ReadOnlyIntegerProperty hintsShownProperty() {
    return hintsShown;
  }

  /** Shows one more hint of the guide's, up to the answer. */
  public void revealHint() {
    int n = guide.get().hints().size();
    if (hintsShown.get() < n) {
      hintsShown.set(hintsShown.get() + 1);
    }
  }

  /** Drops the outcome on show (what it looked at changed); hints go with it. */
  public void clearOutcome() {
    outcome.set(null);
    hintsShown.set(0);
  }

  /** Forgets every level's progress and check outcome, and saves that. */
  public void resetProgress() {
    passed.clear();
    outcome.set(null);
    hintsShown.set(0);
    io.execute(() -> store.save(Set.of()));
  }

  private void loadGuide(Level level) {
    CompletableFuture.supplyAsync(() -> readGuide(level), io)
        .thenAcceptAsync(
            g -> {
              if (selected.get() == level) {
                guide.set(g);
              }
            },
            ui);
  }

  static Guide readGuide(Level level) {
    try (InputStream in = LevelsViewModel.class.getResourceAsStream(level.guideResource())) {
      if (in == null) {
        return GuideParser.parse(
            "# " + level.code() + " " + level.title() + "\n\nThis level's guide is missing.");
      }
      return GuideParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return GuideParser.parse("Could not read the guide: " + e.getMessage());
    }
  }
}
