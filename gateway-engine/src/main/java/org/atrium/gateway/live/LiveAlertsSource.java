package org.atrium.gateway.live;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.atrium.gateway.admin.AlertsSource;
import org.atrium.gateway.telemetry.alert.AlertEngine;
import org.atrium.model.AlertInfo;

/**
 * The admin API's alerts ({@code GET /admin/v1/alerts?state=active|all},
 * {@code POST /admin/v1/alerts/{id}/ack}) backed by the running alert engine and the store.
 */
public final class LiveAlertsSource implements AlertsSource {
    private static final Logger LOG = Logger.getLogger(LiveAlertsSource.class.getName());
    /** Occurrences returned for {@code state=all}. */
    public static final int HISTORY_LIMIT = 500;

    private final AlertEngine engine;

    public LiveAlertsSource(AlertEngine engine) {
        this.engine = engine;
    }

    /** Active: most severe then newest first (as in the live frame); all: newest first, at most {@value #HISTORY_LIMIT}. */
    @Override
    public List<AlertInfo> alerts(boolean activeOnly) {
        return activeOnly ? engine.active() : engine.history(HISTORY_LIMIT);
    }

    @Override
    public boolean acknowledge(String id, String actor) {
        Optional<AlertInfo> acked = engine.acknowledge(id);
        acked.ifPresent(a -> LOG.info(() -> "Alert " + id + " acknowledged by " + actor));
        return acked.isPresent();
    }

    /** Active alerts (what the live frame shows). */
    public List<AlertInfo> active() {
        return engine.active();
    }

    /** Marks an active alert acknowledged; empty when no active alert has this id. */
    public Optional<AlertInfo> acknowledge(String id) {
        return engine.acknowledge(id);
    }
}
