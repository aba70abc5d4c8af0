package org.atrium.console.view.widgets;

import javafx.scene.layout.Region;
import javafx.scene.shape.Polyline;
import org.atrium.console.view.RingSeries;

/** A tiny line of the recent values, scaled to its own box; no axes, it only shows the trend. */
public final class Sparkline extends Region {
    private final RingSeries series;
    private final Polyline line = new Polyline();

    public Sparkline(RingSeries series) {
        this.series = series;
        getStyleClass().add(Styles.SPARKLINE);
        line.getStyleClass().add("sparkline-line");
        getChildren().add(line);
        setMinHeight(36);
        setPrefHeight(44);
    }

    public void refresh() {
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth() - snappedLeftInset() - snappedRightInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        int n = series.size();
        Double[] pts = new Double[n * 2];
        double max = Math.max(series.maxY(), 1e-9);
        for (int i = 0; i < n; i++) {
            double v = series.y(i);
            pts[2 * i] = snappedLeftInset() + (n == 1 ? w : w * i / (n - 1));
            pts[2 * i + 1] = snappedTopInset() + h - (Double.isNaN(v) ? 0 : h * v / max);
        }
        line.getPoints().setAll(pts);
    }
}
