package org.glasshouse.app.glasshouse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polygon;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.glasshouse.app.glasshouse.Rooms.Details;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The picture: the host as a large house — its roof, a column of its own facts (its /, its PID 1,
 * its interfaces) — and inside it the containers' houses in their walls. Updated in place from each
 * {@link SceneModel}.
 */
final class Diagram extends VBox {
  private final HostRoof roof = new HostRoof();
  private final VBox hostColumn = new VBox();
  private final Label hostRoot = fact(Feather.HARD_DRIVE);
  private final Label hostPid1 = fact(Feather.CPU);
  private final Label hostNet = fact(Feather.GLOBE);
  private final Label hostUsers = fact(Feather.USER);
  private final StackPane area = new StackPane();
  private final Label placeholder = new Label();
  private final NestNode.Cache cache;
  private final Tooltip hostTip;
  private NestNode top;
  private boolean hostFacts = true;

  Diagram(Consumer<Details> details) {
    getStyleClass().add("gh-host");
    cache =
        new NestNode.Cache(
            details,
            w ->
                details.accept(
                    new Details(w.type().label() + " wall", Describe.wallLines(w), w.builtSeq())));
    Label title = new Label("the host's own:");
    title.getStyleClass().add("gh-host-column-title");
    hostColumn.getStyleClass().add("gh-host-column");
    hostColumn.getChildren().addAll(title, hostRoot, hostPid1, hostNet, hostUsers);
    hostColumn.setMinWidth(Region.USE_PREF_SIZE);
    placeholder.getStyleClass().add("gh-placeholder");
    placeholder.setWrapText(true);
    area.getStyleClass().add("gh-host-area");
    area.setMinSize(0, 0);
    area.setAlignment(Pos.CENTER);
    HBox body = new HBox(hostColumn, area);
    body.getStyleClass().add("gh-host-body");
    HBox.setHgrow(area, Priority.ALWAYS);
    VBox.setVgrow(body, Priority.ALWAYS);
    getChildren().addAll(roof, body);
    hostTip = Rooms.tip(roof);
  }

  private static Label fact(Feather icon) {
    Label l = new Label("", new FontIcon(icon));
    l.getStyleClass().add("gh-host-fact");
    l.setWrapText(true);
    l.setMinWidth(0);
    return l;
  }

  private String shape = "";

  /** Shows {@code s}; returns whether the picture's shape changed (houses, nesting, density). */
  boolean update(SceneModel s, boolean compact) {
    String before = shape;
    shape = compact + "|" + hostFacts + "|" + s.nest().key() + "|" + shapeOf(s.nest());
    HostModel h = s.host();
    roof.set(
        roofText(h)
            + (h.rootFsType() == null || (!compact && hostFacts) ? "" : "  · / " + h.rootFsType()));
    Rooms.set(
        hostRoot,
        "/ on " + (h.rootSource() == null ? "?" : h.rootSource() + " (" + h.rootFsType() + ")"));
    Rooms.set(
        hostPid1,
        h.pid1Pid() == 1
            ? "PID 1 " + (h.pid1() == null ? "?" : shorten(h.pid1(), 42))
            : "PID 1 (not readable here; the helper, pid " + h.pid1Pid() + ", stands in)");
    Rooms.set(
        hostNet, h.interfaces().isEmpty() ? "interfaces ?" : String.join(" ", h.interfaces()));
    Rooms.set(hostUsers, "hostname " + (h.hostname() == null ? "?" : h.hostname()));
    Rooms.tip(
        hostTip,
        List.of(
            "The host: one kernel, shared by every container drawn inside it.",
            "Its namespaces are the open ones: a container without a wall of some type is in the"
                + " host's namespace of that type.",
            "Read from " + (h.pid1Pid() == 1 ? "PID 1" : "pid " + h.pid1Pid()) + "."));
    Rooms.show(hostColumn, !compact && h.known() && hostFacts);
    pseudoClassStateChanged(Rooms.COMPACT, compact);
    if (s.houses().isEmpty()) {
      placeholder.setText(s.note());
      if (!area.getChildren().equals(List.of(placeholder))) {
        area.getChildren().setAll(placeholder);
      }
      cache.retain(Set.of(), Set.of());
      top = null;
      return !shape.equals(before);
    }
    Set<String> houseIds = new HashSet<>();
    Set<String> nestKeys = new HashSet<>();
    NestNode n = cache.nest("top:" + s.nest().key());
    n.update(s.nest(), 0, compact, houseIds, nestKeys);
    nestKeys.add("top:" + s.nest().key());
    cache.retain(houseIds, nestKeys);
    top = n;
    if (!area.getChildren().equals(List.of(n))) {
      area.getChildren().setAll(n);
    }
    return !shape.equals(before);
  }

