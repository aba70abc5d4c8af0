package org.atrium.gateway.telemetry.live;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.RouteLatency;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot.TenantState;
import org.atrium.model.BackendLive;
import org.atrium.model.TenantLive;

/**
 * Rolling traffic stats per tenant, route and backend. {@link #record} is the hot path: a map
 * lookup and a few increments under the key's own lock. Readers look at complete seconds only.
 *
 * <p>Windows: rates and errors over the last complete second (what a live chart plots), latency
 * percentiles over the last {@value #LATENCY_WINDOW_SECONDS} s (one second holds too few calls),
 * the alert rules' error rate over 5 min and route p99 over 60 s. Keys idle for 10 min are
 * forgotten; at most {@code maxKeys} keys per kind, the rest counted under {@value #OTHER}.
 */
public final class LiveStats {
    public static final String OTHER = "_other";
    private static final BackendRef OVERFLOW_BACKEND = new BackendRef(OTHER, OTHER);
    static final int LATENCY_WINDOW_SECONDS = 10;
    static final int ERROR_WINDOW_SECONDS = 300;
    static final int ROUTE_P99_WINDOW_SECONDS = 60;
    static final Duration IDLE_FORGET = Duration.ofMinutes(10);

    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Window> tenants = new ConcurrentHashMap<>();
    private final Map<String, Window> routes = new ConcurrentHashMap<>();
    private final Map<BackendRef, Window> backends = new ConcurrentHashMap<>();

    public LiveStats(Clock clock) {
        this(clock, 1_000);
    }

    public LiveStats(Clock clock, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1");
        }
        this.clock = clock;
        this.maxKeys = maxKeys;
    }

    /**
     * Called by the request path when a call completes (also for rejected calls that have a tenant).
     * A status of 500 or above, or 0 for "no response", counts as an error; 4xx are the client's.
     */
    public void record(String tenant, String route, String backend, int status, long latencyMs, long tokens) {
        long sec = clock.millis() / 1000;
        boolean error = status >= 500 || status == 0;
        if (tenant != null) {
            window(tenants, tenant, OTHER).add(sec, error, latencyMs, tokens);
        }
        if (route != null) {
            window(routes, route, OTHER).add(sec, error, latencyMs, tokens);
            if (backend != null) {
                window(backends, new BackendRef(route, backend), OVERFLOW_BACKEND)
                        .add(sec, error, latencyMs, tokens);
            }
        }
    }

    private <K> Window window(Map<K, Window> map, K key, K overflow) {
        Window w = map.get(key);
        if (w != null) {
            return w;
        }
        K k = map.size() >= maxKeys ? overflow : key;
        return map.computeIfAbsent(k, x -> new Window());
    }

    private long lastCompleteSecond() {
        return clock.millis() / 1000 - 1;
    }

    /** One row per tenant seen in the last 10 minutes plus every tenant in {@code known}, sorted by id. */
    public List<TenantLive> tenants(Collection<String> known, TenantGauges gauges) {
        long to = lastCompleteSecond();
        forgetIdle(tenants, to);
        Set<String> ids = new LinkedHashSet<>(known);
        ids.addAll(tenants.keySet());
        List<TenantLive> out = new ArrayList<>();
        for (String id : ids.stream().sorted().toList()) {
            Window w = tenants.get(id);
            long[] last = w == null ? new long[3] : w.totals(to, 1);
            int[] lat = w == null ? new int[LatencyBuckets.COUNT] : w.latency(to, LATENCY_WINDOW_SECONDS);
            out.add(new TenantLive(id, last[0], last[2], LatencyBuckets.quantile(lat, 0.50),
                    LatencyBuckets.quantile(lat, 0.99), last[1], gauges.inFlight(id), gauges.queued(id),
                    gauges.quotaUsedPercent(id)));
        }
        return out;
    }

    /** One row per configured backend plus any seen recently, sorted by route then backend. */
    public List<BackendLive> backends(Collection<BackendRef> configured, BackendGauges gauges) {
        long to = lastCompleteSecond();
        forgetIdle(backends, to);
        Set<BackendRef> refs = new LinkedHashSet<>(configured);
        refs.addAll(backends.keySet());
        List<BackendLive> out = new ArrayList<>();
        List<BackendRef> sorted = refs.stream().sorted(Comparator.comparing(BackendRef::route)
                .thenComparing(BackendRef::backend)).toList();
        Map<BackendRef, Long> calls = new java.util.HashMap<>();
        Map<String, Long> routeCalls = new java.util.HashMap<>();
        for (BackendRef r : sorted) {
            Window w = backends.get(r);
            long n = w == null ? 0 : java.util.Arrays.stream(w.latency(to, LATENCY_WINDOW_SECONDS)).asLongStream().sum();
            calls.put(r, n);
            routeCalls.merge(r.route(), n, Long::sum);
        }
        for (BackendRef r : sorted) {
            Window w = backends.get(r);
            int[] lat = w == null ? new int[LatencyBuckets.COUNT] : w.latency(to, LATENCY_WINDOW_SECONDS);
            var engine = gauges.engine(r.route(), r.backend());
            long total = routeCalls.getOrDefault(r.route(), 0L);
            double tps = gauges.tokensPerSecond(r.route(), r.backend());
            out.add(new BackendLive(r.route(), r.backend(), gauges.up(r.route(), r.backend()),
                    gauges.inFlight(r.route(), r.backend()), LatencyBuckets.quantile(lat, 0.99),
                    gauges.circuit(r.route(), r.backend()),
                    engine.map(e -> e.kvCachePercent()).orElse(null),
                    engine.map(e -> e.running()).orElse(null),
                    engine.map(e -> e.waiting()).orElse(null),
                    total == 0 ? null : 100.0 * calls.get(r) / total,
                    Double.isNaN(tps) ? null : tps));
        }
        return out;
    }

    /** For the alert rules: each tenant's calls and errors over the last 5 minutes and its quota use. */
    public List<TenantState> tenantWindows(TenantGauges gauges) {
        long to = lastCompleteSecond();
        List<TenantState> out = new ArrayList<>();
        tenants.forEach((id, w) -> {
            long[] t = w.totals(to, ERROR_WINDOW_SECONDS);
            out.add(new TenantState(id, t[0], t[1], gauges.quotaUsedPercent(id)));
        });
        out.sort(Comparator.comparing(TenantState::tenant));
        return out;
    }

    /** For the alert rules: each route's p99 over the last 60 s and the calls behind it. */
    public List<RouteLatency> routeLatencies() {
        long to = lastCompleteSecond();
        List<RouteLatency> out = new ArrayList<>();
        routes.forEach((id, w) -> {
            int[] lat = w.latency(to, ROUTE_P99_WINDOW_SECONDS);
            long n = 0;
            for (int c : lat) {
                n += c;
            }
            if (n > 0) {
                out.add(new RouteLatency(id, LatencyBuckets.quantile(lat, 0.99), n));
            }
        });
        out.sort(Comparator.comparing(RouteLatency::route));
        return out;
    }

    private static <K> void forgetIdle(Map<K, Window> map, long now) {
        long limit = now - IDLE_FORGET.toSeconds();
        map.entrySet().removeIf(e -> e.getValue().lastSecond() < limit);
    }

    int keyCount() {
        return tenants.size() + routes.size() + backends.size();
    }
}
