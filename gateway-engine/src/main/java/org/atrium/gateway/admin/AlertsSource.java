package org.atrium.gateway.admin;

import java.util.List;
import org.atrium.model.AlertInfo;

/** The alert engine as the admin API sees it (built by telemetry); {@link #NONE} until it is wired. */
public interface AlertsSource {
    /** No alert engine: no alerts, nothing to acknowledge. */
    AlertsSource NONE = new AlertsSource() {
        @Override
        public List<AlertInfo> alerts(boolean activeOnly) {
            return List.of();
        }

        @Override
        public boolean acknowledge(String id, String actor) {
            return false;
        }
    };

    /** Alerts, newest first; only unresolved ones when {@code activeOnly}. */
    List<AlertInfo> alerts(boolean activeOnly);

    /** Marks an alert acknowledged by {@code actor}; false when the id is unknown. */
    boolean acknowledge(String id, String actor);
}
