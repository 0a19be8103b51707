package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.animation.FadeTransition;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.glasshouse.app.glasshouse.HouseModel.GaugeModel;
import org.glasshouse.app.glasshouse.HouseModel.NetModel;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.glasshouse.app.glasshouse.HouseModel.RootFsModel;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The four rooms inside a house — its processes, its root filesystem, its cgroup gauges, its
 * network and hostname — each a small node updated in place from the house's model.
 */
final class Rooms {
  static final PseudoClass UNBUILT = PseudoClass.getPseudoClass("unbuilt");
  static final PseudoClass LIT = PseudoClass.getPseudoClass("highlighted");
  static final PseudoClass COMPACT = PseudoClass.getPseudoClass("compact");

  private Rooms() {}

  /** What a click on a piece shows in the details card. */
  record Details(String title, List<String> lines, int seq) {}

  /** A room: a header line with an icon, and its content below. */
  abstract static class Room extends VBox {
    final Label header;

    Room(String title, Feather icon, String id) {
      getStyleClass().addAll("gh-room", "gh-room-" + id);
      header = new Label(title, new FontIcon(icon));
      header.getStyleClass().add("gh-room-header");
      header.setMinWidth(0);
      getChildren().add(header);
      setMinWidth(0);
      setMinHeight(0);
    }
  }

  static Label text(String styleClass) {
    Label l = new Label();
    l.getStyleClass().add(styleClass);
    l.setMinWidth(Region.USE_PREF_SIZE);
    return l;
  }

  static void set(Label l, String s) {
    String v = s == null ? "" : s;
    if (!v.equals(l.getText())) {
      l.setText(v);
    }
  }

  /**
   * Gives {@code n} the style class {@code wanted} (null: none) as its only one starting with
   * {@code prefix}, touching its classes only when they differ: a changed style class makes CSS
   * look up every style of the node again (at 10 Hz, for every card's eight wall tags, most of a
   * frame), a class removed and added back included.
   */
  static void onlyStyle(Node n, String prefix, String wanted) {
    List<String> classes = n.getStyleClass();
    boolean has = false;
    boolean other = false;
    for (String c : classes) {
      if (c.equals(wanted)) {
        has = true;
      } else if (c.startsWith(prefix)) {
        other = true;
      }
    }
    if (other) {
      classes.removeIf(c -> c.startsWith(prefix) && !c.equals(wanted));
    }
    if (wanted != null && !has) {
      classes.add(wanted);
    }
  }

  static void show(Node n, boolean on) {
    if (n.isVisible() != on) {
      n.setVisible(on);
      n.setManaged(on);
    }
  }

  static Tooltip tip(Node n) {
    Tooltip t = new Tooltip();
    t.setShowDelay(Duration.millis(250));
    t.setShowDuration(Duration.seconds(30));
    t.setWrapText(true);
    t.setMaxWidth(460);
    Tooltip.install(n, t);
    return t;
  }

  static void tip(Tooltip t, List<String> lines) {
    String s = String.join("\n", lines);
    if (!s.equals(t.getText())) {
      t.setText(s);
    }
  }

  // ---- processes ---------------------------------------------------------------------------

  /**
   * What a process may do, effective set first: "all caps" only when it has every one; a process
   * with none in effect reads "no caps" (level 12's uid 1000 — not "0 caps", which reads like a
   * count not yet made), and "no caps · bounding all" when its bounding set is uncut (level 10's
   * uid 1000: an exec of a setuid binary could still get them back).
   */
  /** Every capability in effect and an uncut bounding set: the host's root. */
  static boolean isAllCaps(HouseModel.Caps c) {
    return c.full() && c.effective() >= c.all();
  }

  static String capsText(HouseModel.Caps c) {
    if (isAllCaps(c)) {
      return "all caps";
    }
    String effective = c.effective() == 0 ? "no caps" : c.effective() + " caps";
    return effective + (c.full() ? " · bounding all" : "");
  }

