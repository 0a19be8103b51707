package org.glasshouse.app.containers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.glasshouse.app.core.ContainerSummary;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.TelemetrySample;

/**
 * One container as the app sees it, updated on the UI thread from helper events. Keeps the last 256
 * KiB of output so a terminal opened late still shows what came before.
 */
public final class ContainerItem {
  private static final int HISTORY = 256 * 1024;

  private final String id;
  private final ObjectProperty<ContainerState> state =
      new SimpleObjectProperty<>(ContainerState.STARTING);
  private final StringProperty summary = new SimpleStringProperty("starting");
  private final ObservableList<StepEntry> steps = FXCollections.observableArrayList();
  private final ByteArrayOutputStream history = new ByteArrayOutputStream();
  private byte lastByte;
  private final List<Consumer<byte[]>> sinks = new ArrayList<>();
  private final CompletableFuture<ContainerItem> exited = new CompletableFuture<>();
  private final ObjectProperty<TelemetrySample> telemetry = new SimpleObjectProperty<>();
  private RunSpec spec;
  private RunSpec expected;
  private boolean expectedCheck;
  private Integer exitCode;
  private long pid;
  private boolean check;
  private boolean claimed;
  private boolean adopted;
  private boolean specRemembered;

  public ContainerItem(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Twelve hex characters are long; lists show the first eight. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  public ReadOnlyObjectProperty<ContainerState> stateProperty() {
    return state;
  }

  public ContainerState state() {
    return state.get();
  }

  /** "running · pid 4242", "exited 0", "OOM-killed" … */
  public ReadOnlyStringProperty summaryProperty() {
    return summary;
  }

  public ObservableList<StepEntry> steps() {
    return steps;
  }

  /** The latest telemetry sample (null until the helper sends one). */
  public ReadOnlyObjectProperty<TelemetrySample> telemetryProperty() {
    return telemetry;
  }

  void telemetry(TelemetrySample sample) {
    telemetry.set(sample);
  }

  public RunSpec spec() {
    return spec;
  }

  /**
   * The spec it was started with, or, while it starts, the spec of the run this app asked for that
   * it is taken to be (its first step came while that run was awaited); null when neither is known.
   */
  public RunSpec plannedSpec() {
    return spec != null ? spec : expected;
  }

  /**
   * The steps it was started with: its spec's features, else every feature of its level; empty when
   * neither is known (not claimed yet).
   */
  public java.util.Set<org.glasshouse.protocol.Feature> features() {
    if (spec == null) {
      return java.util.Set.of();
    }
    return features(spec);
  }

  /** The features {@code s} asks for: its own set, else every feature of its level. */
  public static java.util.Set<org.glasshouse.protocol.Feature> features(RunSpec s) {
    if (s.features() != null) {
      return s.features();
    }
    return org.glasshouse.protocol.Feature.upTo(s.level() == null ? 0 : s.level());
  }

  public Integer exitCode() {
    return exitCode;
  }

  public long pid() {
    return pid;
  }

  /**
   * Whether this container ran a level's check rather than the student's command (while it starts,
   * whether the run it is taken to be was a check).
   */
  public boolean isCheck() {
    return claimed ? check : expectedCheck;
  }

  /** Completes on the UI thread once the container's process has ended or its start failed. */
  public CompletableFuture<ContainerItem> exitedFuture() {
    return exited;
  }

  /** The command line, for lists. */
  public String commandLine() {
    return spec == null || spec.argv() == null ? "" : String.join(" ", spec.argv());
  }

  /** Everything the container wrote that is still in the history, as text. */
  public String outputText() {
    return history.toString(StandardCharsets.UTF_8);
  }

  /** Replays the history to {@code sink} and then feeds it every new chunk. */
  public void attach(Consumer<byte[]> sink) {
    if (history.size() > 0) {
      sink.accept(history.toByteArray());
    }
    sinks.add(sink);
  }

  public void detach(Consumer<byte[]> sink) {
    sinks.remove(sink);
  }

  /**
   * While it starts: the run of this app's that it is taken to be, until the run's answer claims it
   * (the helper names a container only in that answer, after its steps).
   */
  void expect(RunSpec spec, boolean check) {
    if (!claimed) {
      this.expected = spec;
      this.expectedCheck = check;
    }
  }

  /**
   * Whether this app ran it and watched it from its start: a run's reply claimed it, or a run of
   * this app awaits its reply and is taken to be it. Not for one {@linkplain #adopted adopted} from
   * ps, nor one known only by its events (a CLI start).
   */
  public boolean ranHere() {
    return claimed ? !adopted : expected != null;
  }

  /** Whether a run of this app's is taken to be this container, awaiting the run's reply. */
  boolean expecting() {
    return expected != null;
  }

  void claim(RunSpec spec, boolean check) {
    this.spec = spec;
    this.check = check;
    this.claimed = true;
    this.adopted = false;
  }

  boolean claimed() {
    return claimed;
  }

  /**
   * Whether the app learnt of this container from the helper's {@code ps} rather than by running it
   * (it was started before this connection, by an earlier app or the CLI). Its terminal is opened
   * on demand: ps does not say whether it has a tty, and output shows either way.
   */
  public boolean adopted() {
    return adopted;
  }

  /**
   * Whether {@link #spec()} holds the limits, user and capabilities it was started with: always for
   * a container this window ran; for an adopted one only when an earlier window of this app ran it
   * and kept its spec (the helper's list gives only its image, command and level).
   */
  public boolean limitsKnown() {
    return spec != null && (!adopted || specRemembered);
  }

  /**
   * Brings the item in line with a row of the helper's {@code ps} after a (re)connect. A container
   * this app did not run is adopted: its command comes from the row, and its history starts with a
   * note that what it wrote before is not replayed (the helper keeps no output). A known container
   * the outage marked lost is live again if the helper still runs it. States only move forward, so
   * a row older than an event already applied changes nothing. {@code runsPending}: runs of this
   * app await their reply.
   */
  void sync(ContainerSummary row, boolean runsPending) {
    sync(row, runsPending, null);
  }

  /**
   * As above; {@code known}: the spec this app ran it with in an earlier window (its limits, user,
   * capabilities), taken for an adopted container instead of what the row says, or null.
   */
  void sync(ContainerSummary row, boolean runsPending, RunSpec known) {
    // While runs of this app await their reply, a container no reply has claimed may be one of
    // them, guessed or not (the guesses are first come, first taken, and another client's start
    // can take one): it is not adopted now. The reply claims it; the ps the app asks for once the
    // replies are in adopts the rest.
    boolean unknown = !claimed && !runsPending;
    if (unknown) {
      spec =
          known != null
              ? known
              : RunSpec.builder().image(row.image()).argv(row.argv()).level(row.level()).build();
      claimed = true;
      adopted = true;
      specRemembered = known != null;
    }
    if (unknown) {
      note("attached late: earlier output is not replayed");
    }
    boolean lost = state.get() == ContainerState.LOST;
    switch (row.state()) {
      case "running" -> {
        if (lost && !unknown) {
          note("reconnected: output written while the helper was unreachable is missing");
        }
        if (lost) {
          state.set(ContainerState.STARTING);
        }
        started(row.pid() == null ? 0 : row.pid());
      }
      case "exited" -> {
        if (state.get().live() || lost) {
          exited(row.exitCode(), row.signal(), row.oomKilled());
        }
      }
      default -> {
        // "created": the start is still under way; its events follow.
      }
    }
  }

  /** A line of the app's in the terminal, on a line of its own after whatever came before. */
  private void note(String text) {
    String start = lastByte == '\n' || history.size() == 0 ? "" : "\r\n";
    output((start + "[glasshouse: " + text + "]\r\n").getBytes(StandardCharsets.UTF_8));
  }

  void started(long pid) {
    this.pid = pid;
    if (state.get() == ContainerState.STARTING) {
      state.set(ContainerState.RUNNING);
      summary.set("running · pid " + pid);
    }
  }

  void output(byte[] data) {
    // Trim only once the buffer holds twice the history, so a fast stream costs one copy per
    // 256 KiB instead of one per chunk.
    if (history.size() + data.length > 2 * HISTORY) {
      byte[] old = history.toByteArray();
      int keep = Math.min(old.length, Math.max(0, HISTORY - data.length));
      history.reset();
      history.write(old, old.length - keep, keep);
    }
    history.writeBytes(data);
    if (data.length > 0) {
      lastByte = data[data.length - 1];
    }
    for (Consumer<byte[]> s : List.copyOf(sinks)) {
      s.accept(data);
    }
  }

  void exited(Integer code, String signal, boolean oom) {
    // Said once (the exit event and a ps row may both report it): a command that writes nothing,
    // 00-exit's sh -c "exit 3", otherwise leaves a black terminal while the guide asks for its
    // code.
    boolean first = state.get().live() || state.get() == ContainerState.LOST;
    this.exitCode = code;
    // The summary first: listeners of the state read it, and must not see "running".
    if (oom) {
      summary.set("OOM-killed");
      state.set(ContainerState.OOM_KILLED);
    } else {
      summary.set(signal != null ? "killed by " + signal : "exited " + code);
      state.set(ContainerState.EXITED);
    }
    if (first) {
      note(summary.get());
    }
    exited.complete(this);
  }

  void failed(String message) {
    summary.set("start failed: " + message);
    state.set(ContainerState.FAILED);
    exited.complete(this);
  }

  /**
   * The run's connection closed before the helper answered it: whether it runs is unknown until the
   * reconnect's ps says. Shown as lost, with {@code why}; a ps row moves it on as it does any lost
   * container.
   */
  void unanswered(String why) {
    summary.set(why);
    state.set(ContainerState.LOST);
    exited.complete(this);
  }

  void lost() {
    if (state.get() == ContainerState.STARTING || state.get() == ContainerState.RUNNING) {
      summary.set("lost with the helper");
      state.set(ContainerState.LOST);
      exited.complete(this);
    }
  }

  @Override
  public String toString() {
    return shortId() + " " + summary.get();
  }
}
