package org.atrium.gateway.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.atrium.gateway.config.LimitsConfig;
import org.atrium.gateway.route.Route;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.state.StateStore;
import org.atrium.model.UsageRow;

/**
 * The traffic-control parts of one gateway node, built from {@code limits:} in the configuration:
 * buckets, quota counters, concurrency slots, one fair-share queue per route, circuit breakers, the
 * response cache, active health checks and counters for metrics. Cluster mode passes its own
 * {@link QuotaCounter} and {@link CallLimiter} (shared through Redis); {@link #buckets()} is always
 * this node's own (the per-IP check before the token uses it).
 */
public final class TrafficControl implements AutoCloseable {
    private final LimitsConfig config;
    private final Clock clock;
    private final BucketProvider buckets;
    private final QuotaCounter quotas;
    private final ZoneId zone;
    private final CallLimiter limiter;
    private final ConcurrencyLimiter concurrency = new ConcurrencyLimiter();
    private final Map<String, FairShareQueue> queues = new ConcurrentHashMap<>();
    private final BackendBreakers breakers;
    private final ResponseCache cache;
    private final HealthChecker health;
    private final TrafficStats stats = new TrafficStats();

    public TrafficControl(LimitsConfig config, RouteRegistry routes, Clock clock, BucketProvider buckets,
                          QuotaCounter quotas, CallLimiter limiter) {
        this.config = config;
        this.zone = config.zone(); // ZoneId.of parses the name: once, not per call
        this.clock = clock;
        this.buckets = buckets;
        this.quotas = quotas;
        this.limiter = limiter;
        this.breakers = new BackendBreakers(config.circuitVolume(), config.circuitErrorRatio(),
                Duration.ofSeconds(config.circuitOpenSeconds()));
        this.cache = new ResponseCache(clock, config.cacheMaxBytes(), config.cacheMaxEntryBytes());
        this.health = new HealthChecker(routes, Duration.ofSeconds(config.healthCheckIntervalSeconds()),
                Duration.ofSeconds(config.healthCheckTimeoutSeconds()));
    }

    /** One node with in-memory buckets and quota counters seeded from {@code store}'s usage of the day. */
    public static TrafficControl local(LimitsConfig config, RouteRegistry routes, Clock clock, StateStore store) {
        BucketProvider buckets = new LocalBucketProvider(clock, config.maxTrackedClients(),
                Duration.ofSeconds(config.trackedIdleSeconds()));
        QuotaCounter quotas = new LocalQuotaCounter(key -> usedToday(store, key));
        return new TrafficControl(config, routes, clock, buckets, quotas, new LocalCallLimiter(buckets, quotas));
    }

    /**
     * What the store already counted for a tenant's day: tokens, or calls that were not refused
     * (refused calls are recorded as errors; upstream errors are undercounted, never over).
     */
    public static long usedToday(StateStore store, QuotaCounter.Key key) {
        long total = 0;
        for (UsageRow r : store.usage(key.day(), key.day(), key.tenant())) {
            total += key.kind() == QuotaCounter.Kind.TOKENS ? r.totalTokens() : r.requests() - r.errors();
        }
        return total;
    }

    public LimitsConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public ZoneId zone() {
        return zone;
    }

    public BucketProvider buckets() {
        return buckets;
    }

    public QuotaCounter quotas() {
        return quotas;
    }

    /** The rates and quotas of a call, decided together (one Redis round trip in cluster mode). */
    public CallLimiter limiter() {
        return limiter;
    }

    public ConcurrencyLimiter concurrency() {
        return concurrency;
    }

    /** The admission queue of {@code route}'s backend pool. */
    public FairShareQueue queue(Route route) {
        return queues.computeIfAbsent(route.id(), id -> new FairShareQueue(route.capacity()));
    }

    public BackendBreakers breakers() {
        return breakers;
    }

    public ResponseCache cache() {
        return cache;
    }

    public HealthChecker health() {
        return health;
    }

    public TrafficStats stats() {
        return stats;
    }

    /** Starts the background parts (active health checks). */
    public TrafficControl start() {
        health.start();
        return this;
    }

    @Override
    public void close() {
        health.close();
    }
}
