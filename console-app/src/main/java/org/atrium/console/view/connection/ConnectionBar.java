package org.atrium.console.view.connection;

import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Circle;
import org.atrium.console.client.ConnectionState;
import org.atrium.console.view.Messages;
import org.atrium.console.view.widgets.Styles;

/** The always-visible connection indicator: a coloured dot, the state in words, the gateway address. */
public final class ConnectionBar extends HBox {
    public ConnectionBar(ConnectionViewModel vm, Messages m, boolean compact) {
        super(8);
        getStyleClass().add("connection-bar");
        getStylesheets().add(Styles.of(ConnectionBar.class, "connection.css"));
        Circle dot = new Circle(6);
        dot.getStyleClass().add("connection-dot");
        Label state = new Label();
        state.setId("connection-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> {
            ConnectionState s = vm.stateProperty().get();
            String text = m.get("connection." + s.name().toLowerCase(java.util.Locale.ROOT));
            String startup = vm.startupProperty().get();
            if (startup != null && s != ConnectionState.CONNECTED) {
                return startup;
            }
            String detail = m.reason(vm.detailProperty().get());
            return detail == null || compact || s == ConnectionState.CONNECTED ? text : text + " — " + detail;
        }, vm.stateProperty(), vm.detailProperty(), vm.startupProperty()));
        Label address = new Label();
        address.getStyleClass().add(Styles.MUTED);
        address.textProperty().bind(Bindings.createStringBinding(() -> {
            var st = vm.statusProperty().get();
            String who = st == null || st.actor() == null ? "" : "  ·  " + m.get("connection.signedIn", st.actor(),
                    m.get("role." + st.role()));
            return vm.addressProperty().get() + who + (st == null ? "" : "  ·  " + m.get("connection.version", st.version(),
                    st.nodeId(), st.stateBackend()));
        }, vm.addressProperty(), vm.statusProperty()));
        getChildren().addAll(dot, state);
        if (!compact) {
            getChildren().add(address);
        }
        Runnable update = () -> {
            ConnectionState s = vm.stateProperty().get();
            for (ConnectionState c : ConnectionState.values()) {
                pseudoClassStateChanged(PseudoClass.getPseudoClass(c.name().toLowerCase(java.util.Locale.ROOT)), c == s);
            }
        };
        vm.stateProperty().addListener((o, a, b) -> update.run());
        update.run();
    }
}
