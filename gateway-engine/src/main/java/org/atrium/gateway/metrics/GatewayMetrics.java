package org.atrium.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import org.atrium.gateway.http.DataPathService;
import org.atrium.gateway.pipeline.Exchange;
import org.atrium.gateway.route.Backend;
import org.atrium.gateway.route.Decision;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.route.RouteTable;
import org.atrium.gateway.telemetry.live.TenantGauges;

/**
 * The gateway's Prometheus series. Counters and histograms are recorded when a data-path call
 * completes; backend and tenant gauges are read from their owners when scraped. See
 * {@code docs/telemetry.md} for the list.
 */
public final class GatewayMetrics implements DataPathService.ExchangeListener {
    private final BackendCircuit circuits;
    /** Request latency buckets: LLM calls take from a fraction of a second to minutes. */
    static final Duration[] LATENCY_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
    /** Time-to-first-token buckets: what a chat user feels as "it is thinking". */
    static final Duration[] TTFT_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30);
    private static final Set<String> LIMIT_CODES = Set.of("RATE_LIMITED", "QUOTA_EXCEEDED", "QUEUE_FULL", "QUEUE_TIMEOUT");
    private static final Set<String> BAN_CODES = Set.of("BLACKLISTED", "USER_BLACKLISTED", "TENANT_DISABLED");
    private static final Set<String> CACHE_RESULTS = Set.of("hit", "miss", "bypass", "stale");
    private static final List<String> CIRCUIT_STATES = List.of("closed", "open", "half_open");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LabelBounds bounds;
    private final RouteRegistry routes;
    private final Supplier<? extends Collection<String>> tenants;
    private final TenantGauges tenantGauges;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Meters by name + label values: a plain key, because Micrometer's {@code Tags} sorts on every build (hot path). */
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

    private record MeterKey(String name, List<String> tags) {
    }

    /** Route ids and backend URLs of one route table, made once per table instead of listed on every call. */
    private record TableLabels(RouteTable table, Set<String> routes, Set<String> backends) {
    }

    private volatile TableLabels tableLabels = new TableLabels(null, Set.of(), Set.of());
    /** The meters every successful call records, by tenant and route label (see {@link CallMeters}). */
    private final Map<String, Map<String, CallMeters>> callMeters = new ConcurrentHashMap<>();
    private final GaugeSet gauges = new GaugeSet();

    /**
     * @param tenants      known tenant ids (besides {@code default}), read per call: pass a cheap view
     * @param tenantGauges per-tenant in-flight/queued/quota from traffic control; {@link TenantGauges#NONE}
     *                     leaves the tenant gauges out rather than showing zeros
     */
    public GatewayMetrics(RouteRegistry routes, Supplier<? extends Collection<String>> tenants, TenantGauges tenantGauges,
                          BackendCircuit circuits) {
        this.circuits = circuits;
        this.routes = routes;
        this.tenants = tenants;
        this.tenantGauges = tenantGauges;
        this.bounds = new LabelBounds(tenants, () -> tableLabels().routes(), () -> tableLabels().backends());
        Gauge.builder("atrium.in.flight.requests", inFlight, AtomicInteger::get)
                .description("Data-path calls being handled now (queued or at a backend)")
                .register(registry);
    }

    public LabelBounds bounds() {
        return bounds;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void started(Exchange exchange) {
        inFlight.incrementAndGet();
    }

    @Override
    public void completed(Exchange ex) {
        inFlight.updateAndGet(n -> Math.max(0, n - 1));
        String tenant = bounds.tenant(ex.tenantId());
        String route = bounds.route(ex.route() == null ? null : ex.route().id());
        String code = LabelBounds.code(ex.errorCode());
        long now = System.nanoTime();
        CallMeters m = callMeters(tenant, route);
        int statusClass = statusClass(ex.status());

        if (ex.errorCode() == null) {
            m.requests(statusClass).increment();
        } else {
            counter("atrium.requests", REQUESTS_HELP, "tenant", tenant, "route", route, "status",
                    LabelBounds.statusClass(ex.status()), "code", code).increment();
        }
        if (ex.errorCode() != null || ex.status() >= 500) {
            counter("atrium.errors", "Failed calls by error code", "tenant", tenant, "route", route, "code", code)
                    .increment();
        }
        if (LIMIT_CODES.contains(code)) {
            counter("atrium.limit.hits", "Calls refused by a rate limit, quota or the admission queue",
                    "tenant", tenant, "route", route, "code", code).increment();
        }
        if (BAN_CODES.contains(code)) {
            counter("atrium.ban.hits", "Calls refused by a ban or a disabled tenant", "tenant", tenant, "code", code)
                    .increment();
        }
        m.duration.record(now - ex.startNanos(), TimeUnit.NANOSECONDS);
        if (ex.firstByteNanos() > 0) {
            m.ttft().record(ex.firstByteNanos() - ex.startNanos(), TimeUnit.NANOSECONDS);
        }
        if (ex.promptTokens() > 0) {
            m.tokens(0).increment(ex.promptTokens());
        }
        if (ex.completionTokens() > 0) {
            m.tokens(1).increment(ex.completionTokens());
        }
        if (ex.cacheStatus() != null) {
            String result = ex.cacheStatus().toLowerCase(Locale.ROOT);
            counter("atrium.cache.requests", "Response cache lookups by result", "tenant", tenant, "route", route,
                    "result", CACHE_RESULTS.contains(result) ? result : LabelBounds.OTHER).increment();
        }
        if (ex.backend() != null) {
            m.backendRequests(bounds.backend(ex.backend().url()), statusClass).increment();
        }
        if (ex.pick() != null) {
            m.decision(ex.pick()).increment();
        }
    }

    private static final String REQUESTS_HELP = "Data-path calls by tenant, route, status class and error code";
    private static final String TOKENS_HELP = "Tokens counted from the backends' usage";
    private static final String[] TOKEN_TYPES = {"prompt", "completion"};
    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

    /** Index into {@link #STATUS_CLASSES}, as {@link LabelBounds#statusClass} names it. */
    private static int statusClass(int status) {
        return status < 100 || status > 599 ? 0 : status / 100;
    }

    private TableLabels tableLabels() {
        RouteTable table = routes.table();
        TableLabels l = tableLabels;
        if (l.table() != table) {
            l = new TableLabels(table, table.routes().stream().map(Route::id).collect(Collectors.toUnmodifiableSet()),
                    table.routes().stream().flatMap(r -> r.backends().stream()).map(Backend::url)
                            .collect(Collectors.toUnmodifiableSet()));
            tableLabels = l;
        }
        return l;
    }

    private CallMeters callMeters(String tenant, String route) {
        Map<String, CallMeters> byRoute = callMeters.get(tenant);
        if (byRoute == null) {
            byRoute = callMeters.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        }
        CallMeters m = byRoute.get(route);
        return m != null ? m : byRoute.computeIfAbsent(route, r -> new CallMeters(tenant, r));
    }

    /**
     * The meters of one tenant and route label that (nearly) every call records, found by name and
     * labels once instead of on every call (key lists, hashing, map look-ups were ~2 % of CPU per
     * call). They are the same meter objects {@link #counter} and {@link #timer} hand out.
     */
    private final class CallMeters {
        private final String tenant;
        private final String route;
        final Timer duration;
        // registered when first recorded, as before: a series appears only once it has something to show
        private volatile Timer ttft;
        private final AtomicReferenceArray<Counter> tokens = new AtomicReferenceArray<>(TOKEN_TYPES.length);
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(STATUS_CLASSES.length);
        private final AtomicReferenceArray<Counter> decisions = new AtomicReferenceArray<>(Decision.values().length);
        private final Map<String, AtomicReferenceArray<Counter>> backendRequests = new ConcurrentHashMap<>();

        CallMeters(String tenant, String route) {
            this.tenant = tenant;
            this.route = route;
            this.duration = timer("atrium.request.duration", "Time from receiving a call to its last byte", LATENCY_BUCKETS,
                    "tenant", tenant, "route", route);
        }

        Timer ttft() {
            Timer t = ttft;
            if (t == null) {
                t = timer("atrium.time.to.first.token", "Time from receiving a call to the backend's first byte",
                        TTFT_BUCKETS, "tenant", tenant, "route", route);
                ttft = t;
            }
            return t;
        }

        /** {@code atrium_tokens_total} of {@code type} {@code prompt} (0) or {@code completion} (1). */
        Counter tokens(int type) {
            Counter c = tokens.get(type);
            if (c == null) {
                c = counter("atrium.tokens", TOKENS_HELP, "tenant", tenant, "route", route, "type", TOKEN_TYPES[type]);
                tokens.set(type, c);
            }
            return c;
        }

        /** {@code atrium_requests_total} of a call without an error code. */
        Counter requests(int statusClass) {
            Counter c = requests.get(statusClass);
            if (c == null) {
                c = counter("atrium.requests", REQUESTS_HELP, "tenant", tenant, "route", route, "status",
                        STATUS_CLASSES[statusClass], "code", LabelBounds.NONE);
                requests.set(statusClass, c);
            }
            return c;
        }

        Counter backendRequests(String backend, int statusClass) {
            AtomicReferenceArray<Counter> byStatus = backendRequests.computeIfAbsent(backend,
                    b -> new AtomicReferenceArray<>(STATUS_CLASSES.length));
            Counter c = byStatus.get(statusClass);
            if (c == null) {
                c = counter("atrium.backend.requests", "Calls sent to each backend by status class", "route", route,
                        "backend", backend, "status", STATUS_CLASSES[statusClass]);
                byStatus.set(statusClass, c);
            }
            return c;
        }

        Counter decision(Decision d) {
            Counter c = decisions.get(d.ordinal());
            if (c == null) {
                c = counter("atrium.balancer.decisions", "Backend choices by the signal that decided them", "route", route,
                        "reason", d.wire());
                decisions.set(d.ordinal(), c);
            }
            return c;
        }
    }

    /** What {@code balancer: inference} sees of a backend: engine queue, KV-cache use, learned speed (when known). */
    private static void engineGauges(Map<GaugeSet.Key, Double> now, Tags t, Backend b, long nowMillis, long staleMillis) {
        int waiting = b.engineWaiting(nowMillis, staleMillis);
        if (waiting >= 0) {
            now.put(new GaugeSet.Key("atrium.backend.engine.waiting", t), (double) waiting);
        }
        double kv = b.engineKvFraction(nowMillis, staleMillis);
        if (!Double.isNaN(kv)) {
            now.put(new GaugeSet.Key("atrium.backend.kv.cache.used.ratio", t), kv);
        }
        double tps = b.capacity().tokensPerSecond();
        if (!Double.isNaN(tps)) {
            now.put(new GaugeSet.Key("atrium.backend.learned.tokens.per.second", t), tps);
        }
    }

    /** Prometheus text exposition (format 0.0.4) with the gauges read now. */
    public String scrape() {
        refreshGauges();
        return registry.scrape();
    }

    private void refreshGauges() {
        Map<GaugeSet.Key, Double> now = new HashMap<>();
        long nowMillis = System.currentTimeMillis();
        long staleMillis = routes.inference().staleAfter().toMillis();
        for (Route r : routes.table().routes()) {
            for (Backend b : r.backends()) {
                Tags t = Tags.of("route", r.id(), "backend", b.url());
                now.put(new GaugeSet.Key("atrium.backend.up", t), b.up() ? 1.0 : 0.0);
                now.put(new GaugeSet.Key("atrium.backend.in.flight", t), (double) b.inFlight());
                engineGauges(now, t, b, nowMillis, staleMillis);
                String state = circuits.state(b);
                for (String s : CIRCUIT_STATES) {
                    now.put(new GaugeSet.Key("atrium.backend.circuit.state", t.and("state", s)), s.equals(state) ? 1.0 : 0.0);
                }
            }
        }
        if (tenantGauges != TenantGauges.NONE) {
            java.util.Set<String> ids = new java.util.TreeSet<>(tenants.get());
            ids.add(LabelBounds.DEFAULT_TENANT);
            for (String id : ids) {
                Tags t = Tags.of("tenant", id);
                now.put(new GaugeSet.Key("atrium.tenant.in.flight", t), (double) tenantGauges.inFlight(id));
                now.put(new GaugeSet.Key("atrium.tenant.queued", t), (double) tenantGauges.queued(id));
                Double q = tenantGauges.quotaUsedPercent(id);
                if (q != null) {
                    now.put(new GaugeSet.Key("atrium.tenant.quota.used.percent", t), q);
                }
            }
        }
        gauges.update(now);
    }

    private Counter counter(String name, String help, String... tags) {
        MeterKey key = new MeterKey(name, List.of(tags));
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(help).tags(tags).register(registry));
    }

    private Timer timer(String name, String help, Duration[] buckets, String... tags) {
        MeterKey key = new MeterKey(name, List.of(tags));
        return timers.computeIfAbsent(key, k -> Timer.builder(name).description(help).tags(tags)
                .serviceLevelObjectives(buckets).register(registry));
    }

    private static Duration[] seconds(double... s) {
        Duration[] out = new Duration[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Duration.ofMillis(Math.round(s[i] * 1000));
        }
        return out;
    }

    /**
     * Gauges whose set of label values follows the route table: values are held here (strongly,
     * Micrometer only keeps weak references) and gauges for vanished backends are removed.
     */
    private final class GaugeSet {
        record Key(String name, Tags tags) {
        }

        private final Map<Key, double[]> values = new HashMap<>();
        private final Map<Key, Meter> meters = new HashMap<>();

        synchronized void update(Map<Key, Double> now) {
            for (Iterator<Map.Entry<Key, Meter>> it = meters.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Meter> e = it.next();
                if (!now.containsKey(e.getKey())) {
                    registry.remove(e.getValue());
                    values.remove(e.getKey());
                    it.remove();
                }
            }
            now.forEach((k, v) -> {
                double[] holder = values.computeIfAbsent(k, x -> new double[1]);
                holder[0] = v;
                meters.computeIfAbsent(k, x -> Gauge.builder(k.name(), holder, h -> h[0]).tags(k.tags())
                        .strongReference(true).register(registry));
            });
        }
    }
}
