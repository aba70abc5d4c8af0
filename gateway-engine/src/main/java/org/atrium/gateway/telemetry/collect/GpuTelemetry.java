package org.atrium.gateway.telemetry.collect;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.atrium.model.GpuSample;

/**
 * The GPU room as the collectors last saw it: every GPU from local {@code nvidia-smi} and the DCGM
 * exporters, and each backend's engine stats. Reads are cheap (no I/O); polling runs on one
 * scheduler thread that hands each scrape to a virtual thread, and a scrape still running when its
 * next turn comes is skipped, so a hung endpoint never piles up work.
 *
 * <p>Lifecycle: construct, {@link #start()}, call {@link #engineTargets(Collection)} whenever the
 * routes change, {@link #close()} on shutdown.
 */
public final class GpuTelemetry implements AutoCloseable {
    private final Clock clock;
    private final MetricsFetcher fetcher = new MetricsFetcher();
    private final NvidiaSmiCollector nvidiaSmi;
    private final DcgmCollector dcgm;
    private final EngineMetricsCollector engines;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private ScheduledExecutorService scheduler;

    public GpuTelemetry(CollectorsConfig config, Clock clock) {
        this.clock = clock;
        this.nvidiaSmi = new NvidiaSmiCollector(config.nvidiaSmi(), clock);
        this.dcgm = new DcgmCollector(config.dcgm(), clock, fetcher);
        this.engines = new EngineMetricsCollector(config.engines(), clock, fetcher);
    }

    /** Starts polling every enabled collector at its interval. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-telemetry-poll");
            t.setDaemon(true);
            return t;
        });
        if (nvidiaSmi.active()) {
            every(nvidiaSmi.interval(), () -> launch("nvidia-smi", nvidiaSmi::poll));
        }
        if (dcgm.active()) {
            every(dcgm.interval(), () -> dcgm.endpoints().forEach(u -> launch("dcgm " + u, () -> dcgm.poll(u))));
        }
        if (engines.active()) {
            every(engines.interval(), () -> engines.targetKeys(false).forEach(k -> launch("engine " + k, () -> engines.poll(k))));
            every(engines.balancerInterval(),
                    () -> engines.targetKeys(true).forEach(k -> launch("engine " + k, () -> engines.poll(k))));
        }
    }

    private void every(Duration period, Runnable task) {
        scheduler.scheduleWithFixedDelay(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a poll on a virtual thread unless the previous poll of the same source is still running. */
    private void launch(String name, Runnable poll) {
        AtomicBoolean busy = running.computeIfAbsent(name, k -> new AtomicBoolean());
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    poll.run();
                } finally {
                    busy.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            busy.set(false); // shutting down
        }
    }

    /** Polls every source once, synchronously; for tests and for a first sample before serving. */
    void pollAll() {
        nvidiaSmi.poll();
        dcgm.endpoints().forEach(dcgm::poll);
        engines.targetKeys().forEach(engines::poll);
    }

    /** Every known GPU, ordered by node and index; stale ones carry their last values and {@code stale=true}. */
    public List<GpuSample> gpus() {
        List<GpuSample> out = new ArrayList<>(nvidiaSmi.samples());
        out.addAll(dcgm.samples());
        out.sort(Comparator.comparing(GpuSample::node).thenComparingInt(GpuSample::index)
                .thenComparing(GpuSample::source));
        return out;
    }

    /** Sets the backends whose engine metrics to scrape (call on start and whenever routes change). */
    public void engineTargets(Collection<EngineTarget> targets) {
        engines.targets(targets);
    }

    /** Receives every successful engine scrape (on a collector thread; keep it quick). */
    public void onEngineStats(java.util.function.Consumer<EngineStats> listener) {
        engines.listener(listener);
    }

    public Optional<EngineStats> engineStats(String route, String backend) {
        return engines.stats(route, backend);
    }

    public List<EngineStats> engineStats() {
        return engines.stats();
    }

    /** Whether the local nvidia-smi collector runs (false when disabled or the binary is absent). */
    public boolean localCollectorActive() {
        return nvidiaSmi.active();
    }

    // package-private views for tests
    NvidiaSmiCollector nvidiaSmi() {
        return nvidiaSmi;
    }

    DcgmCollector dcgm() {
        return dcgm;
    }

    EngineMetricsCollector engines() {
        return engines;
    }

    List<URI> dcgmEndpoints() {
        return dcgm.endpoints();
    }

    Clock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        workers.shutdownNow();
        fetcher.close();
    }
}
