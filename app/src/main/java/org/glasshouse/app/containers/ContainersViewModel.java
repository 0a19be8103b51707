package org.glasshouse.app.containers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.app.core.EventBatcher;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabListener;
import org.glasshouse.app.core.LabService;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * The containers of this session and the connection to the helper. The only view-model that
 * subscribes to helper events: it batches them onto the UI executor and keeps each {@link
 * ContainerItem} current. Events can name a container before the {@code run} reply does (the helper
 * sends step events first), so items are created on first sight and claimed by the reply.
 */
public final class ContainersViewModel {
  private final LabService lab;
  private final Executor ui;
  private final ObservableList<ContainerItem> containers = FXCollections.observableArrayList();
  private final Map<String, ContainerItem> byId = new HashMap<>();

  /** Containers whose step log the helper was asked for (see {@link #catchUpSteps}). */
  private final java.util.Set<String> stepsAsked = new java.util.HashSet<>();

  private final ObjectProperty<ContainerItem> selected = new SimpleObjectProperty<>();
  private final ObjectProperty<ConnectionStatus> connection;
  private final StringProperty error = new SimpleStringProperty("");
  // The container the error is about, if any: the error goes when that container goes.
  private String errorOwner;
  private final ObjectProperty<ContainerItem> failedStart = new SimpleObjectProperty<>();
  // Runs of this app awaiting their reply: a container first seen by its events meanwhile may be
  // one of them, so asking ps who it is waits until they are claimed.
  private int pendingRuns;

  /**
   * This app's runs whose container has not shown itself yet, oldest first: the next container
   * whose first step comes is taken to be the oldest's (the glass house draws what it plans
   * meanwhile).
   */
  private final java.util.Deque<Awaited> awaited = new java.util.ArrayDeque<>();

  /** A run asked for; compared by identity (two runs may ask for the same spec). */
  private static final class Awaited {
    final RunSpec spec;
    final boolean check;

    Awaited(RunSpec spec, boolean check) {
      this.spec = spec;
      this.check = check;
    }
  }

  private boolean resyncWanted;
  // Runs whose connection closed before the helper answered: the next ps settles them.
  private final java.util.Set<String> unanswered = new java.util.HashSet<>();
  private final Supplier<String> lastSelected;
  private final BooleanProperty selectedLive = new SimpleBooleanProperty(false);
  private final ChangeListener<ContainerState> followState =
      (o, a, b) -> selectedLive.set(b.live());
  private final AtomicInteger failedStarts = new AtomicInteger();