  /** The nesting's structure: which walls around which houses, and how many processes each has. */
  private static String shapeOf(Nest n) {
    StringBuilder b = new StringBuilder("(");
    n.walls().forEach(w -> b.append(w.type().wire()).append(w.standing() ? '+' : '-'));
    if (n.leaf()) {
      b.append(n.house().id()).append('#').append(n.house().processes().size());
    }
    n.children().forEach(c -> b.append(shapeOf(c)));
    return b.append(')').toString();
  }

  /**
   * The host's roof: "HOST" and its hostname once read; before that (the first moments after the
   * app connects, or no helper at all) only "HOST" — not "HOST host", a stand-in name read as if
   * the machine were called that.
   */
  static String roofText(HostModel h) {
    return h.hostname() == null ? "HOST" : "HOST " + h.hostname();
  }

  /** The host's roof as drawn (tests). */
  String roofTitle() {
    return roof.title.getText();
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /**
   * Whether the host's column of facts stands beside the houses; without it (two houses side by
   * side need its width), the host's root filesystem is named on its roof, as in the compact
   * picture. Takes effect at the next {@link #update}.
   */
  void hostColumn(boolean on) {
    hostFacts = on;
  }

  /** Whether a house drawn has its rooms one above the other (too narrow for two by two). */
  boolean stacked() {
    return top != null && cache.houses.values().stream().anyMatch(h -> h.rooms().stacked());
  }

  /** The most rows of nests any grid of the picture has, as last laid out (1 for one house). */
  int rows() {
    int rows = 1;
    for (NestNode n : cache.nests.values()) {
      if (!n.leaf() && n.getParent() != null) {
        rows = Math.max(rows, n.rows());
      }
    }
    return top == null ? 1 : rows;
  }

  /** How many houses are drawn. */
  int houseCount() {
    return top == null ? 0 : cache.houses.size();
  }

  /** The house of container {@code id} on screen, or null. */
  HouseNode house(String id) {
    return cache.houses.get(id);
  }

  /** Every wall ring on screen, outermost first per nest (tests, export checks). */
  List<RingNode> rings() {
    List<RingNode> out = new java.util.ArrayList<>();
    if (top != null) {
      collect(top, out);
    }
    return out;
  }

  private static void collect(javafx.scene.Node n, List<RingNode> out) {
    if (n instanceof RingNode r) {
      out.add(r);
    }
    if (n instanceof javafx.scene.Parent p) {
      for (javafx.scene.Node c : p.getChildrenUnmodifiable()) {
        collect(c, out);
      }
    }
  }

  /** The wall of {@code type} around the house of {@code id} (its own or a shared one), or null. */
  RingNode ring(String id, NsType type) {
    HouseNode h = house(id);
    if (h == null) {
      return null;
    }
    for (javafx.scene.Node n = h.rooms().getParent(); n != null; n = n.getParent()) {
      if (n instanceof RingNode r && r.wall() != null && r.wall().type() == type) {
        return r;
      }
    }
    return null;
  }

  /** The host's roof: a wide gable with the host's name. */
  static final class HostRoof extends Region {
    private final Polygon gable = new Polygon();
    private final Label title = new Label();

    HostRoof() {
      getStyleClass().add("gh-host-roof");
      gable.getStyleClass().add("gh-host-gable");
      title.getStyleClass().add("gh-host-title");
      title.setGraphic(new FontIcon(Feather.HOME));
      getChildren().addAll(gable, title);
    }

    void set(String text) {
      Rooms.set(title, text);
    }

    @Override
    protected double computePrefHeight(double width) {
      Insets in = getInsets();
      return in.getTop() + title.prefHeight(-1) + in.getBottom();
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
      double tw = title.prefWidth(-1);
      double th = title.prefHeight(-1);
      Insets in = getInsets();
      title.resizeRelocate(
          snapPositionX(Math.max(in.getLeft(), (w - tw) / 2)),
          snapPositionY(h - in.getBottom() - th),
          tw,
          th);
    }
  }

  /** Unused walls are handed to the details card too. */
  static Details wallDetails(WallModel w) {
    return new Details(w.type().label() + " wall", Describe.wallLines(w), w.builtSeq());
  }
}
