package org.atrium.console.view.widgets;

import javafx.scene.layout.Region;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import org.atrium.console.view.RingSeries;

/** A tiny line of the recent values, scaled to its own box; no axes, it only shows the trend. A NaN (no data) breaks the line. */
public final class Sparkline extends Region {
    private final RingSeries series;
    private final Path line = new Path();

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
        java.util.List<PathElement> out = new java.util.ArrayList<>(n);
        double max = Math.max(series.maxY(), 1e-9);
        double x0 = n == 0 ? 0 : series.x(0);
        double span = n < 2 ? 1 : Math.max(series.x(n - 1) - x0, 1e-9);
        boolean pen = false;
        for (int i = 0; i < n; i++) {
            double v = series.y(i);
            if (Double.isNaN(v)) {
                pen = false;
                continue;
            }
            double px = snappedLeftInset() + (n == 1 ? w : w * (series.x(i) - x0) / span);
            double py = snappedTopInset() + h - h * v / max;
            out.add(pen ? new LineTo(px, py) : new MoveTo(px, py));
            pen = true;
        }
        line.getElements().setAll(out);
    }
}
