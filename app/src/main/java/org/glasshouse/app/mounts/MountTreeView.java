package org.glasshouse.app.mounts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import org.glasshouse.app.core.ListSync;
import org.glasshouse.protocol.Findmnt;
import org.glasshouse.protocol.inspect.MountsResult;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One mount tree (the container's or the host's) as a findmnt-like tree table. Its items live as
 * long as their mounts: an {@link MountsViewModel.Update} touches the rows it names and re-links
 * only the children lists that differ, so expansion, selection and scroll position survive live
 * changes and the search.
 */
final class MountTreeView {
  private static final Map<Mark, PseudoClass> MARKS = new HashMap<>();
  private static final PseudoClass OVERMOUNTED = PseudoClass.getPseudoClass("overmounted");
  private static final PseudoClass PAIRED = PseudoClass.getPseudoClass("paired");
  private static final PseudoClass MATCH = PseudoClass.getPseudoClass("match");

  static {
    for (Mark m : Mark.values()) {
      if (m.pseudoClass() != null) {
        MARKS.put(m, PseudoClass.getPseudoClass(m.pseudoClass()));
      }
    }
  }

  /**
   * What a row shows: the mount and how the diff marks it.
   *
   * @param mount the mount
   * @param mark its mark
   * @param overmounted whether another mount hides it
   * @param paired whether it is the same mount as the one selected in the other tree
   * @param match whether it matches the search itself (not only through a child)
   */
  record Row(
      MountsResult.Mount mount, Mark mark, boolean overmounted, boolean paired, boolean match) {}

  private final Side side;
  private final MountsViewModel vm;
  private final TreeTableView<Row> table = new TreeTableView<>();
  private final TreeItem<Row> top = new TreeItem<>();
  private final Map<Integer, TreeItem<Row>> items = new HashMap<>();
  private boolean selecting;