  /**
   * The process tree: one row per process, host PID ⇄ PID inside, command, user, badges. Rows are
   * reused by position (a process that came takes a row another left, and fades in), so processes
   * coming and going at 10 Hz change texts, not the scene graph.
   */
  static final class ProcessRoom extends Room {
    private final List<ProcessRow> rows = new ArrayList<>();
    private final VBox list = new VBox();
    private final Label empty = text("gh-muted");
    private final Consumer<Details> details;
    private java.util.Set<Long> shown = java.util.Set.of();

    ProcessRoom(Consumer<Details> details) {
      super("Processes", Feather.CPU, "processes");
      this.details = details;
      list.getStyleClass().add("gh-process-list");
      // The rows take the room's width, never their own: a row wider than its room was cut at the
      // room's edge (the README picture's "stud…" chip) instead of flowing onto a second line.
      list.setMinWidth(0);
      getChildren().addAll(list, empty);
    }

    /** Whether the process rooms of {@code a} and {@code b} read the same. */
    static boolean same(HouseModel a, HouseModel b) {
      return a.processes().equals(b.processes())
          && a.commandBuilt() == b.commandBuilt()
          && a.initBuilt() == b.initBuilt()
          && a.phase().live() == b.phase().live()
          && lit(a) == lit(b);
    }

    private static boolean lit(HouseModel h) {
      return h.highlighted() || h.rootfs().highlighted().contains("join");
    }

    void update(HouseModel h, boolean compact) {
      pseudoClassStateChanged(UNBUILT, !h.commandBuilt());
      List<ProcessModel> ps = h.processes();
      while (rows.size() < ps.size()) {
        rows.add(new ProcessRow(details));
      }
      java.util.Set<Long> now = new java.util.HashSet<>();
      for (int i = 0; i < ps.size(); i++) {
        ProcessModel p = ps.get(i);
        now.add(p.hostPid());
        ProcessRow r = rows.get(i);
        if (!shown.contains(p.hostPid())) {
          FadeTransition in = new FadeTransition(Duration.millis(600), r);
          in.setFromValue(0.1);
          in.setToValue(1);
          in.play();
        }
        r.update(p, lit(h), compact);
      }
      shown = now;
      // Rows are never taken out of the scene, only hidden: a row added back to it has every
      // style looked up again (a fork loop's processes come and go at 10 Hz).
      int n = ps.size();
      if (list.getChildren().size() < n) {
        list.getChildren().addAll(rows.subList(list.getChildren().size(), n));
      }
      for (int i = 0; i < list.getChildren().size(); i++) {
        show(rows.get(i), i < n);
      }
      String none =
          h.commandBuilt()
              ? (h.phase().live() ? "reading…" : "none: it has exited")
              : h.initBuilt() ? "the init stage is preparing it" : "not started yet";
      set(empty, none);
      show(empty, ps.isEmpty());
    }

    /** The row showing host pid {@code pid}, or null (tests). */
    ProcessRow row(long pid) {
      for (int i = 0; i < list.getChildren().size(); i++) {
        ProcessRow r = rows.get(i);
        if (r.isVisible() && r.model != null && r.model.hostPid() == pid) {
          return r;
        }
      }
      return null;
    }
  }

  /**
   * One process: its PIDs and command on a line, its user, capabilities and filter chips after
   * them, flowing onto a second line when the room is narrow (two houses side by side) rather than
   * squeezing the command out.
   */
  static final class ProcessRow extends javafx.scene.layout.FlowPane {
    static final PseudoClass FULL = PseudoClass.getPseudoClass("full");
    static final PseudoClass NONE = PseudoClass.getPseudoClass("none");
    static final PseudoClass FIRST = PseudoClass.getPseudoClass("first");
    static final PseudoClass PENDING = PseudoClass.getPseudoClass("pending");
    static final PseudoClass HOSTPID = PseudoClass.getPseudoClass("host-pid");
    static final PseudoClass ZOMBIE = PseudoClass.getPseudoClass("zombie");
    final Label pid = text("gh-pid");
    final Label hostPid = text("gh-host-pid");
    final Label command = new Label();
    final Label user = text("gh-chip");
    final Label caps = text("gh-chip");
    final Label filter = text("gh-chip");
    final Label exec = text("gh-chip");
    final Label zombie = text("gh-chip");
    private final Region indent = new Region();
    private final Tooltip tip = tip(this);
    ProcessModel model;
    private boolean lit;
    private boolean compact;

