package org.atrium.gateway.live;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.atrium.gateway.config.TelemetryConfig;
import org.atrium.gateway.http.AdminAuth;
import org.atrium.gateway.metrics.BackendCircuit;
import org.atrium.gateway.route.RouteRegistry;
import org.atrium.gateway.route.RouteTable;
import org.atrium.gateway.state.StateStore;
import org.atrium.gateway.telemetry.alert.AlertEngine;
import org.atrium.gateway.telemetry.alert.TelemetrySnapshot;
import org.atrium.gateway.telemetry.collect.EngineKind;
import org.atrium.gateway.telemetry.collect.EngineTarget;
import org.atrium.gateway.telemetry.collect.GpuTelemetry;
import org.atrium.gateway.telemetry.live.BackendRef;
import org.atrium.gateway.telemetry.live.LiveHistory;
import org.atrium.gateway.telemetry.live.LiveStats;
import org.atrium.gateway.telemetry.live.TenantGauges;
import org.atrium.gateway.telemetry.webhook.WebhookNotifier;
import org.atrium.model.GpuSample;
import org.atrium.model.LiveFrame;

/**
 * The telemetry of a running gateway. One scheduler thread ticks (once a second by default):
 * it builds a {@link TelemetrySnapshot} of the gateway, lets the {@link AlertEngine} evaluate it,
 * builds a {@link LiveFrame} and hands it to the {@link LiveFeed}, which sends off this thread.
 * On start and whenever the route table changed, the engine-metrics targets follow the routes.
 */