  /**
   * Containers no reply had claimed when the helper said they were removed: a failed start of this
   * app's gets {@code removed} before its reply, which then claims the item here by its id (steps
   * and all). A few are enough: an entry waits only for a reply already on its way.
   */
  private final Map<String, ContainerItem> undone =
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ContainerItem> eldest) {
          return size() > 32;
        }
      };

  private final OutputBuffer output = new OutputBuffer();

  /**
   * The specs of the containers this app ran, by id: given back when a later window adopts them.
   */
  private final Map<String, RunSpec> specs;

  /**
   * The ids of containers the helper said were removed, the newest {@value #REMEMBERED_REMOVALS}:
   * an id is never used again, and a list asked for before a removal (a CLI's {@code run --rm}
   * asked about at its start) answered after it must not bring the container back "starting".
   */
  private final java.util.Set<String> removed =
      java.util.Collections.newSetFromMap(
          new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED_REMOVALS;
            }
          });

  private static final int REMEMBERED_REMOVALS = 1024;

  /** A container's output is waiting in {@link #output}. */
  private record OutputReady(String container) {}

  public ContainersViewModel(LabService lab, Executor ui) {
    this(lab, ui, () -> "");
  }

  /**
   * As above; {@code lastSelected} gives the id of the container selected when the app last closed
   * (empty for none): after connecting, the app selects it again if the helper still runs it.
   */
  public ContainersViewModel(LabService lab, Executor ui, Supplier<String> lastSelected) {
    this(lab, ui, lastSelected, new java.util.HashMap<>());
  }

  /**
   * As above; {@code specs} keeps the spec of each container this app ran, by id (the app's
   * preferences: they outlive the window). A container the next start adopts gets its spec back —
   * its limits, user and capabilities — where the helper's list gives only its image, command and
   * level: after a restart mid-class, level 08's Check said "no CPU shares were set" of the
   * container it had run with shares 1024.
   */
  public ContainersViewModel(
      LabService lab, Executor ui, Supplier<String> lastSelected, Map<String, RunSpec> specs) {
    this.specs = specs;
    this.lab = lab;
    this.ui = ui;
    this.lastSelected = lastSelected;
    this.connection = new SimpleObjectProperty<>(lab.status());
    selected.addListener(
        (o, a, b) -> {
          if (a != null) {
            a.stateProperty().removeListener(followState);
          }
          if (b != null) {
            b.stateProperty().addListener(followState);
            catchUpSteps(b, true);
            // Another container on show: the failed start and its error step aside.
            dismissFailedStart();
          }
          selectedLive.set(b != null && b.state().live());
        });
    if (lab.status().connected()) {
      resync(true);
    }
    EventBatcher<Object> events = new EventBatcher<>(ui, batch -> batch.forEach(this::apply));
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            // Output joins the container's pending bytes; only the first chunk takes a place in
            // the batch, so the FX thread's work stays bounded under a flood.
            if (event instanceof LabEvent.Output o) {
              if (output.append(o.container(), o.data())) {
                events.add(new OutputReady(o.container()));
              }
            } else {
              events.add(event);
            }
          }

          @Override
          public void onConnection(ConnectionStatus status) {
            ui.execute(() -> connectionChanged(status));
          }
        });
  }

  public ObservableList<ContainerItem> containers() {
    return containers;
  }

  /**
   * Calls {@code added} with each container that joins the list and {@code removed} with each that
   * leaves it, change by change: what the views that follow the list (terminals, a check's result)
   * need, without each walking a list change of its own.
   */
  public void onEachChange(
      java.util.function.Consumer<ContainerItem> added,
      java.util.function.Consumer<ContainerItem> removed) {
    containers.addListener(
        (javafx.collections.ListChangeListener<ContainerItem>)
            c -> {
              while (c.next()) {
                c.getAddedSubList().forEach(added);
                c.getRemoved().forEach(removed);
              }
            });
  }

  public ObjectProperty<ContainerItem> selectedProperty() {
    return selected;
  }

  public ContainerItem selected() {
    return selected.get();
  }

  /** The container with this id, if the app knows it. */
  public java.util.Optional<ContainerItem> find(String id) {
    return java.util.Optional.ofNullable(byId.get(id));
  }

  /** Selects the container with this id, if the app knows it. */
  public void select(String id) {
    find(id).ifPresent(selected::set);
  }

  /** Whether the selected container may still be running (Stop makes sense). */
  public ReadOnlyBooleanProperty selectedLiveProperty() {
    return selectedLive;
  }

  public ReadOnlyObjectProperty<ConnectionStatus> connectionProperty() {
    return connection;
  }

  /** The last error, one sentence with context; empty when the last action worked. */
  public ReadOnlyStringProperty errorProperty() {
    return error;
  }

  /**
   * The last run of the student's that failed at a step, or null: not a container (the helper has
   * none), but its steps are the lesson, so the step log shows them until another container is
   * selected.
   */
  public ReadOnlyObjectProperty<ContainerItem> failedStartProperty() {
    return failedStart;
  }

  private void setError(String message, String owner) {
    error.set(message);
    errorOwner = message.isEmpty() ? null : owner;
  }

  /**
   * Puts the failed start away, with its error when the status bar still shows it: another
   * container on show, or another level (a level-02 failure read as level 00's in issue #14's
   * walk).
   */
  public void dismissFailedStart() {
    ContainerItem failed = failedStart.get();
    if (failed != null) {
      failedStart.set(null);
      if (failed.id().equals(errorOwner)) {
        setError("", null);
      }
    }
  }

  /**
   * Runs a container; completes (on the UI executor) with its item, also when a step failed — then
   * the item is {@link ContainerState#FAILED} and holds the failing step. Completes exceptionally
   * only when there is no container to show (helper unreachable, request refused).
   */
  public CompletableFuture<ContainerItem> run(RunSpec spec, boolean check) {
    setError("", null);
    if (!check) {
      failedStart.set(null);
    }
    pendingRuns++;
    Awaited waiting = new Awaited(spec, check);
    awaited.add(waiting);
    return lab.run(spec)
        .handleAsync(
            (started, failure) -> {
              awaited.remove(waiting);
              pendingRuns--;
              try {
                return answered(spec, check, started, failure);
              } finally {
                // After the reply claimed its container, never before: the ps adopts what no
                // reply claimed.
                if (pendingRuns == 0 && resyncWanted) {
                  resyncWanted = false;
                  ui.execute(() -> resync(false));
                }
              }
            },
            ui);
  }

  private ContainerItem answered(
      RunSpec spec, boolean check, LabService.Started started, Throwable failure) {
    if (failure == null) {
      ContainerItem item = item(started.container());
      item.claim(spec, check);
      specs.put(item.id(), spec);
      item.started(started.pid());
      if (!check) {
        selected.set(item);
      }
      return item;
    }
    if (unanswered(failure)) {
      return noAnswer(spec, check);
    }
    String message = LabException.describe(failure);
    ContainerItem failed = failedItem(failure);
    if (failed == null) {
      setError(message, null);
      throw new LabException("run_failed", message);
    }
    failed.claim(spec, check);
    failed.failed(message);
    // The helper undid the start and keeps no container of it (ps -a, rm agree), so the
    // list does not either; the failed start stays on show (its steps) until a container
    // is selected or the next run.
    byId.remove(failed.id());
    containers.remove(failed);
    if (!check) {
      selected.set(null);
      failedStart.set(failed);
      setError(message, failed.id());
    }
    return failed;
  }

  /**
   * What the window says of a run whose connection closed before the helper answered: the helper
   * may have started it (the request reached it) or not, and only its {@code ps} after the
   * reconnect can tell. Its container, if its first steps came, stays in the list as that — not as
   * a failed start — and its selection with it; the reconnect's resync shows the truth (running,
   * ended, or unknown to the helper: then it goes as a failed start would).
   */
  private ContainerItem noAnswer(RunSpec spec, boolean check) {
    ContainerItem item = null;
    for (ContainerItem i : containers) {
      if (!i.claimed() && i.plannedSpec() == spec) {
        item = i;
        break;
      }
    }
    if (item == null) {
      if (!check) {
        setError(NO_ANSWER + ".", null);
      }
      throw new LabException(UNANSWERED, NO_ANSWER);
    }
    item.claim(spec, check);
    item.unanswered(
        "no answer: the connection closed before the helper answered; it may be running");
    unanswered.add(item.id());
    if (!check) {
      selected.set(item);
      setError(NO_ANSWER + ".", item.id());
    }
    return item;
  }

  /** The error line's words for a run the helper did not answer before the connection closed. */
  static final String NO_ANSWER =
      "Run: the connection closed before the helper answered; the container may be running — it"
          + " will show up when the app reconnects";

  private static final String UNANSWERED = LabException.UNANSWERED;

  private static boolean unanswered(Throwable failure) {
    Throwable c = failure;
    while (c.getCause() != null
        && (c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)) {
      c = c.getCause();
    }
    return c instanceof LabException le && UNANSWERED.equals(le.code());
  }

  /** Stops the selected container with SIGKILL (a shell as PID 1 ignores SIGTERM). */
  public void stopSelected() {
    ContainerItem item = selected.get();
    if (item != null && item.state().live()) {
      report(lab.signal(item.id(), "KILL"), "stop " + item.shortId(), item);
    }
  }

  /** Removes the selected container (killing it if still running) and drops it from the list. */
  public void removeSelected() {
    ContainerItem item = selected.get();
    if (item == null) {
      return;
    }
    if (item.state() == ContainerState.FAILED || item.state() == ContainerState.LOST) {
      drop(item);
      return;
    }
    report(lab.remove(item.id(), true), "remove " + item.shortId(), item);
  }

  /** Sends an error of an async request to the error line. */
  public void report(CompletableFuture<?> f, String what) {
    report(f, what, null);
  }

  /** As {@link #report(CompletableFuture, String)}, for an error about {@code about}. */
  public void report(CompletableFuture<?> f, String what, ContainerItem about) {
    f.whenCompleteAsync(
        (r, t) -> {
          if (t != null) {
            setError(
                "Could not " + what + ": " + LabException.describe(t),
                about == null ? null : about.id());
          }
        },
        ui);
  }

  /**
   * The item of a run that failed to start: the container the helper's reply names ({@code
   * error.container}, the id its step events carried), whether its steps are still listed or its
   * {@code removed} came first; never another container guessed from its steps (another client's
   * start can fail at the same step at the same time). Null when the failure is not a start's.
   */
  private ContainerItem failedItem(Throwable failure) {
    Throwable c = failure.getCause() != null ? failure.getCause() : failure;
    if (!(c instanceof LabException le)) {
      return null;
    }
    StepEntry bad = le.step();
    String id = le.container();
    if (id == null) {
      if (bad == null) {
        return null;
      }
      // A reply that names no container: the failing step on its own.
      ContainerItem i = item("failed-" + failedStarts.incrementAndGet());
      i.steps().add(bad);
      return i;
    }
    ContainerItem i = byId.get(id);
    if (i == null) {
      i = undone.remove(id);
    }
    if (i == null) {
      // The helper sent no events for it (none reached this connection): its failing step alone.
      i = item(id);
    }
    if (bad != null && i.steps().stream().noneMatch(s -> sameStep(s, bad))) {
      i.steps().add(bad);
    }
    return i;
  }

  private static boolean sameStep(StepEntry a, StepEntry b) {
    return a.seq() == b.seq() && a.call() != null && a.call().equals(b.call());
  }

  private ContainerItem item(String id) {
    ContainerItem i = byId.get(id);
    if (i == null) {
      i = new ContainerItem(id);
      byId.put(id, i);
      containers.add(0, i);
    }
    return i;
  }

  /**
   * The spec this app ran {@code row}'s container with, if it kept one and the row agrees with it
   * (its command and level); else null.
   */
  private RunSpec recall(ContainerSummary row) {
    RunSpec s = specs.get(row.id());
    return s != null
            && java.util.Objects.equals(s.argv(), row.argv())
            && java.util.Objects.equals(s.level(), row.level())
        ? s
        : null;
  }

  private void drop(ContainerItem item) {
    specs.remove(item.id());
    byId.remove(item.id());
    containers.remove(item);
    if (item.id().equals(errorOwner)) {
      setError("", null);
    }
    if (selected.get() == item) {
      selected.set(containers.isEmpty() ? null : containers.get(0));
    }
  }

  private void apply(Object item) {
    if (item instanceof OutputReady r) {
      byte[] data = output.take(r.container());
      if (data != null && !removed.contains(r.container())) {
        item(r.container()).output(data);
      }
      return;
    }
    LabEvent ev = (LabEvent) item;
    if (ev instanceof LabEvent.Removed) {
      removed.add(ev.container());
      ContainerItem i = byId.get(ev.container());
      if (i != null) {
        if (!i.claimed()) {
          undone.put(i.id(), i);
        }
        drop(i);
      }
      return;
    }
    if (ev instanceof LabEvent.Telemetry t) {
      ContainerItem i = byId.get(t.container());
      if (i != null) {
        i.telemetry(t.sample());
      }
      return;
    }
    if (ev instanceof LabEvent.Mounts
        || ev instanceof LabEvent.Namespaces
        || ev instanceof LabEvent.Upper) {
      // For the views that subscribed to them; they never make a container appear.
      return;
    }
    if (removed.contains(ev.container())) {
      // Its last event was "removed": nothing after it may bring it back as a new container.
      return;
    }
    boolean fresh = !byId.containsKey(ev.container());
    ContainerItem i = item(ev.container());
    if (ev instanceof LabEvent.Step s) {
      if (fresh && !awaited.isEmpty()) {
        Awaited a = awaited.poll();
        i.expect(a.spec, a.check);
      }
      i.steps().add(s.entry());
    } else if (ev instanceof LabEvent.Started s) {
      i.started(s.pid());
      catchUpSteps(i, false);
      if (!i.claimed()) {
        // Started by another client (the CLI) while the app runs: ps says what it runs.
        if (pendingRuns == 0) {
          resync(false);
        } else {
          resyncWanted = true;
        }
      }
    } else if (ev instanceof LabEvent.Exited x) {
      i.exited(x.code(), x.signal(), x.oomKilled());
    }
  }

  private void connectionChanged(ConnectionStatus status) {
    ConnectionStatus before = connection.get();
    connection.set(status);
    if (status.state() == ConnectionStatus.State.LOST) {
      List.copyOf(containers).forEach(ContainerItem::lost);
    }
    if (status.connected() && before != null && !before.connected()) {
      setError("", null);
      resync(true);
    }
  }

  /**
   * Asks the helper which containers it has and merges them in: the app may have started while
   * containers ran, or the helper came back (then those the app knew and the helper no longer has
   * leave the list: {@link #dropGone}). The connection already follows every container's events, so
   * nothing that happens between this request and its reply is missed; {@link ContainerItem#sync}
   * only moves states forward, so an older row never undoes a newer event. After a connect ({@code
   * choose}), with nothing on show, it selects a container: see {@link #selectAfterResync}.
   */
  private void resync(boolean choose) {
    lab.ps()
        .whenCompleteAsync(
            (rows, failure) -> {
              if (failure != null) {
                setError(
                    "Could not list the helper's containers: " + LabException.describe(failure),
                    null);
                return;
              }
              // Oldest first: each new item goes on top, so the newest ends first in the list, as
              // the app's own runs do (the helper lists them in no particular order). A row of a
              // container removed since the list was made is stale: the list was asked for before
              // its removed event, and answered after it.
              List<ContainerSummary> ordered = new ArrayList<>(rows);
              ordered.removeIf(r -> removed.contains(r.id()));
              ordered.sort(
                  Comparator.comparing(
                      ContainerSummary::createdAt,
                      Comparator.nullsFirst(Comparator.naturalOrder())));
              for (ContainerSummary row : ordered) {
                ContainerItem i = item(row.id());
                // A row that no step has tied to a run yet (a command that ends before its first
                // step event, or a level without steps) is the pending run with its command.
                Awaited a = i.claimed() || i.expecting() ? null : awaitedBy(row);
                if (a != null) {
                  awaited.remove(a);
                  i.expect(a.spec, a.check);
                }
                i.sync(row, pendingRuns > 0, recall(row));
                catchUpSteps(i, false);
                if (!i.claimed()) {
                  // Left for the ps after the pending replies (see ContainerItem#sync).
                  resyncWanted = true;
                }
              }
              settleUnanswered(rows);
              dropGone(rows);
              // Specs of containers the helper no longer has (removed while the app was closed,
              // or a helper that stopped) are forgotten: the kept ones stay few.
              java.util.Set<String> known = new java.util.HashSet<>(byId.keySet());
              rows.forEach(r -> known.add(r.id()));
              specs.keySet().retainAll(known);
              if (choose) {
                selectAfterResync(ordered);
              }
            },
            ui);
  }

  /**
   * A container this app did not run (adopted from ps: started from the command line before the app
   * connected, or while it connected) has only the steps whose events came after it connected —
   * often none. The helper keeps every container's step log: it is asked once the container's start
   * is over (its steps all made) and merged, by seq, with those that came as events, so the step
   * log, the glass house and the mounts view see its whole build (issue #9: such a house was drawn
   * half built, its layers faded, its replay off). A failed ask is asked again at the next ps (a
   * reconnect). One that has exited is asked for only once it is selected ({@code onShow}): a
   * helper that kept 128 of them would send every one's log (~35 KB at level 12) at connect.
   */
  private void catchUpSteps(ContainerItem i, boolean onShow) {
    ContainerState s = i.state();
    boolean due =
        s == ContainerState.RUNNING
            || onShow && s != ContainerState.STARTING && s != ContainerState.LOST;
    if (!i.adopted() || !due || whole(i.steps()) || !stepsAsked.add(i.id())) {
      return;
    }
    lab.steps(i.id())
        .whenCompleteAsync(
            (all, failure) -> {
              if (failure != null || all == null) {
                stepsAsked.remove(i.id());
                return;
              }
              if (byId.get(i.id()) == i) {
                merge(i.steps(), all);
              }
            },
            ui);
  }

  /**
   * Whether the steps run from seq 1 without a gap: all came as events (a start from the command
   * line while the app was connected), nothing to ask for.
   */
  private static boolean whole(List<StepEntry> steps) {
    for (int k = 0; k < steps.size(); k++) {
      if (steps.get(k).seq() != k + 1) {
        return false;
      }
    }
    return !steps.isEmpty();
  }

  /** {@code all} and the steps already there, each seq once, in seq order; unchanged if same. */
  static void merge(ObservableList<StepEntry> steps, List<StepEntry> all) {
    java.util.TreeMap<Integer, StepEntry> bySeq = new java.util.TreeMap<>();
    all.forEach(e -> bySeq.put(e.seq(), e));
    steps.forEach(e -> bySeq.putIfAbsent(e.seq(), e));
    List<StepEntry> merged = new ArrayList<>(bySeq.values());
    if (!merged.equals(steps)) {
      steps.setAll(merged);
    }
  }

  /** The oldest run awaiting its reply whose command is {@code row}'s, or null. */
  private Awaited awaitedBy(ContainerSummary row) {
    for (Awaited a : awaited) {
      if (a.spec.argv().equals(row.argv())) {
        return a;
      }
    }
    return null;
  }

  /**
   * Runs left without an answer when the connection closed: ps listed those the helper has (their
   * rows brought them up to date); one it does not list was never started, or was undone — it goes
   * from the list as a failed start does, and stays on show as one if it was.
   */
  private void settleUnanswered(List<ContainerSummary> rows) {
    java.util.Set<String> listed = new java.util.HashSet<>();
    rows.forEach(r -> listed.add(r.id()));
    for (String id : List.copyOf(unanswered)) {
      unanswered.remove(id);
      ContainerItem i = byId.get(id);
      if (i == null || listed.contains(id)) {
        continue;
      }
      String message =
          "the helper does not have it after the reconnect: its start did not complete";
      i.failed(message);
      boolean shown = selected.get() == i;
      byId.remove(id);
      containers.remove(i);
      if (shown) {
        selected.set(null);
        failedStart.set(i);
        setError("Run: " + message, i.id());
      }
    }
  }

  /**
   * The containers the outage marked lost that the reconnect's ps does not list: the helper no
   * longer has them (a helper that stops removes its containers; another client may have removed
   * one meanwhile). They leave the list, their terminals with them, and one line says so. They
   * stayed "lost with the helper" before, their tabs open on containers that were no more.
   */
  private void dropGone(List<ContainerSummary> rows) {
    java.util.Set<String> listed = new java.util.HashSet<>();
    rows.forEach(r -> listed.add(r.id()));
    List<ContainerItem> gone =
        containers.stream()
            .filter(i -> i.state() == ContainerState.LOST && !listed.contains(i.id()))
            .toList();
    if (gone.isEmpty()) {
      return;
    }
    if (gone.contains(selected.get())) {
      // Chosen again after the resync, as at a connect: the newest that still runs.
      selected.set(null);
    }
    for (ContainerItem i : gone) {
      specs.remove(i.id());
      byId.remove(i.id());
      containers.remove(i);
    }
    setError(
        gone.size() == 1
            ? "The helper no longer has container "
                + gone.get(0).shortId()
                + " (a helper removes its containers when it stops): it is off the list."
            : "The helper no longer has "
                + gone.size()
                + " containers this window showed (a helper removes its containers when it"
                + " stops): they are off the list.",
        null);
  }

  /**
   * After a (re)connect's ps, with nothing on show: the container selected when the app closed if
   * it still runs, else the newest running one. Never while a run of the student's awaits its reply
   * or once something is selected: a late list must not take the selection from the container the
   * student just started.
   */
  private void selectAfterResync(List<ContainerSummary> oldestFirst) {
    if (selected.get() != null || pendingRuns > 0 || failedStart.get() != null) {
      return;
    }
    String remembered = lastSelected.get();
    ContainerItem pick = null;
    for (ContainerSummary row : oldestFirst) {
      ContainerItem i = byId.get(row.id());
      if (i == null || !i.state().live() || i.isCheck()) {
        continue;
      }
      if (row.id().equals(remembered)) {
        pick = i;
        break;
      }
      pick = i;
    }
    if (pick != null) {
      selected.set(pick);
    }
  }
}