    ProcessRow(Consumer<Details> details) {
      getStyleClass().add("gh-process");
      setAlignment(Pos.CENTER_LEFT);
      setRowValignment(javafx.geometry.VPos.CENTER);
      command.getStyleClass().add("gh-command");
      user.getStyleClass().add("gh-user");
      caps.getStyleClass().add("gh-caps");
      filter.getStyleClass().add("gh-seccomp");
      filter.setText("seccomp");
      filter.setGraphic(new FontIcon(Feather.FILTER));
      exec.getStyleClass().add("gh-exec");
      zombie.getStyleClass().add("gh-zombie");
      zombie.setText("zombie");
      indent.setMinWidth(Region.USE_PREF_SIZE);
      setMinWidth(0);
      getChildren().addAll(indent, pid, hostPid, command, exec, zombie, user, caps, filter);
      setOnMouseClicked(
          e -> {
            if (model != null) {
              details.accept(
                  new Details(
                      model.zombies() != null
                          ? model.zombies().hostPids().size() + " zombies"
                          : "Process " + (model.nsPid() != null ? model.nsPid() : model.hostPid()),
                      Describe.processLines(model),
                      0));
            }
          });
    }

    void update(ProcessModel p, boolean lit, boolean compact) {
      if (p.equals(model) && lit == this.lit && compact == this.compact) {
        return;
      }
      model = p;
      this.lit = lit;
      this.compact = compact;
      double em = command.getFont().getSize();
      indent.setPrefWidth(p.depth() * em * 1.1);
      // A long command line is cut (its tooltip and details card have all of it).
      if (getWidth() <= 0) {
        command.setMaxWidth(em * 16);
      }
      setPrefWrapLength(em * 18);
      boolean ownPid = p.nsPid() != null && p.nsPid() != p.hostPid();
      // Zombies of one parent, one row: what they are and whose, no pid of their own (the card
      // lists them).
      boolean many = p.zombies() != null;
      set(pid, p.pending() ? "…" : ownPid ? Long.toString(p.nsPid()) : Long.toString(p.hostPid()));
      show(pid, !many);
      set(hostPid, ownPid ? "⇄ " + p.hostPid() : "");
      show(hostPid, ownPid && !many);
      pid.pseudoClassStateChanged(HOSTPID, !ownPid);
      hostPid.pseudoClassStateChanged(HOSTPID, !ownPid);
      set(command, many ? p.zombies().label() : p.command());
      String who =
          p.uid() == null
              ? ""
              : p.user() != null
                  ? p.user()
                  : p.hostUser() != null ? "uid " + p.uid() : "uid " + p.uid();
      set(user, who);
      user.pseudoClassStateChanged(
          PseudoClass.getPseudoClass("root"), p.uid() != null && p.uid() == 0);
      if (p.caps() != null) {
        set(caps, capsText(p.caps()));
        caps.pseudoClassStateChanged(FULL, isAllCaps(p.caps()));
        caps.pseudoClassStateChanged(NONE, p.caps().effective() == 0);
      }
      // Compact (the views area at 1366×768) keeps a cut set — "no caps" is levels 10-12's point —
      // and drops only "all caps", which every process of levels 00-09 has.
      // A zombie runs nothing: its user and capabilities are what it had, not what it can do.
      boolean z = p.zombie();
      show(caps, !z && p.caps() != null && (!compact || !isAllCaps(p.caps())));
      show(user, !z && !who.isEmpty() && !(compact && p.exec() != null));
      show(zombie, z);
      pseudoClassStateChanged(ZOMBIE, z);
      show(filter, p.seccomp() == 2);
      set(exec, p.exec() == null ? "" : "exec");
      show(exec, p.exec() != null);
      pseudoClassStateChanged(FIRST, p.first());
      pseudoClassStateChanged(PENDING, p.pending());
      pseudoClassStateChanged(LIT, lit && p.exec() != null);
      tip(tip, Describe.processLines(p));
    }

