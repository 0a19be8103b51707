package org.glasshouse.app.glasshouse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.glasshouse.app.glasshouse.HouseLayout.Layout;

/**
 * The glass house view: a toolbar (replay, compare, export, room), the picture, and the build strip
 * of the container in focus. The picture follows the view-model's {@link SceneModel}, diffed; below
 * about 32 lines of text it switches to a compact density (thin walls, tags on their edge, the
 * host's facts on its roof).
 *
 * <p>The picture is never scaled below the size at which its smallest text is {@link
 * HouseLayout#minTextPx} pixels: two houses stand side by side where the area is wide enough for
 * both at that size; with more, or too narrow for two, the container in focus keeps its house and
 * the others become cards; a picture taller than the area scrolls, and a line above it says so
 * ({@link HouseLayout} has the rules and the arithmetic; this view measures its nodes for them).
 */
public final class GlassHouseView {
  static final PseudoClass COMPACT = PseudoClass.getPseudoClass("compact");

  /** The view's stylesheet, on its own root (the walls' palette, the rooms, compact density). */
  static final String CSS =
      java.util.Objects.requireNonNull(
              GlassHouseView.class.getResource("/assets/css/glass-house.css"),
              "glass-house.css is missing from the app jar")
          .toExternalForm();

  private final GlassHouseViewModel vm;
  private final BorderPane root = new BorderPane();
  private final StackPane stage = new StackPane();
  private final Diagram diagram;
  private final FitPane fit;
  private final HouseCards cards;
  private final Label scrollHint = new Label();
  private final javafx.beans.property.BooleanProperty onlyCardsBelow =
      new javafx.beans.property.SimpleBooleanProperty();
  // F8 on (the views have the whole right side): the hint offers what is left, not F8 again.
  private final javafx.beans.property.BooleanProperty guideShown =
      new javafx.beans.property.SimpleBooleanProperty(true);
  private final javafx.beans.property.BooleanProperty viewsFocused =
      new javafx.beans.property.SimpleBooleanProperty(false);
  private final VBox body;
  private final ScrollPane scroll;
  private Layout layout = Layout.FULL;
  private double drawnHeight;
  private String arrangedKey = "";
  private SceneModel last;
  private final DetailsCard details;
  private final BuildStrip strip;
  private final HouseToolbar toolbar;
  private boolean compact;
  // The area is tall enough, by its lines, for the full density, but the picture drawn so is not:
  // the compact one stands whole in it ({@link #compactWhereItFits}). Reset by each arrangement.
  private boolean tallCompact;
  // How the FULL layout makes room for two houses side by side (HouseLayout.Squeeze).
  private HouseLayout.Squeeze squeeze = HouseLayout.Squeeze.NONE;
  private double splitBefore = -1;
  private int arrangements;

  /**
   * After each pulse's CSS and layout: the floor measured on the picture as it is drawn now. Text
   * styled after the picture's last fit (the rooms' labels get their skins and sizes in a later CSS
   * pass than the one the layout was chosen in) once kept a floor taken from the larger text before
   * it, and the rooms' text was drawn at 10 px in presenter mode. A floor that changed fits the
   * picture again at the next pulse.
   */
  private final Runnable measureFloor = this::measureFloor;

