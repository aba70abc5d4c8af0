package org.atrium.gateway.live;

import java.util.concurrent.TimeUnit;
import org.atrium.gateway.http.DataPathService;
import org.atrium.gateway.metrics.LabelBounds;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.telemetry.live.LiveStats;

/** Feeds every finished data-path call into {@link LiveStats}, with the same tenant bounding as the metrics. */
public final class LiveStatsRecorder implements DataPathService.ExchangeListener {
    private final LiveStats stats;
    private final LabelBounds bounds;

    public LiveStatsRecorder(LiveStats stats, LabelBounds bounds) {
        this.stats = stats;
        this.bounds = bounds;
    }

    @Override
    public void completed(Exchange ex) {
        String tenant = ex.tenantId() == null ? null : bounds.tenant(ex.tenantId());
        String route = ex.route() == null ? null : ex.route().id();
        if (tenant == null && route == null) {
            return; // refused before we knew who or what: not a tenant's traffic
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ex.startNanos());
        stats.record(tenant, route, ex.backend() == null ? null : ex.backend().url(), ex.status(), ms, ex.totalTokens());
    }
}
