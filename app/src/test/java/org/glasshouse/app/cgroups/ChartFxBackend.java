package org.glasshouse.app.cgroups;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.locks.DefaultDataSetLock;
import io.fair_acc.dataset.spi.CircularDoubleErrorDataSet;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.layout.GridPane;

/**
 * The benchmark's ChartFX candidate: one {@link XYChart} per series kind drawn on a canvas, a
 * circular buffer per line (600 points = 60 s at 10 Hz), a scrolling 60 s x axis.
 */
final class ChartFxBackend implements ChartsBenchmark.Backend {
  private final List<DefaultNumericAxis> xAxes = new ArrayList<>();
  private final List<List<CircularDoubleErrorDataSet>> data = new ArrayList<>();
  private final List<Object[]> pending = new ArrayList<>();

  @Override
  public Parent build() {
    GridPane grid = FxLineChartBackend.grid();
    for (int s = 0; s < ChartsBenchmark.SERIES; s++) {
      DefaultNumericAxis x = new DefaultNumericAxis("time", "s");
      x.setAutoRanging(false);
      x.setAutoRangeRounding(false);
      x.setAnimated(false);
      DefaultNumericAxis y = new DefaultNumericAxis();
      y.setAnimated(false);
      y.setForceZeroInRange(true);
      y.setAutoRangeRounding(true);
      XYChart chart = new XYChart(x, y);
      chart.setAnimated(false);
      chart.setLegendVisible(false);
      ErrorDataSetRenderer r = new ErrorDataSetRenderer();
      r.setErrorStyle(ErrorStyle.NONE);
      r.setDrawMarker(false);
      r.setPointReduction(true);
      chart.getRenderers().setAll(r);
      List<CircularDoubleErrorDataSet> lines = new ArrayList<>();
      for (int c = 0; c < ChartsBenchmark.CONTAINERS; c++) {
        CircularDoubleErrorDataSet ds =
            new CircularDoubleErrorDataSet(
                "c" + c, ChartsBenchmark.WINDOW_SECONDS * ChartsBenchmark.HZ);
        r.getDatasets().add(ds);
        lines.add(ds);
      }
      xAxes.add(x);
      data.add(lines);
      grid.add(chart, s % 3, s / 3);
    }
    return grid;
  }

  @Override
  public void append(double t, double[][] values) {
    pending.add(new Object[] {t, values});
    // ChartFX read-locks the datasets from a layout until its drawing after it; a layout outside a
    // pulse (the stage sizing itself) holds them until the next pulse: wait for it rather than
    // block the FX thread on itself.
    for (List<CircularDoubleErrorDataSet> ls : data) {
      for (CircularDoubleErrorDataSet ds : ls) {
        if (ds.lock() instanceof DefaultDataSetLock<?> l && l.getReaderCount() > 0) {
          return;
        }
      }
    }
    for (Object[] p : pending) {
      add((double) p[0], (double[][]) p[1]);
    }
    pending.clear();
  }

  private void add(double t, double[][] values) {
    for (int s = 0; s < values.length; s++) {
      for (int c = 0; c < values[s].length; c++) {
        data.get(s).get(c).add(t, values[s][c], 0, 0);
      }
      xAxes.get(s).set(t - ChartsBenchmark.WINDOW_SECONDS, t);
    }
  }
}