    /** A command longer than the row is wide is cut to the row (on a line of its own). */
    @Override
    protected void layoutChildren() {
      double em = command.getFont().getSize();
      double room = getWidth() - snappedLeftInset() - snappedRightInset();
      double max = room > 0 ? Math.min(em * 16, Math.floor(room)) : em * 16;
      if (command.getMaxWidth() != max) {
        command.setMaxWidth(max);
      }
      super.layoutChildren();
    }
  }

  // ---- root filesystem ---------------------------------------------------------------------

  /** One layer of the root filesystem: a short name and what it is. */
  static final class Layer extends HBox {
    final Label name = text("gh-layer-name");
    final Label caption = new Label();

    Layer(String styleClass) {
      getStyleClass().addAll("gh-layer", styleClass);
      setAlignment(Pos.CENTER_LEFT);
      caption.getStyleClass().add("gh-layer-caption");
      caption.setMinWidth(0);
      caption.setWrapText(true);
      getChildren().addAll(name, caption);
      setMaxWidth(Double.MAX_VALUE);
      setMinWidth(0);
    }

    void set(String n, String c) {
      Rooms.set(name, n);
      Rooms.set(caption, c);
    }
  }

  /** The root filesystem as layers: the host's /, the image, the overlay's upper, the merged /. */
  static final class RootFsRoom extends Room {
    private final VBox layers = new VBox();
    private final Layer top = new Layer("gh-layer-merged");
    private final Layer upper = new Layer("gh-layer-upper");
    private final Layer image = new Layer("gh-layer-image");
    private final Layer host = new Layer("gh-layer-host");
    private final javafx.scene.layout.FlowPane chips = new javafx.scene.layout.FlowPane();

    /**
     * One chip per mount ("/proc", "/sys", …), reused by position: the flow wraps between them
     * where the room is narrow, a line more only when needed, where one chip of all of them ran
     * past the room's right edge.
     */
    private final List<Label> mounts = new ArrayList<>();

    private final Label devices = text("gh-chip");
    private final Label masked = text("gh-chip");

    /**
     * Level 01's warning: a sentence, not a name, so not a chip of the flow (a flow never shrinks a
     * chip): it stands above them, as wide as its text and never wider than the room, its words
     * wrapping onto a second line where the room is narrower (a house beside another). As one chip
     * of the flow it drew past its room and its walls into the house beside it.
     */
    private final Label leak = new Label();

    private final Tooltip tip = tip(this);
    private RootFsModel model;

    /** The chips under the layers (tests). */
    FlowPane chips() {
      return chips;
    }

    RootFsRoom(Consumer<Details> details) {
      super("Root filesystem", Feather.HARD_DRIVE, "rootfs");
      layers.getStyleClass().add("gh-layers");
      layers.getChildren().addAll(top, upper, image, host);
      chips.getStyleClass().add("gh-chips");
      devices.getStyleClass().add("gh-devices");
      devices.setText("/dev nodes");
      masked.getStyleClass().add("gh-masked");
      leak.getStyleClass().addAll("gh-chip", "gh-leak");
      leak.setText("leaks into the host's mounts");
      leak.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
      leak.setWrapText(true);
      leak.setMinWidth(0);
      leak.setMaxWidth(Region.USE_PREF_SIZE);
      chips.getChildren().addAll(devices, masked);
      getChildren().addAll(layers, leak, chips);
      setOnMouseClicked(
          e -> {
            if (model != null) {
              details.accept(new Details("Root filesystem", Describe.rootfsLines(model), 0));
            }
          });
    }

