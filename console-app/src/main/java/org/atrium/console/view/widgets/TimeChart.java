package org.atrium.console.view.widgets;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.List;
import org.atrium.console.view.RingSeries;

/**
 * A ChartFX line chart over time fed from ring buffers. {@link #refresh()} copies the (bounded)
 * buffers into fresh data sets, so the chart never holds more than the buffers do.
 *
 * <p>Why fresh data sets: ChartFX 11.3.1 read-locks a chart's data sets in its pre-layout hook and,
 * with JavaFX 25, does not always release them, so a later {@code DoubleDataSet.set(...)} on the FX
 * thread blocks forever. A new data set per refresh (once a second, bounded size) never waits.
 */
public final class TimeChart {
    private final XYChart chart;
    private final List<RingSeries> series = new ArrayList<>();
    private final List<DoubleDataSet> sets = new ArrayList<>();

    public TimeChart(String title, String unit, Double fixedMax) {
        DefaultNumericAxis x = new DefaultNumericAxis();
        x.setName(null);
        x.setUnit(null);
        x.setTimeAxis(true);
        x.setAutoRangeRounding(false);
        x.setAutoRangePadding(0);
        DefaultNumericAxis y = new DefaultNumericAxis();
        y.setName(unit);
        y.setUnit(null);
        y.setForceZeroInRange(true);
        y.setAutoUnitScaling(true);
        if (fixedMax != null) {
            y.setAutoRanging(false);
            y.setMin(0);
            y.setMax(fixedMax);
        } else {
            y.setAutoRangeRounding(true);
        }
        chart = new XYChart(x, y);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setLegendVisible(true);
        chart.getStyleClass().add("time-chart");
        chart.setMinHeight(160);
        chart.setPrefHeight(200);
        chart.getRenderers().stream().filter(ErrorDataSetRenderer.class::isInstance)
                .map(ErrorDataSetRenderer.class::cast)
                .forEach(r -> {
                    r.setErrorStyle(ErrorStyle.NONE);
                    r.setDrawMarker(false);
                });
    }

    public TimeChart add(String name, RingSeries s) {
        DoubleDataSet ds = new DoubleDataSet(name, 0);
        series.add(s);
        sets.add(ds);
        chart.getDatasets().add(ds);
        return this;
    }

    public XYChart chart() {
        return chart;
    }

    /** Points currently shown by the first series (for tests). */
    public int points() {
        return sets.isEmpty() ? 0 : sets.get(0).getDataCount();
    }

    public void refresh() {
        for (int k = 0; k < series.size(); k++) {
            RingSeries s = series.get(k);
            int n = s.size();
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = s.x(i);
                ys[i] = s.y(i);
            }
            DoubleDataSet fresh = new DoubleDataSet(sets.get(k).getName(), xs, ys, n, false);
            sets.set(k, fresh);
            chart.getDatasets().set(k, fresh);
        }
    }
}
