package org.glasshouse.app.cgroups;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ObservableList;
import javafx.scene.Parent;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;

/**
 * The benchmark's JavaFX-charts candidate: one {@link LineChart} per series kind, animation off, no
 * symbols, a scrolling 60 s x axis; each sample appends a point and drops the oldest.
 */
final class FxLineChartBackend implements ChartsBenchmark.Backend {
  private final List<NumberAxis> xAxes = new ArrayList<>();
  private final List<List<ObservableList<XYChart.Data<Number, Number>>>> data = new ArrayList<>();

  @Override
  public Parent build() {
    GridPane grid = grid();
    for (int s = 0; s < ChartsBenchmark.SERIES; s++) {
      NumberAxis x = new NumberAxis();
      x.setAutoRanging(false);
      x.setAnimated(false);
      x.setForceZeroInRange(false);
      x.setTickUnit(10);
      NumberAxis y = new NumberAxis();
      y.setAnimated(false);
      y.setForceZeroInRange(true);
      LineChart<Number, Number> chart = new LineChart<>(x, y);
      chart.setAnimated(false);
      chart.setCreateSymbols(false);
      chart.setLegendVisible(false);
      List<ObservableList<XYChart.Data<Number, Number>>> lines = new ArrayList<>();
      for (int c = 0; c < ChartsBenchmark.CONTAINERS; c++) {
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName("c" + c);
        chart.getData().add(series);
        lines.add(series.getData());
      }
      xAxes.add(x);
      data.add(lines);
      grid.add(chart, s % 3, s / 3);
    }
    return grid;
  }

  @Override
  public void append(double t, double[][] values) {
    int cap = ChartsBenchmark.WINDOW_SECONDS * ChartsBenchmark.HZ;
    for (int s = 0; s < values.length; s++) {
      for (int c = 0; c < values[s].length; c++) {
        ObservableList<XYChart.Data<Number, Number>> d = data.get(s).get(c);
        d.add(new XYChart.Data<>(t, values[s][c]));
        if (d.size() > cap) {
          d.remove(0);
        }
      }
      xAxes.get(s).setLowerBound(t - ChartsBenchmark.WINDOW_SECONDS);
      xAxes.get(s).setUpperBound(t);
    }
  }

  static GridPane grid() {
    GridPane grid = new GridPane();
    for (int i = 0; i < 3; i++) {
      ColumnConstraints cc = new ColumnConstraints();
      cc.setPercentWidth(100 / 3.0);
      cc.setHgrow(Priority.ALWAYS);
      grid.getColumnConstraints().add(cc);
    }
    for (int i = 0; i < 2; i++) {
      RowConstraints rc = new RowConstraints();
      rc.setPercentHeight(50);
      rc.setVgrow(Priority.ALWAYS);
      grid.getRowConstraints().add(rc);
    }
    return grid;
  }
}