    void update(RootFsModel r, boolean compact) {
      model = r;
      boolean overlay = r.kind() == RootFsModel.Kind.OVERLAY;
      String imageName = r.image() == null ? "the image" : imageName(r.image());
      switch (r.kind()) {
        case HOST -> {
          host.set("host /", compact ? "the host's files" : "the host's own files" + source(r));
          layerState(host, true, false, false);
        }
        case CHROOT -> {
          image.set(
              "/ →", imageName + (compact ? " (chroot)" : " · chroot: a changed path lookup"));
          host.set("host /", compact ? "still there" : "still there around it" + source(r));
          layerState(
              image,
              r.has("chroot") || r.has("image"),
              r.highlighted().contains("chroot") || r.highlighted().contains("image"),
              false);
          layerState(host, true, false, true);
        }
        case PIVOT -> {
          image.set("/ =", imageName + (compact ? " (pivot)" : " · pivot_root made it /"));
          host.set("host /", "detached");
          layerState(
              image,
              r.has("pivot") || r.has("bind"),
              r.highlighted().contains("pivot") || r.highlighted().contains("bind"),
              false);
          layerState(host, true, false, true);
        }
        case OVERLAY -> {
          top.set(
              "merged",
              compact ? "= its /" : "= its /  (overlay" + (r.has("pivot") ? ", pivot_root)" : ")"));
          HouseModel.Changes c = r.changes();
          String counts =
              c == null
                  ? (compact ? "its writes" : "its writes land here")
                  : compact
                      ? "+" + c.created() + " ~" + c.changed() + " −" + c.deleted()
                      : "+"
                          + c.created()
                          + " new  ~"
                          + c.changed()
                          + " changed  −"
                          + c.deleted()
                          + " deleted";
          upper.set("upper", counts);
          image.set("lower", imageName + (compact ? " (ro)" : " · read-only, shared"));
          layerState(
              top,
              r.has("overlay"),
              r.highlighted().contains("overlay") || r.highlighted().contains("pivot"),
              false);
          layerState(upper, r.has("upper"), r.highlighted().contains("upper"), false);
          layerState(image, r.has("image"), r.highlighted().contains("image"), false);
        }
      }
      show(top, overlay);
      show(upper, overlay);
      show(image, r.kind() != RootFsModel.Kind.HOST);
      show(host, r.kind() != RootFsModel.Kind.OVERLAY);
      host.pseudoClassStateChanged(
          PseudoClass.getPseudoClass("detached"),
          r.kind() == RootFsModel.Kind.PIVOT && r.has("pivot"));
      host.pseudoClassStateChanged(
          PseudoClass.getPseudoClass("around"), r.kind() == RootFsModel.Kind.CHROOT);
      mountChips(r);
      show(devices, r.devices() && !compact);
      layerState(devices, r.devices(), r.highlighted().contains("devices"), false);
      set(masked, r.masked() + " masked");
      show(masked, r.masked() > 0 && !compact);
      layerState(masked, r.has("masked"), r.highlighted().contains("masked"), false);
      show(leak, r.leak());
      tip(tip, Describe.rootfsLines(r));
    }

    private void mountChips(RootFsModel r) {
      List<String> ms = r.mounts();
      while (mounts.size() < ms.size()) {
        Label l = text("gh-chip");
        l.getStyleClass().add("gh-mounts");
        mounts.add(l);
      }
      for (int i = 0; i < ms.size(); i++) {
        Label l = mounts.get(i);
        set(l, ms.get(i));
        layerState(l, true, r.highlighted().contains("mounts"), false);
      }
      // The mount chips stand before the devices and masked paths; those not needed now are
      // hidden, not taken out (CSS would style them anew when back).
      List<Node> want = new ArrayList<>();
      want.addAll(mounts);
      want.add(devices);
      want.add(masked);
      if (!chips.getChildren().equals(want)) {
        chips.getChildren().setAll(want);
      }
      for (int i = 0; i < mounts.size(); i++) {
        show(mounts.get(i), i < ms.size());
      }
    }

