package org.atrium.console.view.wall;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

/** The wall screen's rotation: which panel shows now. The view's timer calls {@link #advance()}. */
public final class WallViewModel {
    private final int panels;
    private final IntegerProperty panel = new SimpleIntegerProperty();

    public WallViewModel(int panels) {
        if (panels < 1) {
            throw new IllegalArgumentException("panels must be >= 1");
        }
        this.panels = panels;
    }

    public void advance() {
        panel.set((panel.get() + 1) % panels);
    }

    public IntegerProperty panelProperty() {
        return panel;
    }

    public int panels() {
        return panels;
    }
}
