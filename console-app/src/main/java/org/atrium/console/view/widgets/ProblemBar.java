package org.atrium.console.view.widgets;

import javafx.beans.property.ObjectProperty;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.atrium.console.view.Messages;
import org.atrium.console.view.Problem;

/** Shows a command's failure in plain words with its code; hidden while there is none. */
public final class ProblemBar extends HBox {
    public ProblemBar(ObjectProperty<Problem> problem, Messages m) {
        getStyleClass().add(Styles.PROBLEM);
        Label text = new Label();
        text.setWrapText(true);
        text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // the whole error, never cut to "…"
        text.setId("problem-text");
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMaxWidth(Double.MAX_VALUE);
        Button close = new Button(m.get("action.dismiss"));
        close.setOnAction(e -> problem.set(null));
        close.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        getChildren().addAll(text, close);
        Runnable update = () -> {
            Problem p = problem.get();
            setVisible(p != null);
            setManaged(p != null);
            text.setText(p == null ? "" : m.describe(p));
        };
        problem.addListener((o, a, b) -> update.run());
        update.run();
    }
}
