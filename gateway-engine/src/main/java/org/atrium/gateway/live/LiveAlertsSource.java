package org.atrium.gateway.live;

import java.util.List;
import java.util.Optional;
import org.atrium.gateway.telemetry.alert.AlertEngine;
import org.atrium.model.AlertInfo;

/**
 * What the admin API's alert resources need ({@code GET /admin/v1/alerts?state=active|all},
 * {@code POST /admin/v1/alerts/{id}/ack}), backed by the running alert engine and the store.
 * Shaped to plug into the admin package's {@code AlertsSource}.
 */
public final class LiveAlertsSource {
    /** History rows returned for {@code state=all} unless the caller asks for fewer. */
    public static final int DEFAULT_LIMIT = 500;

    private final AlertEngine engine;

    public LiveAlertsSource(AlertEngine engine) {
        this.engine = engine;
    }

    /** Active alerts, most severe then newest first (what the live frame shows). */
    public List<AlertInfo> active() {
        return engine.active();
    }

    /** Active and resolved occurrences, newest first, at most {@code limit} (1 - 10000). */
    public List<AlertInfo> all(int limit) {
        return engine.history(Math.clamp(limit, 1, 10_000));
    }

    /** {@code active} or {@code all} as the query parameter says; anything else is refused. */
    public List<AlertInfo> list(String state, int limit) {
        if (state == null || state.isBlank() || state.equals("active")) {
            return active();
        }
        if (state.equals("all")) {
            return all(limit);
        }
        throw new IllegalArgumentException("state must be active or all");
    }

    /** Marks an active alert acknowledged; empty when no active alert has this id (answer 404). */
    public Optional<AlertInfo> acknowledge(String id) {
        return engine.acknowledge(id);
    }
}
