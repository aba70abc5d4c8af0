package org.atrium.console.view.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.view.LiveHub;
import org.atrium.console.view.RingSeries;
import org.atrium.model.LiveFrame;
import org.atrium.model.TenantLive;

/** Per-tenant live traffic: requests/s, tokens/s, p99 latency and queue, in ring buffers. */
public final class LiveViewModel {
    public enum Metric { REQUESTS, TOKENS, P99, QUEUE }

    private final int capacity;
    private final Map<String, TenantHistory> byTenant = new HashMap<>();
    private final ObservableList<TenantHistory> tenants = FXCollections.observableArrayList();
    private final LongProperty revision = new SimpleLongProperty();

    public LiveViewModel(LiveHub hub, int capacity) {
        this.capacity = capacity;
        this.hub = hub;
        hub.addSink(this::accept);
    }

    private final LiveHub hub;

    /** True when the charts are not live (feed down or silent). */
    public javafx.beans.property.ReadOnlyBooleanProperty staleProperty() {
        return hub.staleProperty();
    }

    /** The gateway's time of the newest data shown. */
    public javafx.beans.property.ObjectProperty<java.time.Instant> lastDataProperty() {
        return hub.lastDataProperty();
    }

    void accept(List<LiveFrame> frames) {
        for (LiveFrame f : frames) {
            double t = f.at() == null ? 0 : f.at().getEpochSecond();
            for (TenantLive tl : f.tenants()) {
                TenantHistory h = byTenant.computeIfAbsent(tl.tenant(), id -> {
                    TenantHistory n = new TenantHistory(id, capacity);
                    tenants.add(n);
                    FXCollections.sort(tenants, (a, b) -> a.tenant().compareTo(b.tenant()));
                    return n;
                });
                h.series(Metric.REQUESTS).add(t, tl.requestsPerSec());
                h.series(Metric.TOKENS).add(t, tl.tokensPerSec());
                h.series(Metric.P99).add(t, tl.p99Ms());
                h.series(Metric.QUEUE).add(t, tl.queued());
            }
        }
        revision.set(revision.get() + 1);
    }

    public ObservableList<TenantHistory> tenants() {
        return tenants;
    }

    public LongProperty revisionProperty() {
        return revision;
    }

    public static final class TenantHistory {
        private final String tenant;
        private final Map<Metric, RingSeries> series = new java.util.EnumMap<>(Metric.class);

        TenantHistory(String tenant, int capacity) {
            this.tenant = tenant;
            for (Metric m : Metric.values()) {
                series.put(m, new RingSeries(capacity));
            }
        }

        public String tenant() {
            return tenant;
        }

        public RingSeries series(Metric m) {
            return series.get(m);
        }
    }
}