    private static String source(RootFsModel r) {
      return r.rootSource() == null ? "" : " (" + r.rootSource() + ")";
    }

    private static void layerState(Node n, boolean built, boolean lit, boolean faint) {
      n.pseudoClassStateChanged(UNBUILT, !built);
      n.pseudoClassStateChanged(LIT, lit);
      n.pseudoClassStateChanged(PseudoClass.getPseudoClass("faint"), faint);
    }

    private static String imageName(String path) {
      // …/images/busybox/rootfs → busybox
      String[] parts = path.split("/");
      for (int i = 0; i + 1 < parts.length; i++) {
        if (parts[i].equals("images")) {
          return parts[i + 1];
        }
      }
      return parts.length == 0 ? path : parts[parts.length - 1];
    }
  }

  // ---- cgroups -----------------------------------------------------------------------------

  /** CPU, memory and pids against their limits. */
  static final class GaugeRoom extends Room {
    private final Map<String, GaugeRow> rows = new HashMap<>();
    private final Label none = new Label();

    GaugeRoom(Consumer<Details> details) {
      super("Cgroup limits", Feather.SLIDERS, "cgroups");
      for (String n : List.of("cpu", "memory", "pids")) {
        GaugeRow r = new GaugeRow(n, details);
        rows.put(n, r);
        getChildren().add(r);
      }
      none.getStyleClass().add("gh-muted");
      none.setWrapText(true);
      none.setMinWidth(0);
      getChildren().add(none);
    }

    void update(HouseModel h, boolean compact) {
      boolean any = false;
      for (GaugeModel g : h.gauges()) {
        rows.get(g.name()).update(g, compact);
        any |= g.limited() || g.alarm() != null;
      }
      for (GaugeRow r : rows.values()) {
        show(r, any);
      }
      set(
          none,
          compact
              ? "none of its own: the host's"
              : "No cgroup of its own: it takes whatever CPU, memory and pids the host gives"
                  + " (level 08 gives it one).");
      show(none, !any);
      pseudoClassStateChanged(PseudoClass.getPseudoClass("nolimits"), !any);
    }

    GaugeRow row(String name) {
      return rows.get(name);
    }
  }

  /**
   * One gauge: a name, the figures and any alarm (a line that wraps rather than cuts), a bar filled
   * to the fraction with the peak marked, and the limits its cgroup holds, each with its file.
   */
  static final class GaugeRow extends VBox {
    static final PseudoClass ALARM = PseudoClass.getPseudoClass("alarm");
    static final PseudoClass LIMITED = PseudoClass.getPseudoClass("limited");
    static final PseudoClass NOMAX = PseudoClass.getPseudoClass("nomax");
    private final Label name = text("gh-gauge-name");
    private final Label figures = text("gh-gauge-figures");
    private final Label alarm = text("gh-alarm");
    private final Label settings = new Label();
    private final GaugeBar bar = new GaugeBar();
    private final Tooltip tip = tip(this);
    private GaugeModel model;
    private boolean compact;

    GaugeRow(String n, Consumer<Details> details) {
      getStyleClass().addAll("gh-gauge", "gh-gauge-" + n);
      name.setText(
          switch (n) {
            case "cpu" -> "CPU";
            case "memory" -> "Memory";
            default -> "PIDs";
          });
      alarm.setGraphic(new FontIcon(Feather.ALERT_OCTAGON));
      // A flow, not a box: with the OOM chip beside them the figures move to a line of their own
      // instead of being cut ("Mem… 124.0 KiB / 32…").
      FlowPane line = new FlowPane(name, figures, alarm);
      line.getStyleClass().add("gh-gauge-line");
      line.setAlignment(Pos.CENTER_LEFT);
      line.setMinWidth(0);
      line.setPrefWrapLength(0);
      settings.getStyleClass().add("gh-gauge-settings");
      settings.setWrapText(true);
      settings.setMinWidth(0);
      settings.setMinHeight(Region.USE_PREF_SIZE);
      getChildren().addAll(line, bar, settings);
      setOnMouseClicked(
          e -> {
            if (model != null) {
              details.accept(new Details(name.getText(), Describe.gaugeLines(model), 0));
            }
          });
    }

