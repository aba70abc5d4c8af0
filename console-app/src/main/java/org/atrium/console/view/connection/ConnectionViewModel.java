package org.atrium.console.view.connection;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.atrium.console.client.AdminClient;
import org.atrium.console.client.ConnectionState;
import org.atrium.console.view.Async;
import org.atrium.console.view.GatewayClock;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.Problem;
import org.atrium.model.GatewayStatus;

/** Which gateway the console talks to and whether it answers; always shown in the status bar. */
public final class ConnectionViewModel {
    private final AdminClient client;
    private final Async.Tracker tracker;
    private final LiveHub hub;
    private final StringProperty address = new SimpleStringProperty();
    private final StringProperty startup = new SimpleStringProperty();
    private final ObjectProperty<GatewayStatus> status = new SimpleObjectProperty<>();

    private final GatewayClock clock;

    public ConnectionViewModel(AdminClient client, Async async, LiveHub hub, String address, GatewayClock clock) {
        this.client = client;
        this.clock = clock;
        this.tracker = async.tracker();
        this.hub = hub;
        this.address.set(address);
        hub.stateProperty().addListener((o, a, b) -> {
            if (b == ConnectionState.CONNECTED) {
                refreshStatus();
            }
        });
    }

    public void refreshStatus() {
        tracker.run(client::status, st -> {
            status.set(st);
            clock.useGatewayZone(st == null ? null : st.quotaZone());
        }, p -> {
            status.set(null);
            tracker.problemProperty().set(p);
        });
    }

    public ObjectProperty<ConnectionState> stateProperty() { return hub.stateProperty(); }
    public StringProperty detailProperty() { return hub.detailProperty(); }
    public StringProperty addressProperty() { return address; }
    /** A message from start-up (e.g. "starting the local gateway…"); null when nothing to say. */
    public StringProperty startupProperty() { return startup; }
    public ObjectProperty<GatewayStatus> statusProperty() { return status; }

    /**
     * True when the gateway says this token may only read (an auditor's): the views disable every
     * button that would change something, instead of letting the gateway answer 403 afterwards.
     */
    public javafx.beans.binding.BooleanBinding readOnlyProperty() {
        return readOnly;
    }

    private final javafx.beans.binding.BooleanBinding readOnly = javafx.beans.binding.Bindings.createBooleanBinding(
            () -> status.get() != null && "auditor".equals(status.get().role()), status);
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
