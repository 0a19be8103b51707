package org.glasshouse.app.mounts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.controlsfx.control.textfield.CustomTextField;
import org.controlsfx.control.textfield.TextFields;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Png;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Mounts tab: the selected container's mount tree beside the host's, each mount marked by the
 * diff (leaked, only in the container, not seen by the container), a search, a switch to show the
 * differences only, and under the trees the selected mount's mountinfo line and the start step that
 * made it. Exports the filtered trees as findmnt-style text or as a PNG.
 */
public final class MountsView {
  private static final PseudoClass LEAK = PseudoClass.getPseudoClass("leak");

  private final MountsViewModel vm;
  private final Navigator navigator;
  private final VBox root = new VBox();
  private final SplitPane trees;
  private final MountTreeView containerTree;
  private final MountTreeView hostTree;
  private final Tab tab;

  public MountsView(MountsViewModel vm, Navigator navigator) {
    this(vm, navigator, emptyTab());
  }

  /**
   * The view in {@code tab} (its content set here): the main window makes the tab first and the
   * view when the tab is first shown, so the window appears without building it.
   */
  public MountsView(MountsViewModel vm, Navigator navigator, Tab tab) {
    this.vm = vm;
    this.navigator = navigator;
    root.getStyleClass().add("mounts-view");
    root.setId("mounts-view");

    FontIcon bannerIcon = new FontIcon(Feather.INFO);
    bannerIcon.getStyleClass().add("banner-icon");
    Label banner = new Label();
    banner.setId("mounts-banner-text");
    banner.setWrapText(true);
    banner.setMinHeight(Region.USE_PREF_SIZE);
    banner.setMaxWidth(Double.MAX_VALUE);
    banner.textProperty().bind(vm.bannerProperty());
    HBox bannerBox = new HBox(8, bannerIcon, banner);
    bannerBox.setId("mounts-banner");
    bannerBox.getStyleClass().add("view-banner");
    bannerBox.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(banner, Priority.ALWAYS);
    vm.bannerKindProperty()
        .addListener(
            (o, a, b) -> {
              bannerBox.pseudoClassStateChanged(LEAK, b == MountsViewModel.BannerKind.LEAK);
              bannerIcon.setIconCode(
                  b == MountsViewModel.BannerKind.LEAK ? Feather.ALERT_TRIANGLE : Feather.INFO);
            });

    CustomTextField search = (CustomTextField) TextFields.createClearableTextField();
    search.setId("mounts-search");
    search.setPromptText("Search mounts…");
    search.setTooltip(
        new Tooltip(
            "Target, source, type, options or mark: matching mounts and their parents stay"));
    search.setLeft(new FontIcon(Feather.SEARCH));
    search.textProperty().bindBidirectional(vm.filterProperty());
    search.setPrefColumnCount(16);
    ToggleButton diffOnly = new ToggleButton("Only differences", new FontIcon(Feather.FILTER));
    diffOnly.setMinWidth(Region.USE_PREF_SIZE);
    diffOnly.setId("mounts-diff-only");
    diffOnly.setTooltip(new Tooltip("Hide the mounts both trees share (their parents stay)"));
    diffOnly.selectedProperty().bindBidirectional(vm.differencesOnlyProperty());
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox legend =
        new HBox(
            10,
            legend(Mark.LEAKED, Feather.ALERT_TRIANGLE),
            legend(Mark.ONLY_CONTAINER, Feather.PLUS_CIRCLE),
            legend(Mark.NOT_IN_CONTAINER, Feather.EYE_OFF));
    legend.setAlignment(Pos.CENTER_LEFT);
    legend.setMinWidth(0);
    HBox toolbar = new HBox(8, search, diffOnly, legend, spacer, exportMenu());
    toolbar.setAlignment(Pos.CENTER_LEFT);
    toolbar.getStyleClass().add("view-toolbar");

    containerTree = new MountTreeView(Side.CONTAINER, vm, "container-mounts");
    hostTree = new MountTreeView(Side.HOST, vm, "host-mounts");
    trees =
        new SplitPane(
            titled(vm.containerTitleProperty(), "container-mounts-title", containerTree),
            titled(vm.hostTitleProperty(), "host-mounts-title", hostTree));
    trees.setOrientation(Orientation.HORIZONTAL);
    trees.setDividerPositions(0.5);
    trees.getStyleClass().add("mount-trees");

    VBox detail = detail();
    // Under the trees while a mount is selected, at the height its lines need and no more: a
    // divider at a fixed fraction would cut its last line off in a laptop's short tab pane.
    detail.visibleProperty().bind(vm.detailProperty().isNotNull());
    detail.managedProperty().bind(detail.visibleProperty());
    detail.setMinHeight(Region.USE_PREF_SIZE);
    VBox.setVgrow(trees, Priority.ALWAYS);
    root.getChildren().addAll(bannerBox, toolbar, trees, detail);

    this.tab = tab;
    tab.setContent(root);
    tab.selectedProperty().addListener((o, a, b) -> vm.setActive(b));
    vm.setActive(tab.isSelected());
  }

  /** The view's tab, empty: its title, id and icon. */
  public static Tab emptyTab() {
    Tab tab = new Tab("Mounts");
    tab.setId(Navigator.View.MOUNTS.tabId());
    tab.setGraphic(new FontIcon(Feather.GIT_BRANCH));
    return tab;
  }

  /** The tab, id {@code mounts-tab}: subscribes to the mount tables while it is selected. */
  public Tab tab() {
    return tab;
  }

  public VBox node() {
    return root;
  }

