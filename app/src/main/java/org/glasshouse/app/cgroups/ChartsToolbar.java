package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The charts' toolbar: one resource or all (toggles that follow the view-model both ways), the
 * window's length and state, zoom, pause and live.
 */
final class ChartsToolbar {
  private ChartsToolbar() {}

  /**
   * @param vm the charts
   * @param window the label that says which window is shown (the view writes it)
   */
  static HBox build(CgroupChartsViewModel vm, Label window) {
    ToggleGroup group = new ToggleGroup();
    List<Node> items = new ArrayList<>();
    for (Resource r : Resource.values()) {
      ToggleButton b = new ToggleButton(r.title());
      b.setId("charts-" + r.name().toLowerCase(java.util.Locale.ROOT));
      b.setUserData(r);
      b.setToggleGroup(group);
      b.getStyleClass().add("resource-toggle");
      b.setMinWidth(Region.USE_PREF_SIZE);
      items.add(b);
    }
    ToggleButton all = new ToggleButton("All");
    all.setId("charts-all");
    all.setToggleGroup(group);
    all.getStyleClass().add("resource-toggle");
    all.setMinWidth(Region.USE_PREF_SIZE);
    items.add(all);
    Runnable sync =
        () -> {
          for (Toggle t : group.getToggles()) {
            t.setSelected(
                vm.allResourcesProperty().get()
                    ? t == all
                    : t.getUserData() == vm.resourceProperty().get());
          }
        };
    group
        .selectedToggleProperty()
        .addListener(
            (o, a, b) -> {
              if (b == null) {
                sync.run();
              } else if (b == all) {
                vm.allResourcesProperty().set(true);
              } else {
                vm.resourceProperty().set((Resource) b.getUserData());
                vm.allResourcesProperty().set(false);
              }
            });
    vm.allResourcesProperty().addListener((o, a, b) -> sync.run());
    vm.resourceProperty().addListener((o, a, b) -> sync.run());
    sync.run();

    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    Button narrower = iconButton(Feather.ZOOM_IN, "Shorter window (mouse wheel up)", "zoom-in");
    narrower.setOnAction(e -> vm.zoom(-1));
    Button wider = iconButton(Feather.ZOOM_OUT, "Longer window, up to 10 minutes", "zoom-out");
    wider.setOnAction(e -> vm.zoom(1));
    window.getStyleClass().add("window-label");
    window.setMinWidth(0);
    window.setId("charts-window");
    ToggleButton pause = new ToggleButton("Pause", new FontIcon(Feather.PAUSE));
    pause.setId("charts-pause");
    pause.getStyleClass().add("charts-action");
    pause.selectedProperty().bindBidirectional(vm.pausedProperty());
    pause.setTooltip(
        new Tooltip("Stop the window (samples keep coming); drag a chart to look back"));
    Button live = new Button("Live", new FontIcon(Feather.SKIP_FORWARD));
    live.setId("charts-live");
    live.getStyleClass().add("charts-action");
    live.setTooltip(new Tooltip("Back to the last seconds, moving"));
    live.setOnAction(e -> vm.live());
    items.addAll(List.of(spacer, window, narrower, wider, pause, live));
    HBox bar = new HBox(6, items.toArray(Node[]::new));
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("charts-toolbar");
    return bar;
  }

  private static Button iconButton(Feather icon, String tip, String id) {
    Button b = new Button(null, new FontIcon(icon));
    b.getStyleClass().addAll("flat", "button-icon");
    b.setTooltip(new Tooltip(tip));
    b.setId("charts-" + id);
    return b;
  }
}