  public GlassHouseView(GlassHouseViewModel vm) {
    this.vm = vm;
    root.getStyleClass().add("glass-house");
    root.setId("glass-house");
    root.getStylesheets().add(CSS);
    details = new DetailsCard(seq -> vm.showInStepLog(seq));
    diagram = new Diagram(details::show);
    diagram.setId("glass-house-picture");
    strip = new BuildStrip(this::stageClicked);
    strip.setId("glass-house-strip");
    stage.getStyleClass().add("gh-stage-area");
    toolbar =
        new HouseToolbar(
            vm,
            new HouseToolbar.Actions() {
              @Override
              public void save() {
                saveAs();
              }

              @Override
              public void copy() {
                copyPicture();
              }

              @Override
              public boolean enlarge(boolean on) {
                return GlassHouseView.this.enlarge(on);
              }

              @Override
              public void window() {
                openWindow();
              }
            });
    fit = new FitPane(diagram, toolbar::em);
    cards = new HouseCards(vm::focusOn);
    cards.setId("glass-house-cards");
    scrollHint
        .textProperty()
        .bind(
            javafx.beans.binding.Bindings.when(onlyCardsBelow)
                .then("More containers below, as cards: scroll down to see them.")
                .otherwise(
                    javafx.beans.binding.Bindings.when(viewsFocused.and(guideShown))
                        .then(
                            "The house is larger than this area at a readable size: scroll to see the"
                                + " rest of it (F7 puts the guide away for more width).")
                        .otherwise(
                            javafx.beans.binding.Bindings.when(viewsFocused)
                                .then(
                                    "The house is larger than this area at a readable size: scroll to"
                                        + " see the rest of it.")
                                .otherwise(
                                    "The house is larger than this area at a readable size: scroll, or"
                                        + " F8 gives the views the whole right side."))));

    scrollHint.getStyleClass().add("gh-scroll-hint");
    scrollHint.setWrapText(true);
    scrollHint.setMinHeight(Region.USE_PREF_SIZE);
    Rooms.show(scrollHint, false);
    body =
        new VBox(scrollHint, fit, cards) {
          /**
           * Asked for no width in particular (as a scroll pane that fits its content to its height
           * asks, to decide on its scroll bar), the least height at the width it has: at its
           * preferred width, wider, the house wraps less and seemed to fit, and a house taller than
           * the area had no scroll bar to reach its last row.
           */
          @Override
          protected double computeMinHeight(double width) {
            return super.computeMinHeight(width < 0 && getWidth() > 0 ? getWidth() : width);
          }
        };
    body.getStyleClass().add("gh-body");
    VBox.setVgrow(fit, Priority.ALWAYS);
    Rooms.show(cards, false);
    scroll = new ScrollPane(body);
    scroll.getStyleClass().add("gh-scroll");
    scroll.setFitToWidth(true);
    scroll.setFitToHeight(true);
    scroll.setFocusTraversable(false);
    scroll.setMinSize(0, 0);
    stage.getChildren().addAll(scroll, details);
    StackPane.setAlignment(details, Pos.TOP_RIGHT);
    stage.setMinSize(0, 0);
    diagram.setMinSize(0, 0);
    root.setTop(toolbar);
    root.setCenter(stage);
    root.setBottom(strip);
    vm.sceneProperty().addListener((o, a, s) -> render(s));
    stage.heightProperty().addListener((o, a, h) -> resized());
    stage.widthProperty().addListener((o, a, w) -> resized());
    // Presenter mode is a style class of the scene's root (Appearance): follow it.
    javafx.collections.ListChangeListener<String> modes = c -> resized();
    root.sceneProperty()
        .addListener(
            (o, a, b) -> {
              if (a != null && a.getRoot() != null) {
                a.getRoot().getStyleClass().removeListener(modes);
              }
              if (a != null) {
                a.removePostLayoutPulseListener(measureFloor);
              }
              if (b != null && b.getRoot() != null) {
                b.getRoot().getStyleClass().addListener(modes);
              }
              if (b != null) {
                b.addPostLayoutPulseListener(measureFloor);
              }
              resized();
            });
    root.setFocusTraversable(true);
    root.setOnMouseClicked(e -> root.requestFocus());
    root.setOnKeyPressed(
        e -> {
          KeyCode k = e.getCode();
          if (k == KeyCode.SPACE) {
            vm.togglePlay();
          } else if (k == KeyCode.RIGHT) {
            vm.stepForward();
          } else if (k == KeyCode.LEFT) {
            vm.stepBack();
          } else if (k == KeyCode.HOME) {
            vm.seek(-1);
          } else if (k == KeyCode.END) {
            vm.live();
          } else if (k == KeyCode.ESCAPE) {
            details.hide();
            vm.clearSelection();
          } else {
            return;
          }
          e.consume();
        });
    render(vm.scene());
  }

