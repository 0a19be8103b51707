package org.glasshouse.app.namespaces;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Inside vs outside: the container's facts next to the host's, one row each; a row whose sides
 * differ is {@code :differs} (the container has its own), equal rows are shared with the host.
 */
public final class InsideOutsideView {
  private static final PseudoClass DIFFERS = PseudoClass.getPseudoClass("differs");
  private final VBox root = new VBox();

  public InsideOutsideView(InsideOutsideViewModel vm) {
    root.getStyleClass().add("inside-outside");
    Label note = new Label();
    note.setId("inside-note");
    note.getStyleClass().add("pane-note");
    note.setWrapText(true);
    note.textProperty().bind(vm.noteProperty());
    TableView<Comparison> table = new TableView<>(vm.rows());
    table.setId("inside-outside");
    table.getStyleClass().add("dense");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("Nothing to compare yet."));
    TableColumn<Comparison, String> what = column("", c -> c.label(), 110);
    TableColumn<Comparison, String> host = column("Host", c -> dash(c.host()), 230);
    TableColumn<Comparison, String> inside = column("Container", c -> dash(c.container()), 230);
    what.getStyleClass().add("what-column");
    table.getColumns().add(what);
    table.getColumns().add(host);
    table.getColumns().add(inside);
    table.setRowFactory(
        t ->
            new TableRow<>() {
              @Override
              protected void updateItem(Comparison c, boolean empty) {
                super.updateItem(c, empty);
                pseudoClassStateChanged(DIFFERS, !empty && c != null && c.differs());
                getStyleClass().removeIf(s -> s.startsWith("section-"));
                if (!empty && c != null) {
                  getStyleClass().add("section-" + c.section());
                }
              }
            });
    Label legend = new Label("Highlighted rows differ from the host: the container has its own.");
    legend.getStyleClass().add("legend");
    VBox.setVgrow(table, Priority.ALWAYS);
    root.getChildren().addAll(note, table, legend);
  }

  public VBox node() {
    return root;
  }

  private static String dash(String s) {
    return s == null ? "—" : s;
  }

  private static TableColumn<Comparison, String> column(
      String title, java.util.function.Function<Comparison, String> f, double width) {
    TableColumn<Comparison, String> c = new TableColumn<>(title);
    c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
    c.setPrefWidth(width);
    c.setSortable(false);
    return c;
  }
}
