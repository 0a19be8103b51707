package org.glasshouse.app.glasshouse;

import java.util.List;
import java.util.function.Consumer;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.shape.Polygon;
import org.glasshouse.app.glasshouse.Rooms.Details;
import org.glasshouse.app.glasshouse.Rooms.ProcessRoom;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One container's house without its walls: the roof (its id, command, level and state, a seccomp
 * badge) and the four rooms. The walls around the rooms are drawn by {@link NestNode}, since a wall
 * two houses share stands around both.
 */
final class HouseNode {
  static final PseudoClass UNBUILT = PseudoClass.getPseudoClass("unbuilt");
  private final Roof roof;
  private final RoomsPane rooms;
  private final Rooms.ProcessRoom processes;
  private final Rooms.RootFsRoom rootfs;
  private final Rooms.GaugeRoom gauges;
  private final Rooms.NetRoom net;
  private HouseModel model;
  private boolean compact;

  HouseNode(String id, Consumer<Details> details) {
    processes = new Rooms.ProcessRoom(details);
    rootfs = new Rooms.RootFsRoom(details);
    gauges = new Rooms.GaugeRoom(details);
    net = new Rooms.NetRoom(details);
    rooms = new RoomsPane(processes, rootfs, gauges, net);
    rooms.setId("house-" + id);
    roof = new Roof(details, () -> model);
  }

  /**
   * Shows {@code h}. Only the parts whose facts differ from the last model shown are touched (a
   * record's equality compares content): at 10 Hz most samples change one gauge's figures, and a
   * node touched is a node the CSS and layout passes visit again.
   */
  void update(HouseModel h, boolean compact) {
    HouseModel was = compact == this.compact ? model : null;
    this.compact = compact;
    model = h;
    if (h.equals(was)) {
      return;
    }
    if (was == null || !Roof.same(was, h)) {
      roof.update(h);
    }
    if (was == null || !ProcessRoom.same(was, h)) {
      processes.update(h, compact);
    }
    if (was == null || !was.rootfs().equals(h.rootfs())) {
      rootfs.update(h.rootfs(), compact);
    }
    if (was == null || !was.gauges().equals(h.gauges())) {
      gauges.update(h, compact);
    }
    if (was == null || !netSame(was, h)) {
      net.update(
          h.net(),
          h.wall(NsType.NET).standing(),
          h.wall(NsType.UTS).highlighted(),
          h.wall(NsType.NET).highlighted(),
          compact);
    }
    if (was == null || !java.util.Objects.equals(was.starting(), h.starting())) {
      rooms.starting(h.starting());
    }
    rooms.pseudoClassStateChanged(UNBUILT, !h.built());
    rooms.pseudoClassStateChanged(Rooms.COMPACT, compact);
    roof.pseudoClassStateChanged(Rooms.COMPACT, compact);
  }

  private static boolean netSame(HouseModel a, HouseModel b) {
    return a.net().equals(b.net())
        && a.wall(NsType.NET).standing() == b.wall(NsType.NET).standing()
        && a.wall(NsType.UTS).highlighted() == b.wall(NsType.UTS).highlighted()
        && a.wall(NsType.NET).highlighted() == b.wall(NsType.NET).highlighted();
  }

  Roof roof() {
    return roof;
  }

  RoomsPane rooms() {
    return rooms;
  }

  Rooms.ProcessRoom processRoom() {
    return processes;
  }

  Rooms.RootFsRoom rootFsRoom() {
    return rootfs;
  }

  Rooms.GaugeRoom gaugeRoom() {
    return gauges;
  }

  HouseModel model() {
    return model;
  }

  /** The roof: a gable over the house's walls with its name on it. */
  static final class Roof extends Region {
    static final PseudoClass FOCUS = PseudoClass.getPseudoClass("focus");
    private final Polygon gable = new Polygon();
    private final HBox title = new HBox();
    private final Label id = Rooms.text("gh-roof-id");
    private final Label command = new Label();
    private final Label level = Rooms.text("gh-roof-level");
    private final Label status = Rooms.text("gh-roof-status");
    private final Label seccomp = Rooms.text("gh-badge");
    private final Label exec = Rooms.text("gh-badge");
    private final Tooltip tip = Rooms.tip(this);

