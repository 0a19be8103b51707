package org.glasshouse.app.filesystem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.glasshouse.app.core.ListSync;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Units;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Filesystem tab: the selected container's overlay as a stack of layers (merged root, upper,
 * lower image, work dir), the upper dir's content live as a tree — new, copied up, deleted
 * (whiteouts), opaque dirs — with sizes and copy-up times, and the copy-up seen last called out.
 */
public final class FilesystemView {
  private static final Map<UpperDirModel.Kind, PseudoClass> KINDS = new HashMap<>();

  static {
    for (UpperDirModel.Kind k : UpperDirModel.Kind.values()) {
      KINDS.put(k, PseudoClass.getPseudoClass(k.name().toLowerCase().replace('_', '-')));
    }
  }

  private final FilesystemViewModel vm;
  private final VBox root = new VBox();
  private final TreeTableView<UpperDirModel.Entry> tree = new TreeTableView<>();
  private final TreeItem<UpperDirModel.Entry> top = new TreeItem<>();
  private final Map<String, TreeItem<UpperDirModel.Entry>> items = new HashMap<>();
  private final Tab tab;

  /**
   * The view in {@code tab} (its content set here): the main window makes the tab first and the
   * view when the tab is first shown, so the window appears without building it.
   */
  public FilesystemView(FilesystemViewModel vm, Tab tab) {
    this.vm = vm;
    root.getStyleClass().add("filesystem-view");
    root.setId("filesystem-view");

    Label banner = new Label();
    banner.setId("filesystem-banner-text");
    banner.setWrapText(true);
    banner.setMinHeight(Region.USE_PREF_SIZE);
    banner.setMaxWidth(Double.MAX_VALUE);
    banner.textProperty().bind(vm.bannerProperty());
    FontIcon info = new FontIcon(Feather.INFO);
    info.getStyleClass().add("banner-icon");
    HBox bannerBox = new HBox(8, info, banner);
    bannerBox.getStyleClass().add("view-banner");
    bannerBox.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(banner, Priority.ALWAYS);

    VBox layers =
        new VBox(
            2,
            layer("merged", "the container's /", vm.mergedProperty(), "layer-merged", Feather.EYE),
            layer(
                "upper",
                "read-write: its writes",
                vm.upperDirProperty(),
                "layer-upper",
                Feather.EDIT_3),
            layer(
                "lower",
                "read-only: the shared image",
                vm.lowerProperty(),
                "layer-lower",
                Feather.LOCK),
            layer(
                "work",
                "overlayfs's scratch space",
                vm.workProperty(),
                "layer-work",
                Feather.TOOL));
    layers.setId("overlay-layers");
    layers.getStyleClass().add("overlay-layers");
    layers.visibleProperty().bind(Bindings.isNotEmpty(vm.upperDirProperty()));
    layers.managedProperty().bind(layers.visibleProperty());

    Label summary = new Label();
    summary.setId("upper-summary");
    summary.getStyleClass().add("upper-summary");
    summary.textProperty().bind(vm.summaryProperty());
    summary.visibleProperty().bind(Bindings.isNotEmpty(vm.summaryProperty()));
    summary.managedProperty().bind(summary.visibleProperty());

    Label copyUp = new Label();
    copyUp.setId("copy-up");
    copyUp.setWrapText(true);
    copyUp.setMinHeight(Region.USE_PREF_SIZE);
    copyUp.setMaxWidth(Double.MAX_VALUE);
    copyUp.getStyleClass().add("copy-up");
    copyUp.setGraphic(new FontIcon(Feather.CLOCK));
    copyUp.textProperty().bind(vm.copyUpProperty());
    copyUp.visibleProperty().bind(Bindings.isNotEmpty(vm.copyUpProperty()));
    copyUp.managedProperty().bind(copyUp.visibleProperty());

    tree.setId("upper-tree");
    tree.getStyleClass().addAll("upper-tree", "dense");
    tree.setRoot(top);
    tree.setShowRoot(false);
    tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    tree.setPlaceholder(
        new Label("What the container writes, deletes or copies up appears here, live."));
    TreeTableColumn<UpperDirModel.Entry, String> name =
        column("Upper dir", UpperDirModel.Entry::name);
    name.setCellFactory(c -> new NameCell());
    tree.getColumns()
        .addAll(
            List.of(
                name,
                column("What", e -> e.kind().label()),
                column(
                    "Size", e -> e.raw().kind().equals("dir") ? "" : Units.bytes(e.raw().size())),
                column(
                    "Copied in",
                    e -> e.copyUpNanos() == null ? "" : Units.duration(e.copyUpNanos())),
                column("Mode", e -> e.raw().mode()),
                column("Owner", e -> e.raw().uid() + ":" + e.raw().gid())));
    tree.setTableMenuButtonVisible(true);
    tree.widthProperty().addListener((o, a, w) -> layoutColumns(a.doubleValue(), w.doubleValue()));
    tree.setTreeColumn(name);
    tree.setRowFactory(
        t ->
            new TreeTableRow<>() {
              @Override
              protected void updateItem(UpperDirModel.Entry e, boolean empty) {
                super.updateItem(e, empty);
                KINDS.forEach(
                    (k, pc) -> pseudoClassStateChanged(pc, !empty && e != null && e.kind() == k));
                String tip =
                    e == null || empty ? null : "/" + e.raw().path() + ": " + e.kind().meaning();
                if (tip == null) {
                  setTooltip(null);
                } else if (getTooltip() == null || !tip.equals(getTooltip().getText())) {
                  setTooltip(new Tooltip(tip));
                }
              }
            });
    vm.addListener(this::onChange);

    summary.setWrapText(true);
    summary.setMinHeight(Region.USE_PREF_SIZE);
    VBox side = new VBox(6, layers);
    side.getStyleClass().add("overlay-side");
    side.setMinWidth(0);
    ScrollPane sideScroll = new ScrollPane(side);
    sideScroll.setFitToWidth(true);
    sideScroll.getStyleClass().add("overlay-side-scroll");
    SplitPane body = new SplitPane(sideScroll, tree);
    body.setDividerPositions(0.42);
    body.getStyleClass().add("filesystem-split");
    VBox.setVgrow(body, Priority.ALWAYS);
    root.getChildren().addAll(bannerBox, copyUp, summary, body);
    this.tab = tab;
    tab.setContent(root);
    tab.selectedProperty().addListener((o, a, b) -> vm.setActive(b));
    vm.setActive(tab.isSelected());
  }

