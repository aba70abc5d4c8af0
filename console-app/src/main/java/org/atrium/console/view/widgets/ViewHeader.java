package org.atrium.console.view.widgets;

import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** A view's title row: title, busy spinner, then the view's buttons on the right. */
public final class ViewHeader {
    private ViewHeader() {
    }

    public static HBox of(String title, ObservableBooleanValue busy, Node... actions) {
        Label t = new Label(title);
        t.getStyleClass().add(Styles.VIEW_TITLE);
        ProgressIndicator p = new ProgressIndicator();
        p.setPrefSize(18, 18);
        p.setMaxSize(18, 18);
        if (busy != null) {
            p.visibleProperty().bind(busy);
        } else {
            p.setVisible(false);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox box = new HBox(10, t, p, spacer);
        box.getChildren().addAll(actions);
        box.getStyleClass().add(Styles.TOOLBAR);
        return box;
    }
}