public final class TelemetryHub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TelemetryHub.class.getName());
    private static final long DISK_CHECK_MILLIS = 10_000;

    private final TelemetryConfig config;
    private final Clock clock;
    private final RouteRegistry routes;
    private final LiveStats stats;
    private final Supplier<? extends Collection<String>> tenants;
    private final TenantGauges tenantGauges;
    private final Supplier<Boolean> redisReachable;
    private final Path dataDir;
    private final GpuTelemetry gpus;
    private final GatewayBackendGauges backendGauges;
    private final AlertEngine alerts;
    private final WebhookNotifier webhooks;
    private final LiveFeed feed;
    private final ScheduledExecutorService scheduler;
    private RouteTable targetsFor;
    private long diskCheckedAt = Long.MIN_VALUE;
    private Double diskFree;

    /**
     * @param tenants        tenant ids in the state (the {@code default} tenant is added)
     * @param redisReachable null result when the gateway does not use Redis
     */
    public TelemetryHub(TelemetryConfig config, Clock clock, RouteRegistry routes, LiveStats stats, StateStore store,
                        Supplier<? extends Collection<String>> tenants, TenantGauges tenantGauges,
                        Supplier<Boolean> redisReachable, Path dataDir, BackendCircuit circuits) {
        this.config = config;
        this.clock = clock;
        this.routes = routes;
        this.stats = stats;
        this.tenants = tenants;
        this.tenantGauges = tenantGauges;
        this.redisReachable = redisReachable;
        this.dataDir = dataDir;
        this.gpus = new GpuTelemetry(config.collectors(), clock);
        // Each engine scrape also feeds the inference balancer's view of that backend's load.
        gpus.onEngineStats(e -> routes.backend(e.backend()).ifPresent(b ->
                b.engineSample(e.waiting(), e.running(), e.kvCachePercent(), e.at().toEpochMilli())));
        this.backendGauges = new GatewayBackendGauges(routes, gpus, circuits);
        this.alerts = new AlertEngine(config.alerts(), new StoredAlerts(store), clock);
        this.webhooks = config.webhooks().targets().isEmpty() ? null : new WebhookNotifier(config.webhooks(), clock);
        if (webhooks != null) {
            alerts.addListener(webhooks);
        }
        this.feed = new LiveFeed(new LiveHistory(config.live().historyFrames()), config.live().clientQueueFrames(),
                config.live().maxClients());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-live-tick");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the collectors and the tick. */
    public void start() {
        updateEngineTargets();
        gpus.start();
        scheduleNextTick(config.live().tick().toMillis());
    }

    /**
     * Ticks on the period's boundaries (whole seconds for the default 1 s), each scheduled after the
     * previous one ran: a fixed-rate schedule runs late ticks back to back after a stall (GC pause, busy
     * machine), sending frames a few milliseconds apart; here a late tick only shifts itself, and a
     * tick that ends close to the next boundary waits for the one after, so frames stay about a period apart.
     */
    private void scheduleNextTick(long periodMillis) {
        long delay = periodMillis - System.currentTimeMillis() % periodMillis;
        if (delay < periodMillis / 4) {
            delay += periodMillis;
        }
        try {
            scheduler.schedule(() -> {
                safeTick();
                scheduleNextTick(periodMillis);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closed: no more ticks
        }
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Telemetry tick failed", e); // the next tick tries again
        }
    }

    /** One tick: alert rules, then a frame. Called by the scheduler; tests may call it directly. */
    public void tick() {
        Instant now = clock.instant();
        updateEngineTargets();
        List<BackendRef> refs = backendGauges.configured();
        List<GpuSample> gpuSamples = gpus.gpus();
        List<TelemetrySnapshot.BackendState> backendStates = new ArrayList<>(refs.size());
        for (BackendRef r : refs) {
            backendStates.add(new TelemetrySnapshot.BackendState(r.route(), r.backend(),
                    backendGauges.up(r.route(), r.backend()), backendGauges.circuit(r.route(), r.backend())));
        }
        alerts.evaluate(new TelemetrySnapshot(now, gpuSamples, backendStates, stats.tenantWindows(tenantGauges),
                stats.routeLatencies(), redisReachable.get(), dataDirFreePercent()));
        TreeSet<String> known = new TreeSet<>(tenants.get());
        known.add("default");
        feed.publish(new LiveFrame(now, gpuSamples, stats.tenants(known, tenantGauges),
                stats.backends(refs, backendGauges), alerts.active()));
    }

    private void updateEngineTargets() {
        RouteTable t = routes.table();
        if (t == targetsFor) {
            return;
        }
        targetsFor = t;
        List<EngineTarget> targets = new ArrayList<>();
        t.routes().forEach(r -> r.backends().forEach(b -> targets.add(EngineTarget.of(r.id(), b.url(), EngineKind.AUTO,
                r.spec().balancer() == org.atrium.model.Balancer.INFERENCE))));
        gpus.engineTargets(targets);
    }

    private Double dataDirFreePercent() {
        long nowMs = clock.millis();
        if (dataDir == null || (diskCheckedAt != Long.MIN_VALUE && nowMs - diskCheckedAt < DISK_CHECK_MILLIS
                && nowMs >= diskCheckedAt)) {
            return diskFree;
        }
        diskCheckedAt = nowMs;
        try {
            FileStore fs = Files.getFileStore(dataDir);
            long total = fs.getTotalSpace();
            diskFree = total <= 0 ? null : Math.clamp(100.0 * fs.getUsableSpace() / total, 0.0, 100.0);
        } catch (IOException | RuntimeException e) {
            diskFree = null;
        }
        return diskFree;
    }

    /** The endpoint for {@code WS /admin/v1/live}; register it and its listener factory on the admin socket. */
    public LiveFeedEndpoint endpoint(AdminAuth auth, String adminHost) {
        return new LiveFeedEndpoint(feed, auth, adminHost, config.live().authTimeout(), scheduler);
    }

    public LiveAlertsSource alertsSource() {
        return new LiveAlertsSource(alerts);
    }

    public AlertEngine alerts() {
        return alerts;
    }

    /**
     * Every configured backend now, as the live feed shows it: health, in-flight, engine queue and
     * KV-cache use, share of its route's calls, learned speed.
     */
    public List<org.atrium.model.BackendLive> backends() {
        return stats.backends(backendGauges.configured(), backendGauges);
    }

    public LiveFeed feed() {
        return feed;
    }

    public GpuTelemetry gpus() {
        return gpus;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        feed.close();
        gpus.close();
        if (webhooks != null) {
            webhooks.close();
        }
    }
}
