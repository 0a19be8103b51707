package org.glasshouse.app.glasshouse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.FileChooser;
import org.glasshouse.app.containers.ContainerItem;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The glass house view: a toolbar (replay, compare, export, room), the picture, and the build strip
 * of the container in focus. The picture follows the view-model's {@link SceneModel}, diffed; below
 * about 32 lines of text it switches to a compact density (thin walls, tags on their edge, the
 * host's facts on its roof).
 *
 * <p>In presenter mode the picture is never scaled below the size at which its smallest text is
 * {@link #MIN_TEXT_PX} pixels ({@link #MIN_TEXT_PX_LARGE} on a screen 1000 pixels tall or more):
 * where every house does not fit at that size, the container in focus keeps its house and the
 * others become cards ({@link Layout#FOCUS}); where even that house does not fit, every container
 * is a card ({@link Layout#CARDS}), a click on one drawing its house; only what still does not fit
 * then scrolls. Outside presenter mode the picture is scaled to fit, an overview at any size.
 */
public final class GlassHouseView {
  static final PseudoClass COMPACT = PseudoClass.getPseudoClass("compact");
  private static final double COMPACT_BELOW_EM = 33;

  /** The smallest text in presenter mode, in pixels on the screen (a 1366×768 projector). */
  static final double MIN_TEXT_PX = 13;

  /** The same on a screen at least 1000 pixels tall (1920×1080): its pixels are smaller. */
  static final double MIN_TEXT_PX_LARGE = 14;

  /** How the containers shown are drawn, from the richest to the most frugal. */
  enum Layout {
    /** Every house in its walls, side by side. */
    FULL,
    /** The house of the container in focus; the others as cards above it. */
    FOCUS,
    /** Every container as a card. */
    CARDS
  }

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
  private final Label cardsHint =
      new Label(
          "No room here for a house at a readable size: F8 gives the views the whole right side."
              + " A click on a card selects its container.");
  private final VBox body;
  private final ScrollPane scroll;
  private Layout layout = Layout.FULL;
  private String arrangedKey = "";
  private SceneModel last;
  private final DetailsCard details;
  private final BuildStrip strip;
  private final Label note = new Label();
  private final Label message = new Label();
  private final Button play = icon(Feather.PLAY, "Replay the build from an empty host (Space)");
  private final MenuButton speed = new MenuButton("1×");
  private final Button live = new Button("Live", new FontIcon(Feather.RADIO));
  private final ToggleButton enlarge = new ToggleButton(null, new FontIcon(Feather.MAXIMIZE_2));
  private boolean compact;
  private double splitBefore = -1;

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
    fit = new FitPane(diagram);
    cards = new HouseCards(vm::focusOn);
    cards.setId("glass-house-cards");
    cardsHint.getStyleClass().add("gh-cards-hint");
    cardsHint.setWrapText(true);
    cardsHint.setMinHeight(Region.USE_PREF_SIZE);
    Rooms.show(cardsHint, false);
    body = new VBox(cardsHint, cards, fit);
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
    root.setTop(toolbar());
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
              if (b != null && b.getRoot() != null) {
                b.getRoot().getStyleClass().addListener(modes);
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

  public Region node() {
    return root;
  }

  private HBox toolbar() {
    Button back = icon(Feather.SKIP_BACK, "One step back (←)");
    back.setId("glass-house-back");
    back.setOnAction(e -> vm.stepBack());
    play.setId("glass-house-play");
    play.setOnAction(e -> vm.togglePlay());
    Button forward = icon(Feather.SKIP_FORWARD, "One step on (→)");
    forward.setId("glass-house-forward");
    forward.setOnAction(e -> vm.stepForward());
    speed.setId("glass-house-speed");
    speed.getStyleClass().add("flat");
    speed.setTooltip(new Tooltip("Replay speed: one step every 1.8 s at 1×"));
    ToggleGroup speeds = new ToggleGroup();
    for (double f : Replay.SPEEDS) {
      RadioMenuItem m = new RadioMenuItem(speedText(f));
      m.setToggleGroup(speeds);
      m.setSelected(f == 1);
      m.setOnAction(e -> vm.speed(f));
      speed.getItems().add(m);
    }
    live.setId("glass-house-live");
    live.getStyleClass().add("flat");
    live.setTooltip(new Tooltip("Back to the live picture (End)"));
    live.setOnAction(e -> vm.live());
    note.getStyleClass().add("gh-note");
    note.setId("glass-house-note");
    note.setMinWidth(0);
    note.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(note, Priority.ALWAYS);
    message.getStyleClass().add("gh-message");
    message.setId("glass-house-message");
    MenuButton compare = new MenuButton(null, new FontIcon(Feather.COLUMNS));
    compare.setId("glass-house-compare");
    compare.getStyleClass().add("flat");
    compare.setTooltip(new Tooltip("Which containers stand next to the selected one"));
    compare.setOnShowing(e -> fillCompare(compare));
    MenuButton export = new MenuButton(null, new FontIcon(Feather.IMAGE));
    export.setId("glass-house-export");
    export.getStyleClass().add("flat");
    export.setTooltip(new Tooltip("The picture as PNG, for slides and handouts"));
    MenuItem save = new MenuItem("Save as PNG…", new FontIcon(Feather.DOWNLOAD));
    save.setOnAction(e -> saveAs());
    MenuItem copy = new MenuItem("Copy picture", new FontIcon(Feather.COPY));
    copy.setOnAction(e -> copyPicture());
    export.getItems().addAll(save, copy);
    enlarge.setId("glass-house-enlarge");
    enlarge.getStyleClass().addAll("flat", "button-icon");
    enlarge.setTooltip(new Tooltip("Give the glass house the room of the terminal too"));
    enlarge.setOnAction(e -> enlarge(enlarge.isSelected()));
    Button window = icon(Feather.EXTERNAL_LINK, "Open the glass house in a window of its own");
    window.setId("glass-house-window");
    window.setOnAction(e -> GlassHouseWindow.open(vm, root.getScene()));
    HBox bar =
        new HBox(back, play, forward, speed, live, note, message, compare, export, enlarge, window);
    bar.getStyleClass().add("gh-toolbar");
    for (Node n : bar.getChildren()) {
      if (n != note && n instanceof Region r) {
        r.setMinWidth(Region.USE_PREF_SIZE);
      }
    }
    bar.setAlignment(Pos.CENTER_LEFT);
    return bar;
  }

  private static String speedText(double f) {
    return (f == Math.rint(f) ? Integer.toString((int) f) : Double.toString(f)) + "×";
  }

  private static Button icon(Feather f, String tip) {
    Button b = new Button(null, new FontIcon(f));
    b.getStyleClass().addAll("flat", "button-icon");
    b.setTooltip(new Tooltip(tip));
    return b;
  }

  private void fillCompare(MenuButton menu) {
    menu.getItems().clear();
    CheckMenuItem all = new CheckMenuItem("Every running container");
    all.setSelected(vm.compare().allRunningProperty().get());
    all.setOnAction(e -> vm.compare().allRunningProperty().set(all.isSelected()));
    menu.getItems().addAll(all, new SeparatorMenuItem());
    ContainerItem sel = vm.containers().selected();
    for (ContainerItem i : vm.containers().containers()) {
      if (i == sel) {
        continue;
      }
      CheckMenuItem m =
          new CheckMenuItem(
              i.shortId() + "  " + i.commandLine() + "  (" + i.summaryProperty().get() + ")");
      boolean on =
          vm.compare().allRunningProperty().get()
              ? i.state().live() && !i.isCheck()
              : vm.compare().ticked().contains(i.id());
      m.setSelected(on);
      // From "every running", the others shown stay ticked (the charts' legend does the same).
      m.setOnAction(e -> vm.compare().show(i.id(), m.isSelected()));
      menu.getItems().add(m);
    }
    if (menu.getItems().size() == 2) {
      MenuItem none = new MenuItem("No other container");
      none.setDisable(true);
      menu.getItems().add(none);
    }
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
    last = s;
    density();
    String key = arrangeKey(s);
    if (!key.equals(arrangedKey)) {
      arrange(s, key);
    } else {
      show(s, true);
    }
    strip.update(s);
    Rooms.set(note, s.note());
    note.setTooltip(s.note().length() > 60 ? new Tooltip(s.note()) : null);
    boolean can = !s.stages().isEmpty();
    play.setDisable(!can);
    ((FontIcon) play.getGraphic()).setIconCode(s.playing() ? Feather.PAUSE : Feather.PLAY);
    play.getTooltip()
        .setText(
            s.playing()
                ? "Pause (Space)"
                : s.replaying()
                    ? "Play on (Space)"
                    : "Replay the build from an empty host (Space)");
    speed.setText(speedText(s.speed()));
    live.setDisable(!s.replaying());
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
    double em = note.getFont().getSize();
    // Below this the compact picture is scaled down as a whole rather than cut.
    fit.minimum(40 * em, 13.5 * em);
    boolean c = stage.getHeight() > 0 && stage.getHeight() < COMPACT_BELOW_EM * em;
    if (c != compact) {
      compact = c;
      root.pseudoClassStateChanged(COMPACT, c);
      // Compact: the picture needs every line; the note names the stage during a replay.
      Rooms.show(strip, !c);
    }
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
        + compact
        + "|"
        + s.focus()
        + "|"
        + s.houses().stream().map(HouseModel::id).toList();
  }

  /** The smallest text allowed now, in pixels; 0 outside presenter mode (no floor). */
  private double minTextPx() {
    Scene sc = root.getScene();
    if (sc == null || sc.getRoot() == null || !sc.getRoot().getStyleClass().contains("presenter")) {
      return 0;
    }
    return sc.getHeight() >= 1000 ? MIN_TEXT_PX_LARGE : MIN_TEXT_PX;
  }

  /** Chooses the richest layout whose text stays at the least size, and shows {@code s} in it. */
  private void arrange(SceneModel s, String key) {
    arrangedKey = key;
    double min = minTextPx();
    if (min <= 0 || s.houses().isEmpty() || stage.getWidth() <= 0) {
      apply(Layout.FULL, s, 0);
      return;
    }
    for (Layout l : Layout.values()) {
      if (l == Layout.FOCUS && s.houses().size() < 2) {
        continue;
      }
      apply(l, s, min);
      if (fitsNow()) {
        return;
      }
    }
    // Cards that do not fit with the hint above them may without it.
    Rooms.show(cardsHint, false);
  }

  private void apply(Layout l, SceneModel s, double min) {
    layout = l;
    Rooms.show(fit, l != Layout.CARDS);
    Rooms.show(cards, l != Layout.FULL);
    Rooms.show(cardsHint, l == Layout.CARDS);
    root.pseudoClassStateChanged(PseudoClass.getPseudoClass("cards"), l == Layout.CARDS);
    show(s, false);
    if (min > 0 && l != Layout.CARDS) {
      body.applyCss();
      fit.floor(floorFor(min));
    } else {
      fit.floor(0);
    }
    fit.refit();
  }

  /**
   * Shows {@code s} in the current layout, diffed. When the picture's shape changed and it no
   * longer fits at the floor, and {@code settle}, the layout steps down to the next more frugal
   * one.
   */
  private void show(SceneModel s, boolean settle) {
    boolean changed = false;
    if (layout != Layout.CARDS) {
      changed = diagram.update(layout == Layout.FOCUS ? focusScene(s) : s, compact);
    }
    if (layout != Layout.FULL) {
      List<HouseModel> shown =
          layout == Layout.CARDS
              ? s.houses()
              : s.houses().stream().filter(h -> !h.id().equals(focusId(s))).toList();
      cards.update(shown, focusId(s));
    }
    if (changed) {
      fit.refit();
      if (settle && fit.floor() > 0) {
        // A text that came (an OOM chip) may be smaller than any before: the floor follows it.
        fit.floor(floorFor(minTextPx()));
        while (layout != Layout.CARDS && !fitsNow()) {
          Layout next =
              layout == Layout.FULL && s.houses().size() > 1 ? Layout.FOCUS : Layout.CARDS;
          apply(next, s, minTextPx());
        }
      }
    }
  }

  private static String focusId(SceneModel s) {
    if (s.focus() != null && s.house(s.focus()) != null) {
      return s.focus();
    }
    return s.houses().isEmpty() ? null : s.houses().get(0).id();
  }

  /** {@code s} with only the house in focus. */
  private static SceneModel focusScene(SceneModel s) {
    HouseModel h = s.house(focusId(s));
    if (h == null || s.houses().size() < 2) {
      return s;
    }
    return new SceneModel(
        s.host(),
        List.of(h),
        Nest.of(List.of(h)),
        s.focus(),
        s.stages(),
        s.position(),
        s.replaying(),
        s.playing(),
        s.speed(),
        s.selectedSeq(),
        s.note());
  }

  /** Whether what the current layout shows fits the area at the floor, without scrolling. */
  private boolean fitsNow() {
    body.applyCss();
    Insets in = stage.getInsets();
    double w = stage.getWidth() - in.getLeft() - in.getRight();
    double h = stage.getHeight() - in.getTop() - in.getBottom();
    double above = 0;
    if (cards.isVisible()) {
      above = cards.prefHeight(w) + body.getSpacing();
      if (cardsHint.isVisible()) {
        above += cardsHint.prefHeight(w) + body.getSpacing();
      }
      if (layout == Layout.CARDS) {
        return above <= h + 0.5;
      }
    }
    if (!fit.fits(w, h - above)) {
      return false;
    }
    // Tall enough is not enough: squeezed side by side, rooms cut their lines ("Proc…").
    fit.layoutAsIn(w, h - above);
    return cutLabel(diagram) == null;
  }

  /**
   * The first visible label under {@code n} whose text is shown cut short (an ellipsis in place of
   * its end), or null. Command lines are cut on purpose (their tooltip and details card hold all of
   * them) and do not count.
   */
  static Labeled cutLabel(Node n) {
    if (!n.isVisible()) {
      return null;
    }
    if (n instanceof Labeled l && cut(l)) {
      return l;
    }
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        Labeled l = cutLabel(c);
        if (l != null) {
          return l;
        }
      }
    }
    return null;
  }

  /** Whether {@code l} shows its text cut short (command lines aside). */
  static boolean cut(Labeled l) {
    if (l.getText() == null
        || l.getStyleClass().contains("gh-command")
        || l.getStyleClass().contains("gh-roof-command")) {
      return false;
    }
    String e = l.getEllipsisString();
    for (Node c : l.getChildrenUnmodifiable()) {
      if (c instanceof Text t
          && !(t instanceof FontIcon)
          && t.getText() != null
          && !e.isEmpty()
          && t.getText().endsWith(e)
          && !t.getText().equals(l.getText())) {
        return true;
      }
    }
    return false;
  }

  /** The least factor at which the picture's smallest text is {@code min} pixels. */
  private double floorFor(double min) {
    double t = smallestText(diagram);
    return min / (t == Double.MAX_VALUE ? note.getFont().getSize() : t);
  }

  /** The least font size of the visible text under {@code n} (icons aside), in its own pixels. */
  static double smallestText(Node n) {
    if (!n.isVisible()) {
      return Double.MAX_VALUE;
    }
    if (n instanceof Text t) {
      return t instanceof FontIcon || t.getText() == null || t.getText().isBlank()
          ? Double.MAX_VALUE
          : t.getFont().getSize();
    }
    double min = Double.MAX_VALUE;
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        min = Math.min(min, smallestText(c));
      }
    }
    return min;
  }

  /** The layout chosen (tests). */
  Layout layout() {
    return layout;
  }

  HouseCards cards() {
    return cards;
  }

  /**
   * Gives the views area the terminal's room (or gives it back): the split between the terminal and
   * the views is the nearest vertical split above this view.
   */
  private void enlarge(boolean on) {
    SplitPane split = null;
    for (Parent p = root.getParent(); p != null; p = p.getParent()) {
      if (p instanceof SplitPane s && s.getOrientation() == Orientation.VERTICAL) {
        split = s;
        break;
      }
    }
    if (split == null || split.getDividers().isEmpty()) {
      enlarge.setSelected(false);
      return;
    }
    if (on) {
      splitBefore = split.getDividerPositions()[0];
      split.setDividerPositions(0);
    } else {
      split.setDividerPositions(splitBefore > 0 ? splitBefore : 0.46);
    }
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
    WritableImage img = PictureExport.snapshot(picture(), exportScale());
    PictureExport.writePng(img, file);
    Rooms.set(message, "saved " + file.getFileName());
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
      Rooms.set(message, "could not save: " + e.getMessage());
    }
  }

  private void copyPicture() {
    PictureExport.copy(PictureExport.snapshot(picture(), exportScale()));
    Rooms.set(message, "picture copied");
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