  private void measureFloor() {
    double before = fit.floor();
    fit.remeasure();
    if (fit.floor() != before && last != null && before > 0) {
      // The layout was chosen at the floor before: choose again at this one.
      arrangedKey = "";
      resized();
    }
  }

  public Region node() {
    return root;
  }

  private void stageClicked(int index) {
    SceneModel s = vm.scene();
    if (s.replaying()) {
      vm.seek(index);
    } else {
      vm.selectStage(index);
    }
  }

  private void render(SceneModel s) {
    if (last != null && !java.util.Objects.equals(last.focus(), s.focus())) {
      // The card spoke of a piece of the container in focus until now: not of this one.
      details.hide();
    }
    last = s;
    fit.enlarge(!s.houses().isEmpty());
    density();
    String key = arrangeKey(s);
    if (!key.equals(arrangedKey)) {
      arrange(s, key);
    } else {
      show(s, true);
    }
    strip.update(s);
    showStrip();
    toolbar.update(s);
    root.pseudoClassStateChanged(PseudoClass.getPseudoClass("replaying"), s.replaying());
  }

  /** The area, its density or presenter mode changed: choose the layout again. */
  private void resized() {
    density();
    if (last != null) {
      String key = arrangeKey(last);
      if (!key.equals(arrangedKey)) {
        arrange(last, key);
      }
    }
  }

  private void density() {
    double em = toolbar.em();
    // Below this the compact picture is scaled down as a whole rather than cut.
    fit.minimum(40 * em, 13.5 * em);
    boolean c = (HouseLayout.compact(stage.getHeight(), em) || tallCompact) && !squeeze.roomy();
    if (c != compact) {
      compact = c;
      root.pseudoClassStateChanged(COMPACT, c);
    }
    showStrip();
  }

  /**
   * The build strip shows the stages of the container in focus: none in compact density (the
   * picture needs every line; the note names the stage during a replay), nor while there is no
   * stage to show (before a run its empty bar left a 30 px strip under the host at 1920×1080).
   */
  private void showStrip() {
    Rooms.show(strip, !compact && last != null && !last.stages().isEmpty());
  }

  /**
   * What the layout depends on, but for the houses' contents: presenter mode, the area, the
   * density, which houses and which one in focus. A house that grows (a process more, a wall built)
   * can only make the layout more frugal ({@link #show}), so a fork loop never flips it to and fro.
   */
  private String arrangeKey(SceneModel s) {
    return minTextPx()
        + "|"
        + Math.round(stage.getWidth())
        + "x"
        + Math.round(stage.getHeight())
        + "|"
        + HouseLayout.compact(stage.getHeight(), toolbar.em())
        + "|"
        + s.focus()
        + "|"
        + s.houses().stream().map(HouseModel::id).toList()
        + "|"
        + new java.util.TreeSet<>(s.aside());
  }

  /** The smallest text allowed now, in pixels (presenter mode or not); 0 before a scene. */
  private double minTextPx() {
    Scene sc = root.getScene();
    if (sc == null || sc.getRoot() == null) {
      return 0;
    }
    return HouseLayout.minTextPx(
        sc.getRoot().getStyleClass().contains("presenter"), sc.getHeight());
  }