  MountTreeView(Side side, MountsViewModel vm, String id) {
    this.side = side;
    this.vm = vm;
    table.setId(id);
    table.getStyleClass().addAll("mount-tree", "dense");
    table.setRoot(top);
    table.setShowRoot(false);
    table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(
        new Label(
            side == Side.CONTAINER
                ? "The selected running container's mounts appear here."
                : "The host's mounts appear here."));
    TreeTableColumn<Row, String> target = column("Target", r -> r.mount().mountPoint());
    target.setCellFactory(c -> new TargetCell());
    table
        .getColumns()
        .addAll(
            List.of(
                target,
                column("Source", r -> Findmnt.source(r.mount())),
                column("Type", r -> r.mount().fsType()),
                column("Options", r -> r.mount().options()),
                column("Propagation", MountTreeView::propagation),
                column("Diff", MountTreeView::diffText)));
    table.setTreeColumn(target);
    table.setTableMenuButtonVisible(true);
    table.widthProperty().addListener((o, a, w) -> layoutColumns(a.doubleValue(), w.doubleValue()));
    table.setRowFactory(t -> new MountRow());
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, b) -> {
              if (!selecting && b != null && b.getValue() != null) {
                vm.selectionProperty()
                    .set(new MountsViewModel.Selection(side, b.getValue().mount().id()));
              }
            });
    vm.addListener(this::onUpdate);
    vm.selectionProperty().addListener((o, a, b) -> onSelection(a, b));
  }

  TreeTableView<Row> node() {
    return table;
  }

  /** The item of a mount, or null (tests). */
  TreeItem<Row> item(int id) {
    return items.get(id);
  }

  private static String propagation(Row r) {
    List<String> f = r.mount().optionalFields();
    String p = r.mount().propagation();
    return f == null || f.isEmpty() ? p : String.join(" ", f);
  }

  private static String diffText(Row r) {
    String s = r.mark().word();
    if (r.overmounted()) {
      s = s.isEmpty() ? "hidden" : s + ", hidden";
    }
    return s;
  }

  private void onUpdate(MountsViewModel.Update u) {
    if (u.side() != side) {
      return;
    }
    MountTable t = vm.table(side);
    for (Integer id : u.change().removed()) {
      items.remove(id);
    }
    // Rows the update names change, and the search or a selection elsewhere may have changed which
    // rows match or are paired: only the rows whose state differs are re-set.
    for (MountsResult.Mount m : t.all()) {
      TreeItem<Row> it = item(m);
      Row now = row(m);
      if (!now.equals(it.getValue())) {
        it.setValue(now);
      }
    }
    relink(top, t.roots(), t);
    // A leak that just appeared is the lesson: bring its row into view (without selecting it).
    int first = Integer.MAX_VALUE;
    for (Integer id : u.remarked()) {
      TreeItem<Row> it = items.get(id);
      if (it != null && it.getValue().mark() == Mark.LEAKED) {
        int row = table.getRow(it);
        if (row >= 0) {
          first = Math.min(first, row);
        }
      }
    }
    if (first != Integer.MAX_VALUE) {
      table.scrollTo(first);
    }
  }

  private TreeItem<Row> item(MountsResult.Mount m) {
    return items.computeIfAbsent(
        m.id(),
        id -> {
          TreeItem<Row> it = new TreeItem<>(row(m));
          it.setExpanded(true);
          return it;
        });
  }

  private Row row(MountsResult.Mount m) {
    MountsViewModel.Selection sel = vm.selectionProperty().get();
    boolean paired =
        sel != null && sel.side() != side && Objects.equals(vm.pair(sel.side(), sel.id()), m.id());
    String f = vm.filterProperty().get();
    boolean match = f != null && !f.isBlank() && vm.matches(side, m);
    return new Row(m, vm.mark(side, m.id()), vm.table(side).isOvermounted(m.id()), paired, match);
  }

  /**
   * Makes {@code parent}'s children the shown mounts of {@code mounts}, touching it only if needed.
   */
  private void relink(TreeItem<Row> parent, List<MountsResult.Mount> mounts, MountTable t) {
    List<TreeItem<Row>> want = new ArrayList<>();
    for (MountsResult.Mount m : mounts) {
      if (vm.shown(side, m.id())) {
        TreeItem<Row> it = item(m);
        want.add(it);
        relink(it, t.children(m.id()), t);
      }
    }
    ListSync.sync(parent.getChildren(), want);
  }

  private void onSelection(MountsViewModel.Selection was, MountsViewModel.Selection now) {
    // Restyle the rows paired with the old and the new selection.
    for (MountsViewModel.Selection s : new MountsViewModel.Selection[] {was, now}) {
      if (s != null && s.side() != side) {
        Integer p = vm.pair(s.side(), s.id());
        TreeItem<Row> it = p == null ? null : items.get(p);
        if (it != null) {
          it.setValue(row(vm.table(side).get(p)));
        }
      }
    }
    selecting = true;
    try {
      if (now == null || now.side() != side) {
        table.getSelectionModel().clearSelection();
        // The same mount in this tree comes into view, outlined: a leak is seen in both trees.
        Integer p = now == null ? null : vm.pair(now.side(), now.id());
        TreeItem<Row> it = p == null ? null : items.get(p);
        if (it != null) {
          reveal(it);
        }
        return;
      }
      TreeItem<Row> it = items.get(now.id());
      if (it == null) {
        return;
      }
      reveal(it);
      table.getSelectionModel().select(it);
    } finally {
      selecting = false;
    }
  }

  /** Expands {@code it}'s parents and scrolls it into view, a few rows of context above it. */
  private void reveal(TreeItem<Row> it) {
    for (TreeItem<Row> p = it.getParent(); p != null; p = p.getParent()) {
      p.setExpanded(true);
    }
    int row = table.getRow(it);
    if (row >= 0) {
      table.scrollTo(Math.max(0, row - 2));
    }
  }

  /**
   * Which columns show, and how wide, for a tree {@code width} wide: side by side on a laptop each
   * tree is narrow, so the source, options and diff word (which the row's icon, its tooltip and the
   * detail line also carry) give way first; the column menu shows any of them at any width. Only a
   * width crossing a tier changes which columns show, so a student's choice in the menu stays.
   */
  private void layoutColumns(double before, double width) {
    int tier = width < 520 ? 0 : width < 760 ? 1 : 2;
    int was = before < 520 ? 0 : before < 760 ? 1 : 2;
    double[][] shares = {
      {0.46, 0, 0.22, 0, 0.32, 0},
      {0.34, 0.16, 0.13, 0, 0.19, 0.18},
      {0.28, 0.13, 0.09, 0.22, 0.14, 0.14}
    };
    List<TreeTableColumn<Row, ?>> cols = table.getColumns();
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
      // A column shown after its rows were laid out draws its text a few pixels too high until
      // the cells are made again (seen on a window widened from 1366 to 1920 px).
      table.refresh();
    }
  }

  private TreeTableColumn<Row, String> column(String title, Function<Row, String> f) {
    TreeTableColumn<Row, String> c = new TreeTableColumn<>(title);
    c.setCellValueFactory(
        d ->
            new ReadOnlyStringWrapper(
                d.getValue() == null || d.getValue().getValue() == null
                    ? ""
                    : f.apply(d.getValue().getValue())));
    c.setSortable(false);
    return c;
  }

  /** A row styled by its mark: a pseudo-class per mark, and the mark's word in the Diff column. */
  private static final class MountRow extends TreeTableRow<Row> {
    @Override
    protected void updateItem(Row r, boolean empty) {
      super.updateItem(r, empty);
      for (Map.Entry<Mark, PseudoClass> e : MARKS.entrySet()) {
        pseudoClassStateChanged(e.getValue(), !empty && r != null && r.mark() == e.getKey());
      }
      pseudoClassStateChanged(OVERMOUNTED, !empty && r != null && r.overmounted());
      pseudoClassStateChanged(PAIRED, !empty && r != null && r.paired());
      pseudoClassStateChanged(MATCH, !empty && r != null && r.match());
      String tip = empty || r == null ? null : tooltip(r);
      if (tip == null) {
        setTooltip(null);
      } else if (getTooltip() == null || !tip.equals(getTooltip().getText())) {
        setTooltip(new Tooltip(tip));
      }
    }
  }

  /** "/proc: leaked into the host · made by step #9", or null for a plain shared mount. */
  static String tooltip(Row r) {
    List<String> parts = new ArrayList<>();
    if (!r.mark().label().isEmpty()) {
      parts.add(r.mark().label());
    }
    if (r.overmounted()) {
      parts.add("hidden by a later mount on the same point");
    }
    if (r.mount().step() != null) {
      parts.add("made by step #" + r.mount().step());
    }
    return parts.isEmpty() ? null : r.mount().mountPoint() + ": " + String.join(" · ", parts);
  }

  /**
   * The target column: the mount point, after an icon that repeats the mark (never colour alone).
   */
  private static final class TargetCell extends TreeTableCell<Row, String> {
    @Override
    protected void updateItem(String text, boolean empty) {
      super.updateItem(text, empty);
      Row r = empty || getTableRow() == null ? null : getTableRow().getItem();
      if (empty || r == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      setText(text);
      Feather icon =
          switch (r.mark()) {
            case LEAKED -> Feather.ALERT_TRIANGLE;
            case ONLY_CONTAINER -> Feather.PLUS_CIRCLE;
            case NOT_IN_CONTAINER -> Feather.EYE_OFF;
            case SHARED -> null;
          };
      if (icon == null) {
        setGraphic(null);
      } else {
        FontIcon i = new FontIcon(icon);
        i.getStyleClass().addAll("mark-icon", "mark-" + r.mark().pseudoClass());
        setGraphic(i);
      }
    }
  }
}
