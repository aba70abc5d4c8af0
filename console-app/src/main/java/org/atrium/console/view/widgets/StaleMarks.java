package org.atrium.console.view.widgets;

import java.time.Instant;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableObjectValue;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;

/**
 * Marks what is not live: the {@code :stale} pseudo-class on a node (CSS dims it) and a note saying
 * "no data since 08:00:00" that shows only then. Nothing looks live that is not.
 */
public final class StaleMarks {
    public static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    public static final String NOTE = "stale-note";

    private StaleMarks() {
    }

    /** Applies the mark to {@code node} while {@code stale}; returns a note label to place in it. */
    public static Label apply(Node node, ObservableBooleanValue stale, ObservableObjectValue<Instant> since,
                              Messages m, Formats f) {
        Label note = new Label();
        note.getStyleClass().add(NOTE);
        note.setWrapText(true);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        note.textProperty().bind(Bindings.createStringBinding(() -> text(since.get(), m, f), since, stale));
        note.visibleProperty().bind(stale);
        note.managedProperty().bind(stale);
        Runnable mark = () -> node.pseudoClassStateChanged(STALE, stale.get());
        stale.addListener((o, a, b) -> mark.run());
        mark.run();
        return note;
    }

    /** "No data since 08:00:00", or "No data yet". */
    public static String text(Instant since, Messages m, Formats f) {
        return since == null ? m.get("stale.never") : m.get("stale.since", f.time(since));
    }
}
