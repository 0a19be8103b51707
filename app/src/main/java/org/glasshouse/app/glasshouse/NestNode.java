package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.glasshouse.app.glasshouse.Rooms.Details;

/**
 * A {@link Nest} on screen: its walls as nested {@link RingNode}s, and inside the innermost one
 * either a house (its roof above the walls, its rooms inside) or the nests it holds side by side.
 * Updated in place: rings, houses and inner nests are reused by key, so a new sample only changes
 * texts and sizes.
 */
final class NestNode extends VBox {
  /** Houses and nests by key, shared by every nest of one diagram. */
  static final class Cache {
    final Map<String, HouseNode> houses = new HashMap<>();
    final Map<String, NestNode> nests = new HashMap<>();
    final Consumer<Details> details;
    final Consumer<WallModel> wallClicked;

    Cache(Consumer<Details> details, Consumer<WallModel> wallClicked) {
      this.details = details;
      this.wallClicked = wallClicked;
    }

    HouseNode house(String id) {
      return houses.computeIfAbsent(id, k -> new HouseNode(k, details));
    }

    NestNode nest(String key) {
      return nests.computeIfAbsent(key, k -> new NestNode(this));
    }

    /** Forgets houses and nests no longer shown. */
    void retain(java.util.Set<String> houseIds, java.util.Set<String> nestKeys) {
      houses.keySet().retainAll(houseIds);
      nests.keySet().retainAll(nestKeys);
    }
  }

  private final Cache cache;
  private final List<RingNode> rings = new ArrayList<>();
  private final Grid grid = new Grid();
  private boolean leaf;

  NestNode(Cache cache) {
    this.cache = cache;
    getStyleClass().add("gh-nest");
    setFillWidth(true);
    // Its least width is its walls' and its house's (rooms one above the other, each header whole):
    // the grid it stands in puts no more nests side by side than keep that width, and wraps the
    // rest into rows. A least width of 0 here once squeezed every house into one row.
    setMinHeight(0);
    // A house is as tall as its rooms need: it stands in the host, it does not fill it.
    setMaxHeight(Region.USE_PREF_SIZE);
  }

  /**
   * Shows {@code nest}; its walls' tags start at {@code slot} (the walls outside it hold the slots
   * before).
   */
  void update(
      Nest nest,
      int slot,
      boolean compact,
      java.util.Set<String> houseIds,
      java.util.Set<String> nestKeys) {
    nestKeys.add(nest.key());
    Node inner;
    HouseNode house = null;
    leaf = nest.leaf();
    if (leaf) {
      house = cache.house(nest.house().id());
      house.update(nest.house(), compact);
      houseIds.add(nest.house().id());
      inner = house.rooms();
    } else {
      List<Node> kids = new ArrayList<>();
      for (Nest child : nest.children()) {
        NestNode n = cache.nest(child.key());
        n.update(child, slot + nest.walls().size(), compact, houseIds, nestKeys);
        kids.add(n);
      }
      grid.set(kids);
      inner = grid;
    }
    while (rings.size() < nest.walls().size()) {
      rings.add(new RingNode(cache.wallClicked));
    }
    while (rings.size() > nest.walls().size()) {
      rings.remove(rings.size() - 1);
    }
    Node content = inner;
    for (int i = rings.size() - 1; i >= 0; i--) {
      rings.get(i).update(nest.walls().get(i), content, slot + i, compact);
      content = rings.get(i);
    }
    List<Node> children = house == null ? List.of(content) : List.of(house.roof(), content);
    if (!getChildren().equals(children)) {
      getChildren().setAll(children);
    }
    VBox.setVgrow(content, javafx.scene.layout.Priority.ALWAYS);
  }

  /** Whether it holds one house (its roof above its walls) rather than nests side by side. */
  boolean leaf() {
    return leaf;
  }

  /** How many rows its nests stand in, as last laid out (1 for a house). */
  int rows() {
    return leaf ? 1 : grid.rows;
  }

  /** The wall rings of this nest, outermost first. */
  List<RingNode> rings() {
    return rings;
  }

  /**
   * Nests side by side: as many columns as keep each nest at its least width (its house readable),
   * equal cells; the others wrap into rows below.
   */
  static final class Grid extends Region {
    private List<Node> kids = List.of();
    private int rows = 1;

    Grid() {
      getStyleClass().add("gh-grid");
    }

    void set(List<Node> nodes) {
      // A nest kept by key may have stood in another grid since: it comes back.
      if (!nodes.equals(kids) || !getChildren().equals(nodes)) {
        kids = List.copyOf(nodes);
        getChildren().setAll(nodes);
      }
    }

    private double gap() {
      return 12;
    }

    @Override
    public javafx.geometry.Orientation getContentBias() {
      return javafx.geometry.Orientation.HORIZONTAL;
    }

    private int columns(double width) {
      int n = kids.size();
      if (n <= 1) {
        return 1;
      }
      double min = 0;
      for (Node k : kids) {
        min = Math.max(min, k.minWidth(-1));
      }
      int fit = (int) Math.max(1, Math.floor((width + gap()) / (Math.max(min, 1) + gap())));
      return Math.max(1, Math.min(n, fit));
    }

    @Override
    protected double computePrefWidth(double height) {
      double w = 0;
      for (Node k : kids) {
        w += k.prefWidth(-1) + gap();
      }
      Insets in = getInsets();
      return in.getLeft() + Math.max(0, w - gap()) + in.getRight();
    }

    @Override
    protected double computeMinWidth(double height) {
      double w = 0;
      for (Node k : kids) {
        w = Math.max(w, k.minWidth(-1));
      }
      return w;
    }

    @Override
    protected double computePrefHeight(double width) {
      Insets in = getInsets();
      double w = width < 0 ? computePrefWidth(-1) : width;
      int cols = columns(w);
      int rows = (kids.size() + cols - 1) / Math.max(1, cols);
      double cw = (w - (cols - 1) * gap()) / cols;
      double h = 0;
      for (Node k : kids) {
        h = Math.max(h, k.prefHeight(cw));
      }
      return in.getTop() + rows * h + Math.max(0, rows - 1) * gap() + in.getBottom();
    }

    @Override
    protected double computeMinHeight(double width) {
      return 0;
    }

    @Override
    protected void layoutChildren() {
      Insets in = getInsets();
      double w = getWidth() - in.getLeft() - in.getRight();
      double h = getHeight() - in.getTop() - in.getBottom();
      int cols = columns(w);
      int rows = (kids.size() + cols - 1) / Math.max(1, cols);
      this.rows = rows;
      double cw = (w - (cols - 1) * gap()) / cols;
      double rh = (h - Math.max(0, rows - 1) * gap()) / Math.max(1, rows);
      for (int i = 0; i < kids.size(); i++) {
        int c = i % cols;
        int r = i / cols;
        Node k = kids.get(i);
        // Side by side, houses stand on one line: each as tall as it needs, at the cell's bottom.
        double kh = Math.min(rh, Math.max(k.minHeight(cw), k.prefHeight(cw)));
        k.resizeRelocate(
            snapPositionX(in.getLeft() + c * (cw + gap())),
            snapPositionY(in.getTop() + r * (rh + gap()) + rh - kh),
            snapSizeX(cw),
            snapSizeY(kh));
      }
    }
  }
}