    void update(GaugeModel g, boolean compact) {
      if (g.equals(model) && compact == this.compact) {
        return;
      }
      this.compact = compact;
      model = g;
      String f =
          !g.limited()
              ? (compact ? "host's" : "no cgroup of its own")
              : g.max() == null ? g.value() + " · no limit" : g.value() + " / " + g.max();
      set(figures, f);
      set(alarm, g.alarm() == null ? "" : g.alarm());
      show(alarm, g.alarm() != null);
      // Compact: the first (the limit that bites) on one line; the rest in the tooltip and card.
      set(
          settings,
          compact && !g.settings().isEmpty()
              ? g.settings().get(0)
              : String.join("\n", g.settings()));
      show(settings, !g.settings().isEmpty());
      pseudoClassStateChanged(ALARM, g.alarm() != null);
      pseudoClassStateChanged(LIMITED, g.limited());
      pseudoClassStateChanged(NOMAX, g.limited() && Double.isNaN(g.fraction()) && g.max() == null);
      pseudoClassStateChanged(UNBUILT, !g.built());
      pseudoClassStateChanged(LIT, g.highlighted());
      bar.set(g.limited() ? g.fraction() : Double.NaN, g.peak(), g.alarm() != null);
      tip(tip, Describe.gaugeLines(g));
    }

    /** The limits line as shown (tests). */
    Label settingsLabel() {
      return settings;
    }

    /** The name, figures and alarm labels (tests: none may be cut). */
    List<Label> lineLabels() {
      return List.of(name, figures, alarm);
    }

    /** The fraction the bar shows now (tests). */
    double fraction() {
      return bar.fraction;
    }

    /** The highest fraction it showed (tests). */
    double peak() {
      return bar.peak;
    }

    boolean alarmShown() {
      return alarm.isVisible();
    }
  }

  /** A track, a fill and a peak tick; sizes from CSS, the fill's width from the fraction. */
  static final class GaugeBar extends Region {
    private final Region fill = new Region();
    private final Region peakTick = new Region();
    double fraction = Double.NaN;
    double peak = Double.NaN;

    GaugeBar() {
      getStyleClass().add("gh-bar");
      fill.getStyleClass().add("gh-bar-fill");
      peakTick.getStyleClass().add("gh-bar-peak");
      getChildren().addAll(fill, peakTick);
    }

    void set(double f, double p, boolean alarm) {
      if (!Objects.equals(f, fraction) || !Objects.equals(p, peak)) {
        fraction = f;
        peak = Double.isNaN(p) ? peak : Double.isNaN(peak) ? p : Math.max(peak, p);
        requestLayout();
      }
      fill.pseudoClassStateChanged(GaugeRow.ALARM, alarm);
      pseudoClassStateChanged(GaugeRow.ALARM, alarm);
    }

    @Override
    protected double computePrefHeight(double width) {
      return getInsets().getTop() + getInsets().getBottom() + 8;
    }

    @Override
    protected double computePrefWidth(double height) {
      return 60;
    }

    @Override
    protected void layoutChildren() {
      var in = getInsets();
      double w = getWidth() - in.getLeft() - in.getRight();
      double h = getHeight() - in.getTop() - in.getBottom();
      double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
      fill.resizeRelocate(in.getLeft(), in.getTop(), snapSizeX(w * f), h);
      fill.setVisible(!Double.isNaN(fraction));
      boolean p = !Double.isNaN(peak) && peak > 0;
      peakTick.setVisible(p);
      if (p) {
        double x = in.getLeft() + w * Math.min(1, peak);
        double tw = Math.max(2, h / 4);
        peakTick.resizeRelocate(snapPositionX(x - tw), 0, tw, getHeight());
      }
    }
  }

