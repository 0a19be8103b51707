package org.glasshouse.app.glasshouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.glasshouse.app.containers.CompareSelection;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Recording;

/**
 * The glass house's view-model on a fake helper that replays a recording of a real one, every
 * executor the calling thread and the timers stepped by hand: what view-model tests, the preview
 * and the benchmark drive.
 */
final class FixtureLab {
  /** Where this package's recordings are on the test class path. */
  static final String FIXTURES = "/org/glasshouse/app/glasshouse/fixtures/";

  final FakeLabService lab = new FakeLabService();
  final ManualBeat beat = new ManualBeat();
  final Navigator navigator = new Navigator();
  final ContainersViewModel containers;
  final CompareSelection compare;
  final GlassHouseViewModel vm;

  FixtureLab() {
    this(Runnable::run);
  }

  FixtureLab(java.util.concurrent.Executor ui) {
    containers = new ContainersViewModel(lab, ui);
    compare = new CompareSelection(containers);
    vm = new GlassHouseViewModel(lab, containers, compare, navigator, ui, beat, 2);
  }

  static Recording load(String name) {
    try (InputStream in = FixtureLab.class.getResourceAsStream(FIXTURES + name + ".jsonl")) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return Recording.read(name, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Takes the recording's inspect answers and plays its events up to (not including) the first that
   * matches {@code stop}; returns the events not played.
   */
  List<LabEvent> play(Recording r, Predicate<LabEvent> stop) {
    lab.answerFrom(r);
    List<LabEvent> rest = new ArrayList<>();
    boolean stopped = false;
    for (LabEvent e : r.events()) {
      if (!stopped && stop.test(e)) {
        stopped = true;
      }
      if (stopped) {
        rest.add(e);
      } else {
        lab.emit(e);
      }
    }
    return rest;
  }

  /** Plays everything while the containers still run (up to the first exit). */
  List<LabEvent> playRunning(Recording r) {
    return play(r, e -> e instanceof LabEvent.Exited);
  }

  /**
   * Plays {@code r} as this app's own runs of the spec in its header (one per container it
   * started), while its containers run: each run's reply names one of the recording's containers,
   * which then knows its level (a container only played is one the app knows nothing of).
   */
  List<LabEvent> runAndPlay(Recording r) {
    com.fasterxml.jackson.databind.JsonNode s = r.header().path("spec");
    List<String> argv = new ArrayList<>();
    s.path("argv").forEach(a -> argv.add(a.asText()));
    org.glasshouse.protocol.RunSpec spec =
        org.glasshouse.protocol.RunSpec.builder()
            .image(s.path("image").asText())
            .level(s.path("level").asInt())
            .argv(argv)
            .build();
    for (LabEvent.Started st : r.events(LabEvent.Started.class)) {
      lab.onRun =
          x ->
              java.util.concurrent.CompletableFuture.completedFuture(
                  new org.glasshouse.app.core.LabService.Started(st.container(), st.pid()));
      containers.run(spec, false);
    }
    return playRunning(r);
  }

  /** Selects the container {@code id} (as a click in the containers list does). */
  ContainerItem select(String id) {
    ContainerItem i =
        containers.containers().stream()
            .filter(c -> c.id().equals(id))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container " + id));
    containers.selectedProperty().set(i);
    return i;
  }

  /** Selects the first container the recording started. */
  ContainerItem selectFirst(Recording r) {
    String id =
        r.events(LabEvent.Started.class).stream()
            .map(LabEvent.Started::container)
            .findFirst()
            .orElseThrow();
    return select(id);
  }

  /**
   * The view tests' common start, on the FX thread: a lab whose view-model runs on the FX thread,
   * {@code fixture} played while its containers run, the first one selected, and a glass house view
   * of it placed in {@code root}.
   */
  static Shown show(String fixture, javafx.scene.layout.BorderPane root) {
    FixtureLab f = new FixtureLab(org.glasshouse.app.core.Fx.EXECUTOR);
    Recording r = load(fixture);
    f.playRunning(r);
    f.selectFirst(r);
    GlassHouseView v = new GlassHouseView(f.vm);
    root.setCenter(v.node());
    return new Shown(f, v);
  }

  /**
   * The view tests' window: a glass-house root filling a {@code width}×{@code height} scene with
   * the app's appearance, shown on {@code stage} (a TestFX {@code @Start}).
   */
  static javafx.scene.layout.BorderPane stage(
      javafx.stage.Stage stage, double width, double height) {
    javafx.scene.layout.BorderPane root = new javafx.scene.layout.BorderPane();
    root.getStyleClass().add("glasshouse");
    javafx.scene.Scene scene = new javafx.scene.Scene(root, width, height);
    new org.glasshouse.app.presenter.Appearance(scene);
    stage.setScene(scene);
    stage.show();
    return root;
  }

  /** A lab and the glass house view drawing it. */
  record Shown(FixtureLab lab, GlassHouseView view) {}

  SceneModel scene() {
    return vm.scene();
  }

  /** Timers run by hand: {@link #advance} runs what came due. */
  static final class ManualBeat implements Beat {
    private record Task(long due, long order, Runnable run, boolean[] cancelled) {}

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long order;

    @Override
    public Runnable schedule(long delayMs, Runnable task) {
      boolean[] cancelled = {false};
      tasks.add(new Task(now + delayMs, order++, task, cancelled));
      return () -> cancelled[0] = true;
    }

    /** Moves time on by {@code ms}, running every task that came due, in order. */
    void advance(long ms) {
      long end = now + ms;
      while (true) {
        Task next =
            tasks.stream()
                .filter(t -> t.due() <= end && !t.cancelled()[0])
                .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order))
                .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now = Math.max(now, next.due());
        next.run().run();
      }
      now = end;
      tasks.removeIf(t -> t.cancelled()[0]);
    }

    /** How many tasks wait (not cancelled). */
    long pending() {
      return tasks.stream().filter(t -> !t.cancelled()[0]).count();
    }
  }
}