  /** The view's tab, empty: its title, id and icon. */
  public static Tab emptyTab() {
    Tab tab = new Tab("Filesystem");
    tab.setId(Navigator.View.FILESYSTEM.tabId());
    tab.setGraphic(new FontIcon(Feather.LAYERS));
    return tab;
  }

  /** The tab, id {@code filesystem-tab}: follows the upper dir while it is selected. */
  public Tab tab() {
    return tab;
  }

  public VBox node() {
    return root;
  }

  /** One layer: its name and role on a line, its path under them (the end kept visible). */
  private static VBox layer(
      String name, String role, ObservableStringValue path, String style, Feather icon) {
    Label n = new Label(name, new FontIcon(icon));
    n.getStyleClass().add("layer-name");
    Label r = new Label(role);
    r.getStyleClass().add("layer-role");
    Label p = new Label();
    p.textProperty().bind(path);
    p.getStyleClass().add("layer-path");
    p.setMinWidth(0);
    p.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
    Tooltip tip = new Tooltip();
    tip.textProperty().bind(path);
    p.setTooltip(tip);
    HBox head = new HBox(8, n, r);
    head.setAlignment(Pos.CENTER_LEFT);
    VBox box = new VBox(1, head, p);
    box.getStyleClass().addAll("layer-box", style);
    box.setId(style);
    return box;
  }

  private void onChange(UpperDirModel.Change c) {
    UpperDirModel m = vm.upper();
    for (String p : c.removed()) {
      items.remove(p);
    }
    for (UpperDirModel.Entry e : m.entries()) {
      TreeItem<UpperDirModel.Entry> it = item(e);
      if (!e.equals(it.getValue())) {
        it.setValue(e);
      }
    }
    relink(top, m.roots(), m);
  }

  private TreeItem<UpperDirModel.Entry> item(UpperDirModel.Entry e) {
    return items.computeIfAbsent(
        e.raw().path(),
        p -> {
          TreeItem<UpperDirModel.Entry> it = new TreeItem<>(e);
          it.setExpanded(true);
          return it;
        });
  }

  private void relink(TreeItem<UpperDirModel.Entry> parent, List<String> paths, UpperDirModel m) {
    List<TreeItem<UpperDirModel.Entry>> want = new ArrayList<>();
    for (String p : paths) {
      UpperDirModel.Entry e = m.get(p);
      if (e != null) {
        TreeItem<UpperDirModel.Entry> it = item(e);
        want.add(it);
        relink(it, m.children(p), m);
      }
    }
    ListSync.sync(parent.getChildren(), want);
  }

  /** Columns by width, as the mount trees do: mode and owner give way first. */
  private void layoutColumns(double before, double width) {
    int tier = width < 560 ? 0 : 1;
    int was = before < 560 ? 0 : 1;
    double[][] shares = {{0.34, 0.24, 0.2, 0.22, 0, 0}, {0.28, 0.2, 0.14, 0.16, 0.1, 0.12}};
    var cols = tree.getColumns();
    for (int i = 0; i < cols.size(); i++) {
      double share = shares[tier][i];
      if (tier != was || before == 0) {
        cols.get(i).setVisible(share > 0);
      }
      if (share > 0) {
        cols.get(i).setPrefWidth(Math.max(40, (width - 20) * share));
      }
    }
    if (tier != was && before != 0) {
      // Columns shown after the rows were laid out draw their text too high until refreshed.
      tree.refresh();
    }
  }

  private static TreeTableColumn<UpperDirModel.Entry, String> column(
      String title, Function<UpperDirModel.Entry, String> f) {
    TreeTableColumn<UpperDirModel.Entry, String> c = new TreeTableColumn<>(title);
    c.setCellValueFactory(
        d ->
            new ReadOnlyStringWrapper(
                d.getValue() == null || d.getValue().getValue() == null
                    ? ""
                    : f.apply(d.getValue().getValue())));
    c.setSortable(false);
    return c;
  }

  /** The name, after an icon for its kind (the kind is also spelled out in the next column). */
  private static final class NameCell extends TreeTableCell<UpperDirModel.Entry, String> {
    @Override
    protected void updateItem(String text, boolean empty) {
      super.updateItem(text, empty);
      UpperDirModel.Entry e = empty || getTableRow() == null ? null : getTableRow().getItem();
      if (e == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      setText(text);
      Feather icon =
          switch (e.kind()) {
            case NEW -> Feather.FILE_PLUS;
            case COPIED_UP -> Feather.COPY;
            case WHITEOUT -> Feather.FILE_MINUS;
            case OPAQUE_DIR -> Feather.SLASH;
            case MERGED_DIR, NEW_DIR -> Feather.FOLDER;
            case OTHER -> Feather.FILE;
          };
      FontIcon i = new FontIcon(icon);
      i.getStyleClass().add("kind-icon");
      setGraphic(i);
    }
  }
}
