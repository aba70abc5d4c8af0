package org.atrium.gateway.state;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Counts usage per (local day, tenant, user, route) in memory and writes it to the store in one
 * batch every few seconds. A crash loses at most one flush interval of counts; a failed flush is
 * kept and retried with the next one, so a store outage loses nothing while the process lives.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class.getName());

    private record Key(LocalDate day, String tenant, String user, String route) {
    }

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder prompt = new LongAdder();
        final LongAdder completion = new LongAdder();
        final LongAdder gpuMillis = new LongAdder();
    }

    private final StateStore store;
    private final Clock clock;
    private final ZoneId zone;
    // Recorders share the read lock; a flush swaps the map under the write lock, so no count
    // added concurrently with a flush is lost.
    private final java.util.concurrent.locks.ReadWriteLock swap = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private Map<Key, Counters> pending = new ConcurrentHashMap<>();
    private final List<UsageDelta> retry = new ArrayList<>();
    private final ScheduledExecutorService timer;

    public UsageRecorder(StateStore store, Clock clock, ZoneId zone, int flushSeconds) {
        this.store = store;
        this.clock = clock;
        this.zone = zone;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-usage-flush");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::flush, flushSeconds, flushSeconds, TimeUnit.SECONDS);
    }

    /** A local day and the clock's millis it covers: {@link #today()} reuses it until the clock leaves it. */
    private record Day(LocalDate date, long fromMillis, long toMillis) {
    }

    private volatile Day day = new Day(LocalDate.MIN, Long.MAX_VALUE, Long.MIN_VALUE);

    public LocalDate today() {
        long now = clock.millis();
        Day d = day;
        if (now < d.fromMillis() || now >= d.toMillis()) {
            LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(now), zone);
            d = new Day(date, date.atStartOfDay(zone).toInstant().toEpochMilli(),
                    date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
            day = d;
        }
        return d.date();
    }

    public void record(String tenant, String user, String route, boolean error, long promptTokens,
                       long completionTokens, long gpuMillis) {
        Key key = new Key(today(), nz(tenant), nz(user), nz(route));
        swap.readLock().lock();
        try {
            Counters c = pending.computeIfAbsent(key, k -> new Counters());
            c.requests.increment();
            if (error) {
                c.errors.increment();
            }
            c.prompt.add(Math.max(0, promptTokens));
            c.completion.add(Math.max(0, completionTokens));
            c.gpuMillis.add(Math.max(0, gpuMillis));
        } finally {
            swap.readLock().unlock();
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }

    /** Writes what has been counted; safe to call at any time (also on shutdown). */
    public synchronized void flush() {
        Map<Key, Counters> taken;
        swap.writeLock().lock();
        try {
            taken = pending;
            pending = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        List<UsageDelta> batch = new ArrayList<>(retry);
        for (Map.Entry<Key, Counters> e : taken.entrySet()) {
            Key k = e.getKey();
            Counters c = e.getValue();
            batch.add(new UsageDelta(k.day(), k.tenant(), k.user(), k.route(), c.requests.sum(), c.errors.sum(),
                    c.prompt.sum(), c.completion.sum(), c.gpuMillis.sum()));
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.addUsage(batch);
            retry.clear();
        } catch (RuntimeException e) {
            retry.clear();
            retry.addAll(batch);
            LOG.warning("Usage flush failed, will retry (" + batch.size() + " rows): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flush();
    }
}