  /** One of the two trees (tests). */
  MountTreeView tree(Side side) {
    return side == Side.CONTAINER ? containerTree : hostTree;
  }

  /** Writes both trees, as filtered, findmnt-style. */
  public void saveText(Path file) throws IOException {
    Files.writeString(file, bothAsText());
  }

  /** Writes what the two trees show now as a PNG. */
  public void savePng(Path file) throws IOException {
    Png.write(trees, file);
  }

  private String bothAsText() {
    return vm.exportText(Side.CONTAINER) + "\n" + vm.exportText(Side.HOST);
  }

  private static VBox titled(
      javafx.beans.value.ObservableStringValue title, String id, MountTreeView tree) {
    Label heading = new Label();
    heading.setId(id);
    heading.textProperty().bind(title);
    heading.getStyleClass().add("tree-title");
    VBox box = new VBox(heading, tree.node());
    VBox.setVgrow(tree.node(), Priority.ALWAYS);
    box.getStyleClass().add("mount-tree-box");
    return box;
  }

  private static Label legend(Mark mark, Feather icon) {
    FontIcon i = new FontIcon(icon);
    i.getStyleClass().addAll("mark-icon", "mark-" + mark.pseudoClass());
    Label l = new Label(mark.word(), i);
    l.getStyleClass().add("legend");
    l.setMinWidth(Region.USE_PREF_SIZE);
    l.setTooltip(new Tooltip(mark.label()));
    return l;
  }

  private MenuButton exportMenu() {
    MenuItem copyContainer = new MenuItem("Copy the container's tree as text");
    copyContainer.setOnAction(e -> copy(vm.exportText(Side.CONTAINER)));
    MenuItem copyHost = new MenuItem("Copy the host's tree as text");
    copyHost.setOnAction(e -> copy(vm.exportText(Side.HOST)));
    MenuItem text = new MenuItem("Save both trees as text…");
    text.setOnAction(e -> save("mounts.txt", "Text", "*.txt", this::saveText));
    MenuItem png = new MenuItem("Save as PNG…");
    png.setOnAction(e -> save("mounts.png", "PNG image", "*.png", this::savePng));
    MenuButton export =
        new MenuButton(null, new FontIcon(Feather.DOWNLOAD), copyContainer, copyHost, text, png);
    export.setId("mounts-export");
    export.setTooltip(new Tooltip("Export the trees as shown: findmnt-style text, or a PNG"));
    export.setMinWidth(Region.USE_PREF_SIZE);
    return export;
  }

  private static void copy(String text) {
    ClipboardContent c = new ClipboardContent();
    c.putString(text);
    Clipboard.getSystemClipboard().setContent(c);
  }

  /** Something that writes a file. */
  @FunctionalInterface
  private interface Writer {
    void write(Path file) throws IOException;
  }

  private void save(String name, String kind, String pattern, Writer writer) {
    FileChooser chooser = new FileChooser();
    chooser.setInitialFileName(name);
    chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(kind, pattern));
    File f = chooser.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
    if (f == null) {
      return;
    }
    try {
      writer.write(f.toPath());
    } catch (IOException e) {
      vm.report("Could not write " + f + ": " + e.getMessage());
    }
  }

  private VBox detail() {
    Label explanation =
        new Label("Select a mount to see its mountinfo line and the step that made it.");
    explanation.setId("mount-explanation");
    // One line, the whole sentence in its tooltip: the banner above already says the lesson, and a
    // laptop's tab pane has no room for a paragraph under the trees.
    explanation.setMaxWidth(Double.MAX_VALUE);
    Tooltip whole = new Tooltip();
    whole.setWrapText(true);
    whole.setMaxWidth(520);
    whole.textProperty().bind(explanation.textProperty());
    explanation.setTooltip(whole);
    TextField raw = new TextField();
    raw.setId("mount-raw");
    raw.setEditable(false);
    raw.getStyleClass().add("mount-raw");
    Label rawLabel = new Label("mountinfo");
    rawLabel.getStyleClass().add("field-label");
    rawLabel.setMinWidth(Region.USE_PREF_SIZE);
    HBox rawRow = new HBox(8, rawLabel, raw);
    rawRow.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(raw, Priority.ALWAYS);
    Hyperlink step = new Hyperlink();
    step.setId("mount-step");
    step.getStyleClass().add("mount-step");
    Label stepLabel = new Label("made by");
    stepLabel.getStyleClass().add("field-label");
    stepLabel.setMinWidth(Region.USE_PREF_SIZE);
    HBox stepRow = new HBox(8, stepLabel, step);
    stepRow.setAlignment(Pos.CENTER_LEFT);
    step.setOnAction(
        e -> {
          MountsViewModel.Detail d = vm.detailProperty().get();
          if (d != null && d.step() != null) {
            navigator.focusStep(d.step().seq());
          }
        });
    vm.detailProperty()
        .addListener(
            (o, a, d) -> {
              if (d == null) {
                explanation.setText(
                    "Select a mount to see its mountinfo line and the step that made it.");
                raw.setText("");
                step.setText("");
                step.setDisable(true);
                return;
              }
              explanation.setText(d.mount().mountPoint() + " — " + d.explanation());
              raw.setText(d.mountinfo());
              step.setText(d.stepText());
              step.setDisable(d.step() == null);
              step.setTooltip(d.step() == null ? null : new Tooltip("Show it in the step log"));
            });
    step.setDisable(true);
    VBox box = new VBox(3, explanation, rawRow, stepRow);
    box.getStyleClass().add("mount-detail");
    box.setId("mount-detail");
    return box;
  }
}
