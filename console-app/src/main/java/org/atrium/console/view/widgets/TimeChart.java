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
    private final List<String> styles = new ArrayList<>();
    private final DefaultNumericAxis x;

    public TimeChart(String title, String unit, Double fixedMax) {
        x = new DefaultNumericAxis();
        x.setName(null);
        x.setUnit(null);
        x.setTimeAxis(true);
        x.setAutoRangeRounding(false);
        x.setAutoRangePadding(0);
        DefaultNumericAxis y = new DefaultNumericAxis();
        y.setName(unit);
        y.setUnit(null);
        y.setForceZeroInRange(true);
        // the unit stays what it says ("ms", not "ms [k]"): the tick labels carry the magnitude
        y.setAutoUnitScaling(false);
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
                    r.setAllowNaNs(true); // a NaN is a gap in time: the line breaks there
                });
    }

    /**
     * Shows the time axis in one zone and says which ("Time (Asia/Shanghai)"), the zone every table
     * and the wall use too. ChartFX formats time with a fixed offset: the zone's offset now.
     */
    public TimeChart inZone(String label, java.time.ZoneId zone) {
        x.setName(label);
        if (x.getAxisLabelFormatter() instanceof io.fair_acc.chartfx.axes.spi.format.DefaultTimeFormatter t) {
            t.setTimeZoneOffset(zone.getRules().getOffset(java.time.Instant.now()));
        }
        return this;
    }

    public TimeChart add(String name, RingSeries s) {
        return add(name, s, null);
    }

    /** @param color the line's colour ("#4e79a7"), e.g. the department's from {@link Palette}; null for the default */
    public TimeChart add(String name, RingSeries s, String color) {
        DoubleDataSet ds = new DoubleDataSet(name, 0);
        String style = color == null ? null : "-fx-line-color: " + color + "; -fx-marker-color: " + color + "; -fx-line-width: 2;";
        ds.setStyle(style);
        styles.add(style);
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
            fresh.setStyle(styles.get(k));
            sets.set(k, fresh);
            chart.getDatasets().set(k, fresh);
        }
    }
}
