package org.atrium.console.view.widgets;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.layout.Pane;

/**
 * Equal cells that flow to the width: as many columns as fit cells at least as wide as the widest
 * child wants (so no child is ever cut), then every cell stretched to share the full width.
 */
public final class FlowGrid extends Pane {
    private final double gap;
    private final double minCell;

    public FlowGrid(double gap, double minCell) {
        this.gap = gap;
        this.minCell = minCell;
    }

    private double cellMin() {
        double w = minCell;
        for (Node n : getManagedChildren()) {
            w = Math.max(w, n.prefWidth(-1));
        }
        return w;
    }

    private int columns(double width) {
        int n = getManagedChildren().size();
        if (n == 0) {
            return 1;
        }
        int c = (int) Math.floor((width + gap) / (cellMin() + gap));
        return Math.max(1, Math.min(n, c));
    }

    private double rowHeight(double cellWidth) {
        double h = 0;
        for (Node n : getManagedChildren()) {
            h = Math.max(h, n.prefHeight(cellWidth));
        }
        return h;
    }

    @Override
    protected double computeMinWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + in.getRight() + cellMin();
    }

    @Override
    protected double computePrefWidth(double height) {
        Insets in = getInsets();
        int n = getManagedChildren().size();
        return in.getLeft() + in.getRight() + Math.min(n, 4) * (cellMin() + gap) - gap;
    }

    @Override
    protected double computePrefHeight(double width) {
        Insets in = getInsets();
        double w = (width < 0 ? computePrefWidth(-1) : width) - in.getLeft() - in.getRight();
        int cols = columns(w);
        double cell = (w - gap * (cols - 1)) / cols;
        int rows = (getManagedChildren().size() + cols - 1) / cols;
        return in.getTop() + in.getBottom() + rows * rowHeight(cell) + Math.max(0, rows - 1) * gap;
    }

    @Override
    protected void layoutChildren() {
        Insets in = getInsets();
        double w = getWidth() - in.getLeft() - in.getRight();
        int cols = columns(w);
        double cell = (w - gap * (cols - 1)) / cols;
        double rowH = rowHeight(cell);
        int i = 0;
        for (Node n : getManagedChildren()) {
            int r = i / cols;
            int c = i % cols;
            n.resizeRelocate(snapPositionX(in.getLeft() + c * (cell + gap)), snapPositionY(in.getTop() + r * (rowH + gap)),
                    snapSizeX(cell), snapSizeY(rowH));
            i++;
        }
    }
}