    Roof(Consumer<Details> details, java.util.function.Supplier<HouseModel> model) {
      getStyleClass().add("gh-roof");
      gable.getStyleClass().add("gh-gable");
      title.getStyleClass().add("gh-roof-title");
      title.setAlignment(Pos.CENTER_LEFT);
      id.setGraphic(new FontIcon(Feather.BOX));
      command.getStyleClass().add("gh-roof-command");
      command.setMinWidth(0);
      HBox.setHgrow(command, Priority.SOMETIMES);
      seccomp.setText("seccomp filter");
      seccomp.setGraphic(new FontIcon(Feather.FILTER));
      seccomp.getStyleClass().add("gh-badge-seccomp");
      exec.getStyleClass().add("gh-badge-exec");
      title.getChildren().addAll(id, level, command, status, exec, seccomp);
      getChildren().addAll(gable, title);
      setOnMouseClicked(
          e -> {
            HouseModel h = model.get();
            if (h != null) {
              details.accept(new Details("Container " + h.shortId(), lines(h), 0));
            }
          });
    }

    static String levelText(HouseModel h) {
      return h.level() != null
          ? "level " + String.format("%02d", h.level())
          : h.freePlay() ? "free play" : "";
    }

    private static List<String> lines(HouseModel h) {
      List<String> out = new java.util.ArrayList<>();
      out.add(h.command());
      out.add((levelText(h).isEmpty() ? "" : levelText(h) + " · ") + h.status());
      long walls = h.walls().stream().filter(HouseModel.WallModel::standing).count();
      out.add(
          walls == 0
              ? "No walls: every namespace is the host's. It is an ordinary process of the host."
              : walls
                  + " of 8 namespaces "
                  + (walls == 1 ? "is" : "are")
                  + " its own; the open ones are the host's.");
      if (h.seccomp().on()) {
        out.add("A seccomp filter refuses some syscalls (unshare of a user namespace, …).");
      }
      return out;
    }

    /** Whether the roof of {@code a} and of {@code b} read the same. */
    static boolean same(HouseModel a, HouseModel b) {
      return a.id().equals(b.id())
          && java.util.Objects.equals(a.command(), b.command())
          && java.util.Objects.equals(a.level(), b.level())
          && a.freePlay() == b.freePlay()
          && a.phase() == b.phase()
          && java.util.Objects.equals(a.status(), b.status())
          && a.seccomp().equals(b.seccomp())
          && a.built() == b.built()
          && a.highlighted() == b.highlighted()
          && a.walls().equals(b.walls());
    }

    void update(HouseModel h) {
      Rooms.set(id, h.shortId());
      Rooms.set(command, h.command());
      Rooms.set(level, levelText(h));
      Rooms.show(level, !levelText(h).isEmpty());
      Rooms.set(status, h.status());
      Rooms.onlyStyle(
          status, "gh-phase-", "gh-phase-" + h.phase().name().toLowerCase(java.util.Locale.ROOT));
      Rooms.show(seccomp, h.seccomp().on());
      seccomp.pseudoClassStateChanged(UNBUILT, !h.seccomp().built());
      seccomp.pseudoClassStateChanged(Rooms.LIT, h.seccomp().highlighted());
      Rooms.show(exec, false);
      pseudoClassStateChanged(UNBUILT, !h.built());
      pseudoClassStateChanged(Rooms.LIT, h.highlighted());
      Rooms.tip(tip, lines(h));
    }

    @Override
    protected double computePrefHeight(double width) {
      Insets in = getInsets();
      return in.getTop() + title.prefHeight(-1) + in.getBottom();
    }

