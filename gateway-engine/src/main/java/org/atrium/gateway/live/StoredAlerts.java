package org.atrium.gateway.live;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.state.StateStore;
import org.atrium.gateway.telemetry.alert.AlertStore;
import org.atrium.model.AlertInfo;

/**
 * Alerts and their history in the gateway's state store. A store that cannot be written (Redis
 * down) must not stop the alert engine, which keeps its own in-memory view: the failure is logged
 * and the occurrence is still delivered to the live feed, the log and the webhooks.
 */
public final class StoredAlerts implements AlertStore {
    private static final Logger LOG = Logger.getLogger(StoredAlerts.class.getName());
    private final StateStore store;

    public StoredAlerts(StateStore store) {
        this.store = store;
    }

    @Override
    public void save(AlertInfo alert) {
        try {
            store.putAlert(alert);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot store alert " + alert.id() + ": " + e.getMessage());
        }
    }

    @Override
    public List<AlertInfo> active() {
        try {
            return store.activeAlerts();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot read active alerts: " + e.getMessage());
            return List.of();
        }
    }

    @Override
    public List<AlertInfo> history(int limit) {
        return store.alerts(limit);
    }
}
