package org.atrium.console.view.widgets;

import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.atrium.console.view.RingSeries;

/** A dashboard tile: one big number, its name, and a sparkline of its recent history. */
public final class Tile extends VBox {
    private final Sparkline spark;

    public Tile(String name, ObservableStringValue value, RingSeries history) {
        getStyleClass().add(Styles.TILE);
        Label v = new Label();
        v.textProperty().bind(value);
        v.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // a figure is never cut to "…"
        v.getStyleClass().add(Styles.TILE_VALUE);
        Label l = new Label(name);
        l.getStyleClass().add(Styles.TILE_LABEL);
        spark = new Sparkline(history);
        getChildren().addAll(l, v, spark);
        // in a tile taller than its text (the wall) the trend line takes the room
        setVgrow(spark, javafx.scene.layout.Priority.ALWAYS);
        spark.setMaxHeight(Double.MAX_VALUE);
    }

    /** Adds a note at the bottom (e.g. "no data since …"); the tile keeps its size class. */
    public void addNote(Label note) {
        getChildren().add(note);
    }

    public void refresh() {
        spark.refresh();
    }
}