    @Override
    protected double computePrefWidth(double height) {
      Insets in = getInsets();
      return in.getLeft() + title.prefWidth(-1) + in.getRight();
    }

    @Override
    protected double computeMinWidth(double height) {
      return 0;
    }

    @Override
    protected void layoutChildren() {
      double w = getWidth();
      double h = getHeight();
      gable.getPoints().setAll(0.0, h, w * 0.5, 0.0, w, h);
      Insets in = getInsets();
      double th = title.prefHeight(-1);
      double tw = Math.min(title.prefWidth(-1), w - in.getLeft() - in.getRight());
      title.resizeRelocate(
          snapPositionX(Math.max(in.getLeft(), (w - tw) / 2)),
          snapPositionY(h - in.getBottom() - th),
          tw,
          th);
    }
  }

  /**
   * The four rooms: in one row when the house is wide enough (the process room widest), else two by
   * two, and one above the other where two by two would cut a room's header (a house of two side by
   * side in a narrow area). Each row is as tall as its tallest room; rooms stand at the top of the
   * house. While the container starts, one line in their place says what is being built: facts it
   * has not got yet are not drawn as the host's.
   */
  static final class RoomsPane extends Region {
    static final PseudoClass STARTING = PseudoClass.getPseudoClass("starting");

    /** Relative widths in one row: processes, root filesystem, cgroups, network. */
    private static final double[] WEIGHTS = {1.5, 1.3, 1.1, 0.9};

    private final Region[] rooms;
    private final Label starting = new Label();

    RoomsPane(Region... rooms) {
      this.rooms = rooms;
      getStyleClass().add("gh-rooms");
      starting.getStyleClass().add("gh-starting");
      starting.setGraphic(new FontIcon(Feather.LOADER));
      starting.setWrapText(true);
      starting.setMinWidth(0);
      getChildren().addAll(rooms);
      getChildren().add(starting);
      Rooms.show(starting, false);
    }

    /** Shows {@code text} in place of the rooms (the container starts), or the rooms (null). */
    void starting(String text) {
      boolean on = text != null;
      Rooms.set(starting, text);
      Rooms.show(starting, on);
      for (Region r : rooms) {
        Rooms.show(r, !on);
      }
      pseudoClassStateChanged(STARTING, on);
    }

    /** The line shown while the container starts (tests). */
    Label startingLine() {
      return starting;
    }

    private double em() {
      return rooms[0] instanceof Rooms.Room r ? r.header.getFont().getSize() : 13;
    }

    @Override
    public javafx.geometry.Orientation getContentBias() {
      return javafx.geometry.Orientation.HORIZONTAL;
    }

    /**
     * One row when every room gets the width its lines need (at most 30 em each); narrower, two by
     * two: a picture enlarged to fill a projector's height is laid out narrower, and its rooms then
     * wrap into two rows instead of cutting their figures short.
     */
    private boolean oneRow(double width) {
      double natural = 3 * gap();
      for (Region r : rooms) {
        natural += Math.min(r.prefWidth(-1), em() * 30);
      }
      return width >= Math.max(em() * 62, natural);
    }

    private double gap() {
      return em() * 0.5;
    }

    /**
     * How many rooms stand in a row at an inner width {@code w}: four, two, or one where two by two
     * would cut a room's header ("Proc…").
     */
    private int columns(double w) {
      if (oneRow(w)) {
        return 4;
      }
      return (w - gap()) / 2 >= roomMin() ? 2 : 1;
    }

    /** Whether its rooms stand one above the other (laid out too narrow for two by two). */
    boolean stacked() {
      Insets in = getInsets();
      return !starting.isVisible() && columns(getWidth() - in.getLeft() - in.getRight()) == 1;
    }

    /** The least width a room has its header whole at. */
    private double roomMin() {
      double m = 0;
      for (Region r : rooms) {
        if (r instanceof Rooms.Room room) {
          Insets in = room.getInsets();
          m = Math.max(m, in.getLeft() + room.header.prefWidth(-1) + in.getRight());
        }
      }
      return m;
    }

