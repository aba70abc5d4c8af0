package org.atrium.console.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;

/** The texts of every label, button and cell under a node, for assertions on what a user reads. */
final class UiText {
    private UiText() {
    }

    static List<String> all(Node root) {
        List<String> out = new ArrayList<>();
        for (Labeled l : labeleds(root)) {
            out.add(l.getText());
        }
        return out;
    }

    static List<Labeled> labeleds(Node root) {
        List<Labeled> out = new ArrayList<>();
        if (root instanceof Labeled l) {
            out.add(l);
        }
        if (root instanceof Parent p) {
            for (Node n : p.getChildrenUnmodifiable()) {
                out.addAll(labeleds(n));
            }
        }
        return out;
    }
}