  /** Chooses the richest layout whose text stays at the least size, and shows {@code s} in it. */
  private void arrange(SceneModel s, String key) {
    arrangedKey = key;
    arrangements++;
    tallCompact = false;
    double min = minTextPx();
    if (min <= 0 || stage.getWidth() <= 0) {
      apply(Layout.FULL, HouseLayout.Squeeze.NONE, s, 0);
      return;
    }
    if (s.houses().isEmpty()) {
      // The empty host and its line saying what to do keep the floor too: without it, a short
      // views area (1366×768 presenter) scaled them down as a picture too large, to ~10 px text.
      apply(Layout.FULL, HouseLayout.Squeeze.NONE, s, min);
      return;
    }
    HouseLayout.Squeeze[] made = {HouseLayout.Squeeze.NONE};
    Layout chosen =
        HouseLayout.choose(
            s.peers().size(),
            l -> {
              // The fewest rows of houses, each readable; of those, the least squeeze whose rooms
              // stay two by two, else the widest houses with every label whole (rooms one above
              // the other). Houses that keep their least readable width side by side are not
              // wrapped into rows to keep the host's column or the compact density.
              HouseLayout.Squeeze best = null;
              int bestRows = Integer.MAX_VALUE;
              for (boolean stack : new boolean[] {false, true}) {
                for (HouseLayout.Squeeze q : HouseLayout.squeezes(l, s.peers().size(), stack)) {
                  apply(l, q, s, min);
                  if (wide() && (stack || !diagram.stacked())) {
                    int rows = diagram.rows();
                    if (rows < bestRows) {
                      best = q;
                      bestRows = rows;
                    }
                    if (rows <= 1) {
                      made[0] = q;
                      return true;
                    }
                  }
                }
              }
              if (best == null) {
                return false;
              }
              made[0] = best;
              if (squeeze != best) {
                apply(l, best, s, min);
              }
              return true;
            });
    if (chosen != layout || made[0] != squeeze) {
      apply(chosen, chosen == Layout.FULL ? made[0] : HouseLayout.Squeeze.NONE, s, min);
    }
    compactWhereItFits(s, min);
    hintIfScrolled();
  }

  /**
   * The picture in its full density is taller than the area, and the compact one (thin walls, the
   * host's facts on its roof, no build strip) stands whole in it: the compact one it is. Presenter
   * mode on a 1920×1080 projector, the terminal yielding: the views area (~610 px) is over the
   * compact threshold by its lines, and the full density of level 06 to 12 (~700–800 px) was cut
   * under its walls, with a line offering F8, where the compact house fits. Where the compact one
   * does not stand whole either, the full density stays (it scrolls, as before). One house alone;
   * the cards of other levels' containers below it may scroll, as they do under a house that fits.
   */
  private void compactWhereItFits(SceneModel s, double min) {
    // One house: side by side, houses already give up density for width (Squeeze), and a compact
    // row of them drew a roof's label past the area at a desk's 1920×1080.
    if (compact
        || squeeze.roomy()
        || s.peers().size() != 1
        || layout != Layout.FULL
        || min <= 0
        || houseFits()) {
      return;
    }
    tallCompact = true;
    apply(layout, squeeze, s, min);
    if (!houseFits()) {
      tallCompact = false;
      apply(layout, squeeze, s, min);
    }
  }

  /**
   * Whether the house stands whole in the area, its labels whole; other containers' cards below it
   * may scroll (the line above the house says they are there, and takes its height).
   */
  private boolean houseFits() {
    body.applyCss();
    double w = areaWidth();
    double line = cards.isVisible() ? scrollHint.prefHeight(w) + body.getSpacing() : 0;
    return fit.fits(w, areaHeight() - line) && wide();
  }

  private void apply(Layout l, HouseLayout.Squeeze q, SceneModel s, double min) {
    layout = l;
    squeeze = q;
    density();
    diagram.hostColumn(!q.hostAway());
    Rooms.show(cards, !carded(l, s).isEmpty());
    Rooms.show(scrollHint, false);
    show(s, false);
    if (min > 0) {
      body.applyCss();
      fit.minText(min);
    } else {
      fit.minText(0);
    }
    fit.refit();
  }

  /**
   * The most frugal layout does not fit: its house scrolls rather than turn into a card, and one
   * line above it says so (measured without that line, which scrolls with it).
   */
  private void hintIfScrolled() {
    boolean scrolls = minTextPx() > 0 && !last.houses().isEmpty() && !fitsNow(0);
    // The house whole in the area and only the cards below it: the line says so, not that the
    // house is too large (with F8 at 1366×768 level 09's house fits, the other levels' cards not).
    // The line itself stands above the house and takes its height from the area.
    double line = scrollHint.prefHeight(areaWidth()) + body.getSpacing();
    onlyCardsBelow.set(scrolls && cards.isVisible() && fit.fits(areaWidth(), areaHeight() - line));
    Rooms.show(scrollHint, scrolls);
  }