    /** The rooms' widths for an inner width {@code w}. */
    private double[] widths(double w) {
      double[] out = new double[rooms.length];
      int cols = columns(w);
      if (cols == 4) {
        double sum = 0;
        for (double x : WEIGHTS) {
          sum += x;
        }
        double free = w - 3 * gap();
        for (int i = 0; i < rooms.length; i++) {
          out[i] = free * WEIGHTS[i] / sum;
        }
      } else {
        double cw = (w - (cols - 1) * gap()) / cols;
        java.util.Arrays.fill(out, cw);
      }
      return out;
    }

    @Override
    protected double computePrefWidth(double height) {
      Insets in = getInsets();
      if (starting.isVisible()) {
        return in.getLeft() + Math.min(starting.prefWidth(-1), em() * 40) + in.getRight();
      }
      double w = 0;
      for (Region r : rooms) {
        w += Math.min(r.prefWidth(-1), em() * 30);
      }
      return in.getLeft() + in.getRight() + w + 3 * gap();
    }

    @Override
    protected double computeMinWidth(double height) {
      return em() * 16;
    }

    /**
     * The last width asked for and the height it gave. A parent's {@code prefHeight(width)} is not
     * cached by JavaFX, and every layout pass asks each house several times (the grid's rows, the
     * walls around it): measuring the rooms' wrapped text again each time was most of a pulse once
     * the picture no longer rebuilt itself. Any change inside asks for a layout, which forgets it.
     */
    private double measuredWidth = Double.NaN;

    private double measuredHeight;

    @Override
    public void requestLayout() {
      measuredWidth = Double.NaN;
      super.requestLayout();
    }

    @Override
    protected double computePrefHeight(double width) {
      if (width == measuredWidth) {
        return measuredHeight;
      }
      measuredHeight = measurePrefHeight(width);
      measuredWidth = width;
      return measuredHeight;
    }

    private double measurePrefHeight(double width) {
      Insets in = getInsets();
      double w = (width < 0 ? computePrefWidth(-1) : width) - in.getLeft() - in.getRight();
      if (starting.isVisible()) {
        return in.getTop() + starting.prefHeight(w) + in.getBottom();
      }
      double[] ws = widths(w);
      int cols = columns(w);
      double h = 0;
      for (int r = 0; r * cols < rooms.length; r++) {
        double row = 0;
        for (int i = r * cols; i < Math.min(rooms.length, (r + 1) * cols); i++) {
          row = Math.max(row, rooms[i].prefHeight(ws[i]));
        }
        h += row + (r > 0 ? gap() : 0);
      }
      return in.getTop() + h + in.getBottom();
    }

    @Override
    protected double computeMinHeight(double width) {
      return em() * 4;
    }

    @Override
    protected void layoutChildren() {
      Insets in = getInsets();
      double w = getWidth() - in.getLeft() - in.getRight();
      if (starting.isVisible()) {
        starting.resizeRelocate(
            snapPositionX(in.getLeft()),
            snapPositionY(in.getTop()),
            snapSizeX(w),
            snapSizeY(starting.prefHeight(w)));
        return;
      }
      double[] ws = widths(w);
      int cols = columns(w);
      double y = in.getTop();
      for (int r = 0; r * cols < rooms.length; r++) {
        double row = 0;
        for (int i = r * cols; i < Math.min(rooms.length, (r + 1) * cols); i++) {
          row = Math.max(row, rooms[i].prefHeight(ws[i]));
        }
        double x = in.getLeft();
        for (int i = r * cols; i < Math.min(rooms.length, (r + 1) * cols); i++) {
          rooms[i].resizeRelocate(
              snapPositionX(x), snapPositionY(y), snapSizeX(ws[i]), snapSizeY(row));
          x += ws[i] + gap();
        }
        y += row + gap();
      }
    }
  }
}