  // ---- network and hostname ----------------------------------------------------------------

  /** The interfaces it sees and its hostname inside vs outside. */
  static final class NetRoom extends Room {
    private final javafx.scene.layout.FlowPane interfaces = new javafx.scene.layout.FlowPane();
    private final Label inside = new Label();
    private final Label outside = new Label();
    private final Tooltip tip = tip(this);
    private final Map<String, Label> chips = new HashMap<>();
    private NetModel model;

    NetRoom(Consumer<Details> details) {
      super("Network · name", Feather.GLOBE, "net");
      interfaces.getStyleClass().add("gh-chips");
      inside.getStyleClass().add("gh-hostname");
      outside.getStyleClass().addAll("gh-hostname", "gh-hostname-outside");
      inside.setMinWidth(0);
      outside.setMinWidth(0);
      // "hostname f6c6a12833e1" in a narrow house (two side by side): on two lines, not cut.
      inside.setWrapText(true);
      outside.setWrapText(true);
      getChildren().addAll(interfaces, inside, outside);
      setOnMouseClicked(
          e -> {
            if (model != null) {
              details.accept(new Details("Network and hostname", Describe.netLines(model), 0));
            }
          });
    }

    void update(NetModel n, boolean netBuilt, boolean utsLit, boolean netLit, boolean compact) {
      model = n;
      List<Node> ordered = new ArrayList<>();
      java.util.Set<String> names = new java.util.HashSet<>();
      List<HouseModel.Interface> shown = n.own() ? n.interfaces() : List.of();
      for (HouseModel.Interface i : shown) {
        names.add(i.name());
        Label c =
            chips.computeIfAbsent(
                i.name(),
                k -> {
                  Label l = text("gh-chip");
                  l.getStyleClass().add("gh-iface");
                  return l;
                });
        set(c, i.name() + (i.up() ? " up" : " down"));
        c.pseudoClassStateChanged(PseudoClass.getPseudoClass("up"), i.up());
        ordered.add(c);
      }
      if (!n.own()) {
        Label c =
            chips.computeIfAbsent(
                "(host)",
                k -> {
                  Label l = text("gh-chip");
                  l.getStyleClass().add("gh-iface-host");
                  return l;
                });
        set(
            c,
            n.interfaces().isEmpty()
                ? "the host's network"
                : "host's: " + n.interfaces().size() + " interfaces");
        names.add("(host)");
        ordered.add(c);
      }
      if (n.own() && n.wire() != null) {
        // The veth pair: the end inside and, across the wall, the host end on the bridge.
        HouseModel.Wire w = n.wire();
        Label c =
            chips.computeIfAbsent(
                "(wire)",
                k -> {
                  Label l = text("gh-chip");
                  l.getStyleClass().add("gh-wire");
                  return l;
                });
        set(c, "⇄ " + w.hostEnd() + " · " + w.bridge());
        names.add("(wire)");
        ordered.add(c);
      }
      chips.keySet().retainAll(names);
      if (!interfaces.getChildren().equals(ordered)) {
        interfaces.getChildren().setAll(ordered);
      }
      interfaces.pseudoClassStateChanged(LIT, netLit);
      interfaces.pseudoClassStateChanged(UNBUILT, n.own() && !netBuilt);
      set(inside, (compact ? "" : "hostname ") + (n.hostname() == null ? "?" : n.hostname()));
      set(
          outside,
          !n.ownHostname()
              ? "= the host's"
              : "outside: " + (n.hostHostname() == null ? "reading…" : n.hostHostname()));
      inside.pseudoClassStateChanged(PseudoClass.getPseudoClass("own"), n.ownHostname());
      inside.pseudoClassStateChanged(LIT, utsLit);
      tip(tip, Describe.netLines(n));
    }
  }
}
