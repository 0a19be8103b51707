package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.collections.SetChangeListener;
import org.glasshouse.app.containers.CompareSelection;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainerState;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.EventBatcher;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabListener;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.NamespacesEvent;

/**
 * The glass house's model: which containers are shown (the selected one and those it is compared
 * with), everything the kernel says about each, and a replay of the selected one's build. Facts
 * come as the helper pushes them — {@code namespaces} events for processes coming, going or moving,
 * {@code telemetry} for the gauges, {@code mounts} for the root filesystem's mounts — and from
 * {@code inspect} for the full picture: when a container is first shown, soon after a process came,
 * and every {@link #REINSPECT_MS} ms at most while it runs. Every change publishes a new {@link
 * SceneModel}, at most one per batch of events.
 */
public final class GlassHouseViewModel {
  /** How often the helper reads each shown container for its events. */
  static final int INTERVAL_MS = 500;

  /** The full picture (processes' details, names, upper dir) is asked for at most this often. */
  static final long REINSPECT_MS = 3000;

  /** A new process is inspected this soon after its namespaces event. */
  static final long SOON_MS = 250;

  private static final String NOTHING =
      "No container yet: pick a level and press Run (or select a container), and its glass"
          + " house appears here.";

  private static final String NONE_RUNNING =
      "No container running: press Run, or select one in the list to see its glass house.";

  private final LabService lab;
  private final ContainersViewModel containers;
  private final CompareSelection compare;
  private final Navigator navigator;
  private final Executor ui;
  private final Executor later;
  private final Beat beat;
  private final HouseBuilder builder;
  private final ObjectProperty<SceneModel> scene =
      new SimpleObjectProperty<>(SceneModel.empty(NOTHING));
  private final Map<String, Tracked> tracked = new LinkedHashMap<>();
  private final Map<String, HouseFacts> facts = new HashMap<>();
  private final Replay replay = new Replay();
  private HostModel host = HostModel.UNKNOWN;
  private boolean hostAsked;
  private Runnable nextBeat;
  private String focus;
  private int selectedSeq;
  private java.util.Set<Part> highlight = Set.of();
  private boolean steering;
  private CompletableFuture<LabService.Subscription> subscription;
  private List<String> subscribed = List.of();
  private boolean rebuildPending;

  /** One shown container and the listeners and timers that follow it. */
  private final class Tracked {
    final ContainerItem item;
    Blueprint bp;
    final ListChangeListener<StepEntry> steps;
    final ChangeListener<ContainerState> state;
    boolean inspecting;
    boolean again;
    Runnable timer;

    Tracked(ContainerItem item) {
      this.item = item;
      this.bp = Blueprint.of(item.steps());
      this.steps =
          c -> {
            bp = Blueprint.of(item.steps());
            if (item.id().equals(focus)) {
              replay.stages(bp.stages().size());
            }
            requestRebuild();
          };
      this.state =
          (o, a, b) -> {
            if (b == ContainerState.RUNNING) {
              inspectNow(this);
            }
            refresh();
          };
      item.steps().addListener(steps);
      item.stateProperty().addListener(state);
    }

    void stop() {
      item.steps().removeListener(steps);
      item.stateProperty().removeListener(state);
      cancelTimer();
    }

    void cancelTimer() {
      if (timer != null) {
        timer.run();
        timer = null;
      }
    }
  }

  public GlassHouseViewModel(
      LabService lab,
      ContainersViewModel containers,
      CompareSelection compare,
      Navigator navigator,
      Executor ui,
      Beat beat,
      int cpus) {
    this.lab = lab;
    this.containers = containers;
    this.compare = compare;
    this.navigator = navigator;
    this.ui = ui;
    // On the FX thread Fx.EXECUTOR runs at once: a rebuild asked for by each of a hundred step
    // events of one batch would run a hundred times. Queued, it runs once after them.
    this.later = ui == org.glasshouse.app.core.Fx.EXECUTOR ? org.glasshouse.app.core.Fx.LATER : ui;
    this.beat = beat;
    this.builder = new HouseBuilder(cpus);
    EventBatcher<LabEvent> events = new EventBatcher<>(ui, this::apply);
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent e) {
            if (e instanceof LabEvent.Telemetry
                || e instanceof LabEvent.Namespaces
                || e instanceof LabEvent.Mounts) {
              events.add(e);
            }
          }