  /**
   * Shows {@code s} in the current layout, diffed. When the picture's shape changed and a label no
   * longer shows whole at the floor, and {@code settle}, the layout steps down to the next more
   * frugal one (taller is no reason: the picture scrolls).
   */
  private void show(SceneModel s, boolean settle) {
    boolean changed =
        diagram.update(layout == Layout.FOCUS ? focusScene(s) : peersScene(s), compact);
    if (!changed && settle && fit.floor() > 0 && diagram.getWidth() > 0) {
      // Same shape, more lines (a gauge's limits read, a longer command): taller at the floor,
      // the picture may no longer fit its area.
      body.applyCss();
      double h = diagram.prefHeight(diagram.getWidth());
      changed = h > drawnHeight + 0.5;
      drawnHeight = h;
    }
    List<HouseModel> carded = carded(layout, s);
    if (!carded.isEmpty()) {
      cards.update(carded, focusId(s));
    }
    if (changed) {
      fit.refit();
      drawnHeight = diagram.getWidth() > 0 ? diagram.prefHeight(diagram.getWidth()) : 0;
      if (settle && fit.floor() > 0) {
        // A text that came (an OOM chip) may be smaller than any before: the floor follows it,
        // measured once the new nodes have their style (unstyled, every text is 13 px).
        body.applyCss();
        fit.remeasure();
        Layout next = HouseLayout.frugal(layout, s.peers().size());
        while (next != layout && !wide()) {
          apply(next, HouseLayout.Squeeze.NONE, s, minTextPx());
          next = HouseLayout.frugal(layout, s.peers().size());
        }
        // Grown taller than the area: compact, where that stands whole (never back, until the
        // next arrangement, so a fork loop does not flip the density to and fro).
        compactWhereItFits(s, minTextPx());
        hintIfScrolled();
      }
    }
  }

  private static String focusId(SceneModel s) {
    if (s.focus() != null && s.house(s.focus()) != null) {
      return s.focus();
    }
    return s.houses().isEmpty() ? null : s.houses().get(0).id();
  }

  /** The houses {@code l} draws as cards: all but the one in focus, or those set aside. */
  private static List<HouseModel> carded(Layout l, SceneModel s) {
    if (l == Layout.FOCUS && s.houses().size() > 1) {
      String f = focusId(s);
      return s.houses().stream().filter(h -> !h.id().equals(f)).toList();
    }
    return s.houses().stream().filter(h -> s.aside().contains(h.id())).toList();
  }

  /** {@code s} with only the houses drawn in their walls ({@link SceneModel#peers}). */
  private static SceneModel peersScene(SceneModel s) {
    return s.aside().isEmpty() ? s : only(s, s.peers());
  }

  /** {@code s} showing {@code houses} alone, in their own walls, none set aside. */
  private static SceneModel only(SceneModel s, List<HouseModel> houses) {
    return new SceneModel(
        s.host(),
        houses,
        Nest.of(houses),
        s.focus(),
        s.stages(),
        s.position(),
        s.replaying(),
        s.playing(),
        s.speed(),
        s.selectedSeq(),
        s.note(),
        Set.of());
  }

  /** {@code s} with only the house in focus. */
  private static SceneModel focusScene(SceneModel s) {
    HouseModel h = s.house(focusId(s));
    if (h == null || s.houses().size() < 2) {
      return s;
    }
    return only(s, List.of(h));
  }

  /**
   * Whether what the current layout shows fits the area at the floor without scrolling, with {@code
   * spare} pixels of the area's height left over.
   */
  private boolean fitsNow(double spare) {
    body.applyCss();
    double w = areaWidth();
    return fit.fits(w, areaHeight() - cardsHeight(w) - spare) && wide();
  }

  /**
   * Whether what the current layout shows, laid out in the area as it would be drawn (at the floor
   * where it is taller than the area), shows every label whole: squeezed side by side, rooms cut
   * their lines ("Proc…"). Its height does not count (a picture taller than the area scrolls).
   */
  private boolean wide() {
    body.applyCss();
    double w = areaWidth();
    fit.layoutAsIn(w, areaHeight() - cardsHeight(w));
    return Legibility.cutLabel(diagram) == null && Legibility.overflowing(diagram) == null;
  }

