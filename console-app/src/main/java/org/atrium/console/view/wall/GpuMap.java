package org.atrium.console.view.wall;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.wall.WallViewModel.GpuCell;
import org.atrium.console.view.widgets.Palette;

/**
 * Every GPU as a tile in one grid that fills its box, however many there are (up to 64 on a
 * 1366 × 768 wall): the grid shape and the type size are chosen so every tile's text fits whole and
 * is never smaller than {@link #minFontProperty()}. Tiles are coloured by load; alerting ones by
 * severity (and the view model puts them first).
 */
final class GpuMap extends Pane {
    private static final double GAP = 6;
    private static final double LINES = 3.2;   // three lines, the middle one larger
    private static final double PAD = 0.7;     // padding in em, both sides together
    private static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");

    private final Messages m;
    private final Formats f;
    private final DoubleProperty minFont = new SimpleDoubleProperty(12);
    private final DoubleProperty maxFont = new SimpleDoubleProperty(28);
    private final List<Tile> tiles = new ArrayList<>();
    private final Text probe = new Text();
    private double font = -1;

    GpuMap(Messages m, Formats f) {
        this.m = m;
        this.f = f;
        getStyleClass().add("gpu-map");
        setMinSize(0, 0);
        minFont.addListener((o, a, b) -> requestLayout());
        maxFont.addListener((o, a, b) -> requestLayout());
    }

    /** No text on the wall is smaller than this (px); set from the screen height. */
    DoubleProperty minFontProperty() {
        return minFont;
    }

    DoubleProperty maxFontProperty() {
        return maxFont;
    }

    void show(List<GpuCell> cells) {
        while (tiles.size() < cells.size()) {
            Tile t = new Tile();
            tiles.add(t);
            getChildren().add(t);
        }
        while (tiles.size() > cells.size()) {
            getChildren().remove(tiles.remove(tiles.size() - 1));
        }
        for (int i = 0; i < cells.size(); i++) {
            tiles.get(i).show(cells.get(i));
        }
        requestLayout();
    }

    List<? extends Node> tiles() {
        return tiles;
    }

    @Override
    protected void layoutChildren() {
        int n = tiles.size();
        if (n == 0) {
            return;
        }
        double w = getWidth() - snappedLeftInset() - snappedRightInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        // widest line in em at 1 px, measured once per layout
        double em = 0;
        for (Tile t : tiles) {
            em = Math.max(em, t.widestEm());
        }
        int bestCols = 1;
        double bestFont = 0;
        for (int cols = 1; cols <= n; cols++) {
            int rows = (n + cols - 1) / cols;
            double cw = (w - GAP * (cols - 1)) / cols;
            double ch = (h - GAP * (rows - 1)) / rows;
            double size = Math.min(ch / (LINES * 1.3 + PAD), cw / (em + PAD + 0.4));
            if (size > bestFont) {
                bestFont = size;
                bestCols = cols;
            }
        }
        double size = Math.floor(Math.max(minFont.get(), Math.min(maxFont.get(), bestFont)) * 10) / 10;
        if (size != font) {
            font = size;
            for (Tile t : tiles) {
                t.fontPx = size;
                t.restyle();
            }
        }
        int cols = bestCols;
        int rows = (n + cols - 1) / cols;
        double cw = (w - GAP * (cols - 1)) / cols;
        double ch = Math.min((h - GAP * (rows - 1)) / rows, cw * 0.9);
        for (int i = 0; i < n; i++) {
            int r = i / cols;
            int c = i % cols;
            tiles.get(i).resizeRelocate(snapPositionX(snappedLeftInset() + c * (cw + GAP)),
                    snapPositionY(snappedTopInset() + r * (ch + GAP)), snapSizeX(cw), snapSizeY(ch));
        }
    }

    /** One GPU: "gpu-a · 3", "78 %  71 °C", "41/80 GiB". */
    final class Tile extends VBox {
        private final Label name = new Label();
        private final Label load = new Label();
        private final Label memory = new Label();
        private String severityClass;
        private double fontPx = -1;
        private String heat = "";

        Tile() {
            getStyleClass().add("gpu-tile");
            name.getStyleClass().add("gpu-name");
            load.getStyleClass().add("gpu-load");
            memory.getStyleClass().add("gpu-memory");
            getChildren().addAll(name, load, memory);
            setAlignment(Pos.CENTER_LEFT);
            setMinSize(0, 0);
        }

        void show(GpuCell g) {
            setId("wall-gpu-" + g.node() + "-" + g.index());
            name.setText(g.node() + " · " + g.index());
            if (g.stale()) {
                load.setText(m.get("wall.gpuStale"));
                memory.setText("–");
            } else {
                load.setText(f.whole(nz(g.utilPercent()), "%") + "  " + f.whole(nz(g.temperatureC()), "°C"));
                memory.setText(f.whole(nz(g.memoryUsedGiB()), "/") + " " + f.whole(nz(g.memoryTotalGiB()), m.get("unit.gib")));
            }
            pseudoClassStateChanged(STALE, g.stale());
            if (severityClass != null) {
                getStyleClass().remove(severityClass);
            }
            severityClass = g.severity() == null ? null : Palette.severityClass(g.severity());
            if (severityClass != null) {
                getStyleClass().add(severityClass);
            }
            // heat map: the busier, the brighter the tile (alerting tiles take their severity colour in CSS)
            double u = g.utilPercent() == null || g.stale() ? 0 : Math.max(0, Math.min(100, g.utilPercent())) / 100;
            heat = String.format(java.util.Locale.ROOT, "-gpu-heat: rgba(47, 180, 198, %.2f);", 0.12 + 0.5 * u);
            if (fontPx < 0 && font > 0) {
                fontPx = font;
            }
            restyle();
        }

        void restyle() {
            setStyle(heat + (fontPx > 0 ? "-fx-font-size: " + fontPx + "px;" : ""));
        }

        /** Widest line in em (at 1 px font): what the tile needs across. */
        double widestEm() {
            double wmax = 0;
            for (Label l : List.of(name, load, memory)) {
                probe.setText(l.getText());
                probe.setFont(Font.font(l.getFont().getFamily(), 100));
                wmax = Math.max(wmax, probe.getLayoutBounds().getWidth() / 100 * (l == load ? 1.3 : 1.05));
            }
            return wmax;
        }

        private double nz(Double d) {
            return d == null ? Double.NaN : d;
        }
    }
}