          @Override
          public void onConnection(ConnectionStatus status) {
            ui.execute(() -> connection(status));
          }
        });
    containers.selectedProperty().addListener((o, a, b) -> refresh());
    containers.containers().addListener((ListChangeListener<ContainerItem>) c -> refresh());
    compare.allRunningProperty().addListener((o, a, b) -> refresh());
    compare.ticked().addListener((SetChangeListener<String>) c -> refresh());
    navigator.focusedStepProperty().addListener((o, a, f) -> focused(f));
    refresh();
  }

  /** The picture now. */
  public ReadOnlyObjectProperty<SceneModel> sceneProperty() {
    return scene;
  }

  public SceneModel scene() {
    return scene.get();
  }

  /** Which containers are shown next to the selected one. */
  public CompareSelection compare() {
    return compare;
  }

  /** The containers there are, for the compare menu. */
  public ContainersViewModel containers() {
    return containers;
  }

  /**
   * Puts container {@code id} in focus (a click on its card): it becomes the selected container, as
   * a click in the containers list makes it, and the one in focus before stays shown beside it
   * (ticked, when only ticked containers are shown).
   */
  public void focusOn(String id) {
    ContainerItem sel = containers.selected();
    if (sel != null && sel.id().equals(id)) {
      return;
    }
    if (sel != null && !compare.allRunningProperty().get()) {
      compare.ticked().add(sel.id());
    }
    containers.select(id);
  }

  // ---- what is shown -----------------------------------------------------------------------

  /** Brings the shown set, the subscription and the picture up to date. */
  private void refresh() {
    List<ContainerItem> shown = compare.shown();
    ContainerItem sel = containers.selected();
    ContainerItem starting = starting(sel);
    if (starting != null && !shown.contains(starting)) {
      shown = new ArrayList<>(shown);
      shown.add(starting);
    }
    // The house in focus (replay, step highlights) is the one in front: the run being built, the
    // selected container, else the one standing in for a selection ("Newest running") — which
    // had none, so its build could not be replayed nor its steps lit.
    ContainerItem front = starting != null ? starting : sel != null ? sel : compare.standIn();
    String newFocus = front == null ? null : front.id();
    if (!java.util.Objects.equals(newFocus, focus)) {
      focus = newFocus;
      replay.stop();
      cancelBeat();
      selectedSeq = 0;
      highlight = Set.of();
    }
    Set<String> wanted = new java.util.LinkedHashSet<>();
    shown.forEach(i -> wanted.add(i.id()));
    for (String id : new ArrayList<>(tracked.keySet())) {
      if (!wanted.contains(id)) {
        tracked.remove(id).stop();
      }
    }
    Map<String, Tracked> ordered = new LinkedHashMap<>();
    for (ContainerItem i : shown) {
      Tracked t = tracked.get(i.id());
      if (t == null) {
        t = new Tracked(i);
        facts.computeIfAbsent(i.id(), k -> new HouseFacts());
        ordered.put(i.id(), t);
        if (i.state().live()) {
          inspectNow(t);
        }
      } else {
        ordered.put(i.id(), t);
      }
    }
    tracked.clear();
    tracked.putAll(ordered);
    facts.keySet().removeIf(id -> !tracked.containsKey(id) && !known(id));
    if (!tracked.isEmpty() && !hostAsked && lab.status().connected()) {
      askHost();
    }
    subscribe();
    requestRebuild();
  }

  /** Whether the container is still in the app's list (its facts are kept for a replay). */
  private boolean known(String id) {
    return containers.containers().stream().anyMatch(i -> i.id().equals(id));
  }

  private void connection(ConnectionStatus status) {
    if (status.connected()) {
      hostAsked = false;
      subscribed = List.of();
      refresh();
      tracked
          .values()
          .forEach(
              t -> {
                if (t.item.state().live()) {
                  inspectNow(t);
                }
              });
    }
  }

  private void askHost() {
    hostAsked = true;
    lab.inspect("host", false)
        .whenCompleteAsync(
            (r, t) -> {
              if (t == null) {
                host = HostModel.of(r);
                requestRebuild();
              } else {
                hostAsked = false;
              }
            },
            ui);
  }

  /**
   * The student's newest run while it starts, when it is newer than the selected container: the
   * list selects a run only once its answer came, after every step, and until then the house of the
   * container before (stopped, often) stood in front while the new one, being built, was a card.
   * The container being built takes the stage; the selection follows when its answer comes. Null
   * when no such run starts (a level's check never takes the stage).
   */
  private ContainerItem starting(ContainerItem sel) {
    for (ContainerItem i : containers.containers()) {
      if (i == sel) {
        return null; // the list is new first: nothing newer than the selection starts
      }
      if (i.state() == org.glasshouse.app.containers.ContainerState.STARTING && !i.isCheck()) {
        return i;
      }
    }
    return null;
  }

  /** One subscription for every shown running container; renewed when that set changes. */
  private void subscribe() {
    List<String> live = new ArrayList<>();
    tracked
        .values()
        .forEach(
            t -> {
              if (t.item.state().live() && !t.item.id().startsWith("failed-")) {
                live.add(t.item.id());
              }
            });
    live.sort(null);
    if (live.equals(subscribed)) {
      return;
    }
    subscribed = live;
    CompletableFuture<LabService.Subscription> old = subscription;
    subscription = null;
    if (old != null) {
      old.thenCompose(LabService.Subscription::unsubscribe).exceptionally(t -> null);
    }
    if (!live.isEmpty() && lab.status().connected()) {
      subscription =
          lab.subscribe(
              live, List.of(Topic.TELEMETRY, Topic.NAMESPACES, Topic.MOUNTS), INTERVAL_MS);
      subscription.exceptionally(t -> null);
    }
  }

  // ---- facts -------------------------------------------------------------------------------

  private void apply(List<LabEvent> batch) {
    for (LabEvent e : batch) {
      HouseFacts f = facts.get(e.container());
      if (f == null) {
        continue;
      }
      if (e instanceof LabEvent.Telemetry t) {
        f.telemetry(t.sample());
      } else if (e instanceof LabEvent.Mounts m) {
        f.mounts(m.mounts());
      } else if (e instanceof LabEvent.Namespaces n) {
        f.namespaces(n.namespaces());
        NamespacesEvent.Diff d = n.namespaces().diff();
        boolean came = d != null && d.added() != null && !d.added().isEmpty();
        boolean moved = d != null && d.changed() != null && !d.changed().isEmpty();
        Tracked t = tracked.get(e.container());
        if (t != null && (came || moved)) {
          inspectSoon(t);
        }
      }
    }
    requestRebuild();
  }

  private void inspectSoon(Tracked t) {
    if (t.inspecting) {
      t.again = true;
      return;
    }
    t.cancelTimer();
    t.timer = beat.schedule(SOON_MS, () -> inspectNow(t));
  }

  private void inspectNow(Tracked t) {
    t.cancelTimer();
    if (t.inspecting) {
      t.again = true;
      return;
    }
    if (!t.item.state().live() || tracked.get(t.item.id()) != t) {
      return;
    }
    t.inspecting = true;
    lab.inspect(t.item.id(), t.bp.overlay())
        .whenCompleteAsync(
            (r, err) -> {
              t.inspecting = false;
              if (err == null) {
                facts.computeIfAbsent(t.item.id(), k -> new HouseFacts()).inspected(r);
                requestRebuild();
              }
              if (tracked.get(t.item.id()) != t || !t.item.state().live() || gone(err)) {
                return;
              }
              if (t.again) {
                t.again = false;
                t.timer = beat.schedule(SOON_MS, () -> inspectNow(t));
              } else {
                t.timer = beat.schedule(REINSPECT_MS, () -> inspectNow(t));
              }
            },
            ui);
  }

  /** The helper no longer has it running: asking again would fail the same way. */
  private static boolean gone(Throwable err) {
    Throwable c =
        err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause()
            : err;
    return c instanceof org.glasshouse.app.core.LabException le
        && ("not_found".equals(le.code()) || "conflict".equals(le.code()));
  }

  // ---- steps and replay --------------------------------------------------------------------

  /** Highlights what stage {@code index} of the container in focus built, and focuses its step. */
  public void selectStage(int index) {
    Blueprint bp = focusBlueprint();
    if (bp == null || index < 0 || index >= bp.stages().size()) {
      return;
    }
    Blueprint.Stage s = bp.stages().get(index);
    selectedSeq = s.firstSeq();
    highlight = s.parts();
    steer(s.firstSeq());
    requestRebuild();
  }

  /** Highlights what entry {@code seq} of the container in focus built. */
  public void selectStep(int seq) {
    Blueprint bp = focusBlueprint();
    StepEntry e =
        bp == null
            ? null
            : bp.entries().stream().filter(x -> x.seq() == seq).findFirst().orElse(null);
    if (e == null) {
      clearSelection();
      return;
    }
    selectedSeq = seq;
    highlight = Blueprint.partsOf(e);
    steer(seq);
    requestRebuild();
  }

  /** No step selected: nothing highlighted. */
  public void clearSelection() {
    selectedSeq = 0;
    highlight = Set.of();
    steer(0);
    requestRebuild();
  }

  /** Shows entry {@code seq} of the container in focus in the step log. */
  public void showInStepLog(int seq) {
    if (focus != null && seq > 0) {
      steer(seq);
      navigator.show(Navigator.View.STEP_LOG);
    }
  }

  private void steer(int seq) {
    steering = true;
    try {
      navigator.highlightStep(focus, seq);
    } finally {
      steering = false;
    }
  }

  private void focused(Navigator.StepFocus f) {
    if (steering) {
      return;
    }
    if (f == null) {
      selectedSeq = 0;
      highlight = Set.of();
      requestRebuild();
    } else if (f.container().equals(focus)) {
      Blueprint bp = focusBlueprint();
      StepEntry e =
          bp == null
              ? null
              : bp.entries().stream().filter(x -> x.seq() == f.seq()).findFirst().orElse(null);
      if (e != null) {
        selectedSeq = f.seq();
        highlight = Blueprint.partsOf(e);
        requestRebuild();
      }
    }
  }

  /** Rebuilds the focused container's picture from an empty house, stage by stage. */
  public void replay() {
    Blueprint bp = focusBlueprint();
    if (bp == null) {
      return;
    }
    replay.start(bp.stages().size());
    highlightStage();
    scheduleBeat();
    requestRebuild();
  }

  /** Plays or pauses the replay (starts one when none is under way). */
  public void togglePlay() {
    if (!replay.active()) {
      replay();
      return;
    }
    if (replay.playing()) {
      replay.pause();
      cancelBeat();
    } else {
      replay.play();
      scheduleBeat();
    }
    requestRebuild();
  }

  /** One stage on (pauses a playing replay; starts one paused at the first stage when none). */
  public void stepForward() {
    Blueprint bp = focusBlueprint();
    if (bp == null) {
      return;
    }
    if (!replay.active()) {
      replay.seek(0, bp.stages().size());
    } else {
      replay.pause();
      replay.forward();
    }
    cancelBeat();
    highlightStage();
    requestRebuild();
  }

  /** One stage back (pauses). */
  public void stepBack() {
    Blueprint bp = focusBlueprint();
    if (bp == null) {
      return;
    }
    if (!replay.active()) {
      replay.seek(bp.stages().size() - 1, bp.stages().size());
    }
    replay.pause();
    replay.back();
    cancelBeat();
    highlightStage();
    requestRebuild();
  }

  /** Jumps the replay to stage {@code index}, paused. */
  public void seek(int index) {
    Blueprint bp = focusBlueprint();
    if (bp == null) {
      return;
    }
    replay.seek(index, bp.stages().size());
    cancelBeat();
    highlightStage();
    requestRebuild();
  }

  /** Sets the replay's speed (a factor of {@link Replay#SPEEDS}). */
  public void speed(double factor) {
    replay.speed(factor);
    if (replay.playing()) {
      scheduleBeat();
    }
    requestRebuild();
  }

  /** Ends a replay: the live picture again. */
  public void live() {
    replay.stop();
    cancelBeat();
    highlight = Set.of();
    selectedSeq = 0;
    steer(0);
    requestRebuild();
  }

  private void scheduleBeat() {
    cancelBeat();
    if (replay.playing()) {
      nextBeat =
          beat.schedule(
              replay.position() < 0 ? replay.beatMs() / 2 : replay.beatMs(),
              () -> {
                nextBeat = null;
                if (replay.beat()) {
                  highlightStage();
                  requestRebuild();
                }
                scheduleBeat();
                requestRebuild();
              });
    }
  }

  private void cancelBeat() {
    if (nextBeat != null) {
      nextBeat.run();
      nextBeat = null;
    }
  }

  /**
   * During a replay the stage just reached is the one highlighted, here and in the step log (its
   * first call selected there), so a presenter who shows the log beside the picture talks over
   * both.
   */
  private void highlightStage() {
    Blueprint bp = focusBlueprint();
    int p = replay.position();
    if (bp != null && p >= 0 && p < bp.stages().size()) {
      Blueprint.Stage s = bp.stages().get(p);
      highlight = s.parts();
      selectedSeq = s.firstSeq();
    } else {
      highlight = Set.of();
      selectedSeq = 0;
    }
    steer(selectedSeq);
  }

  private Blueprint focusBlueprint() {
    Tracked t = focus == null ? null : tracked.get(focus);
    return t == null ? null : t.bp;
  }

  // ---- the picture -------------------------------------------------------------------------

  private void requestRebuild() {
    if (rebuildPending) {
      return;
    }
    rebuildPending = true;
    later.execute(
        () -> {
          rebuildPending = false;
          scene.set(build());
        });
  }

  private SceneModel build() {
    if (tracked.isEmpty()) {
      return new SceneModel(
          host,
          List.of(),
          Nest.of(List.of()),
          null,
          List.of(),
          -1,
          false,
          false,
          replay.speed(),
          0,
          containers.containers().isEmpty() ? NOTHING : NONE_RUNNING,
          Set.of());
    }
    // An exec stands inside the house of the container it joined, when that one is shown.
    Map<String, String> execOf = new HashMap<>();
    Map<String, Map<Long, String>> execPids = new HashMap<>();
    for (Tracked t : tracked.values()) {
      Long joined = t.bp.isExec() ? t.bp.joinedPid() : null;
      if (joined == null) {
        continue;
      }
      for (Tracked o : tracked.values()) {
        if (o != t && o.item.pid() == joined && !o.bp.isExec()) {
          execOf.put(t.item.id(), o.item.id());
          execPids
              .computeIfAbsent(o.item.id(), k -> new HashMap<>())
              .put(t.item.pid(), t.item.id());
        }
      }
    }
    Blueprint focusBp = focusBlueprint();
    String focusHouse = execOf.getOrDefault(focus, focus);
    int upTo = HouseBuilder.LIVE;
    if (replay.active() && focusBp != null) {
      int p = replay.position();
      upTo = p < 0 ? 0 : focusBp.stages().get(Math.min(p, focusBp.stages().size() - 1)).lastSeq();
    }
    List<HouseModel> houses = new ArrayList<>();
    for (Tracked t : tracked.values()) {
      String id = t.item.id();
      if (execOf.containsKey(id)) {
        continue;
      }
      boolean isFocus = id.equals(focusHouse);
      HouseFacts f = facts.computeIfAbsent(id, k -> new HouseFacts());
      // A selected exec stands in its container's house: what its steps joined is highlighted
      // there; the house itself stands already (its replay is the exec's own log, not the house's).
      houses.add(
          builder.build(
              input(t.item),
              t.bp,
              f,
              host,
              id.equals(focus) ? upTo : HouseBuilder.LIVE,
              isFocus ? highlight : Set.of(),
              execPids.getOrDefault(id, Map.of()),
              null));
    }
    List<Blueprint.Stage> stages = focusBp == null ? List.of() : focusBp.stages();
    int position = replay.active() ? replay.position() : stages.size() - 1;
    return new SceneModel(
        host,
        houses,
        Nest.of(houses),
        focusHouse,
        stages,
        position,
        replay.active(),
        replay.playing(),
        replay.speed(),
        selectedSeq,
        note(houses),
        aside(houses, focusHouse));
  }

  /**
   * The houses drawn as cards whatever the room ({@link SceneModel#aside}): shown because every
   * running container is, of another level than the house in focus (or free play where it is not).
   * Ticked ones are the student's own comparison: none is aside.
   */
  private Set<String> aside(List<HouseModel> houses, String front) {
    HouseModel f = houses.stream().filter(h -> h.id().equals(front)).findFirst().orElse(null);
    if (f == null || !compare.allRunningProperty().get()) {
      return Set.of();
    }
    Set<String> out = new java.util.HashSet<>();
    for (HouseModel h : houses) {
      if (!java.util.Objects.equals(h.level(), f.level()) || h.freePlay() != f.freePlay()) {
        out.add(h.id());
      }
    }
    return out;
  }

  private String note(List<HouseModel> houses) {
    ContainerItem sel = containers.selected();
    ContainerItem standIn = sel == null ? compare.standIn() : null;
    if (sel == null && standIn == null) {
      return houses.size() + (houses.size() == 1 ? " running container" : " running containers");
    }
    Tracked t = sel == null ? null : tracked.get(sel.id());
    if (t != null && t.bp.failed() != null) {
      StepEntry f = t.bp.failed();
      return "The start failed at step "
          + f.seq()
          + ": "
          + f.call()
          + " → "
          + (f.errno() == null ? "failed" : f.errno())
          + (f.explanation() == null ? "" : ". " + f.explanation());
    }
    if (replay.active()) {
      Blueprint bp = focusBlueprint();
      int p = replay.position();
      if (bp == null || p < 0) {
        return "Replay: the host, before the first step.";
      }
      Blueprint.Stage s = bp.stages().get(Math.min(p, bp.stages().size() - 1));
      StepEntry first = s.entries().get(0);
      return "Step "
          + (p + 1)
          + " of "
          + bp.stages().size()
          + " · "
          + s.step()
          + ": "
          + HouseBuilder.call(first)
          + (s.entries().size() > 1 ? " … (" + s.entries().size() + " calls)" : "");
    }
    if (sel == null) {
      // Not picked by the student: say which it is (the compare menu says why); short, the
      // toolbar's note is narrow at 1366×768.
      return "Newest running: " + standIn.shortId();
    }
    // The pid is on the roof: a short line fits a narrow views area.
    return sel.shortId() + " · " + sel.summaryProperty().get().replaceFirst(" · pid \\d+$", "");
  }

  private static HouseBuilder.Input input(ContainerItem i) {
    // While it starts, the spec of the run it is taken to be: the helper names it only after.
    RunSpec spec = i.plannedSpec();
    String command =
        i.spec() != null || spec == null || spec.argv() == null
            ? i.commandLine()
            : String.join(" ", spec.argv());
    return new HouseBuilder.Input(
        i.id(),
        command,
        spec == null ? null : spec.level(),
        spec != null && spec.level() == null && spec.features() != null,
        phase(i.state()),
        i.summaryProperty().get(),
        i.pid(),
        spec == null ? null : ContainerItem.features(spec));
  }

  private static HouseModel.Phase phase(ContainerState s) {
    return switch (s) {
      case STARTING -> HouseModel.Phase.STARTING;
      case RUNNING -> HouseModel.Phase.RUNNING;
      case EXITED -> HouseModel.Phase.EXITED;
      case OOM_KILLED -> HouseModel.Phase.OOM_KILLED;
      case FAILED -> HouseModel.Phase.FAILED;
      case LOST -> HouseModel.Phase.LOST;
    };
  }

  /** The ids of the containers shown, the selected one first. */
  public List<String> shownIds() {
    return new ArrayList<>(tracked.keySet());
  }
}