  private double areaWidth() {
    Insets in = stage.getInsets();
    return stage.getWidth() - in.getLeft() - in.getRight();
  }

  private double areaHeight() {
    Insets in = stage.getInsets();
    return stage.getHeight() - in.getTop() - in.getBottom();
  }

  /** The height the cards take from the picture's area, with the gap between them. */
  private double cardsHeight(double w) {
    return cards.isVisible() ? cards.prefHeight(w) + body.getSpacing() : 0;
  }

  /** How many times the layout was chosen (tests: only a change of shape or area does it). */
  int arrangements() {
    return arrangements;
  }

  /** The layout chosen (tests). */
  Layout layout() {
    return layout;
  }

  HouseCards cards() {
    return cards;
  }

  /** The picture's fit to its area (tests). */
  FitPane fit() {
    return fit;
  }

  /** The scroll pane around the picture (tests). */
  ScrollPane scroll() {
    return scroll;
  }

  /** The line saying the house scrolls (tests). */
  /**
   * Whether the window gives the views the whole right side (F8), so the hint does not offer it.
   */
  public javafx.beans.property.BooleanProperty viewsFocusedProperty() {
    return viewsFocused;
  }

  /** Whether the window shows the guide beside the views, so the hint offers F7 only then. */
  public javafx.beans.property.BooleanProperty guideShownProperty() {
    return guideShown;
  }

  Label scrollHint() {
    return scrollHint;
  }

  /**
   * Gives the views area the terminal's room (or gives it back): the split between the terminal and
   * the views is the nearest vertical split above this view.
   */
  private boolean enlarge(boolean on) {
    SplitPane split = null;
    for (Parent p = root.getParent(); p != null; p = p.getParent()) {
      if (p instanceof SplitPane s && s.getOrientation() == Orientation.VERTICAL) {
        split = s;
        break;
      }
    }
    if (split == null || split.getDividers().isEmpty()) {
      return false;
    }
    if (on) {
      splitBefore = split.getDividerPositions()[0];
      split.setDividerPositions(0);
    } else {
      split.setDividerPositions(splitBefore > 0 ? splitBefore : 0.46);
    }
    return true;
  }

  /** Opens the glass house in a window of its own (a second screen, a projector). */
  public void openWindow() {
    GlassHouseWindow.open(vm, root.getScene());
  }

  /** The node exported as the picture: the host with everything in it. */
  Node picture() {
    return diagram;
  }

  /**
   * The snapshot's scale: a snapshot applies the picture's own transform (the fit to its area), so
   * that factor is divided out and the PNG is the picture's laid-out size times {@link
   * PictureExport#SCALE}, however the picture is fitted on screen.
   */
  private double exportScale() {
    return PictureExport.SCALE / (fit.factor() > 0 ? fit.factor() : 1);
  }

  /** Writes the picture at {@link PictureExport#SCALE} to {@code file}. */
  public void exportPng(Path file) throws IOException {
    WritableImage img =
        PictureExport.snapshot(picture(), exportScale(), PictureExport.backdrop(picture()));
    PictureExport.writePng(img, file);
    toolbar.message("saved " + file.getFileName());
  }

  private void saveAs() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Save the glass house as PNG");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
    fc.setInitialFileName(
        "glasshouse-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
            + ".png");
    var f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
    if (f == null) {
      return;
    }
    try {
      exportPng(f.toPath());
    } catch (IOException e) {
      toolbar.message("could not save: " + e.getMessage());
    }
  }

  private void copyPicture() {
    PictureExport.copy(
        PictureExport.snapshot(picture(), exportScale(), PictureExport.backdrop(picture())));
    toolbar.message("picture copied");
  }

  /** The picture node (tests). */
  Diagram diagram() {
    return diagram;
  }

  BuildStrip strip() {
    return strip;
  }

  DetailsCard details() {
    return details;
  }
}
