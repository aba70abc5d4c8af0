package org.atrium.gateway.route;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.atrium.model.BackendSpec;

/**
 * One backend at run time: its spec, calls in flight and passive health. After
 * {@code failureThreshold} consecutive failures it is ejected for a period that doubles on each
 * repeated ejection (capped), then gets one trial call (half-open): success restores it, failure
 * ejects it again for longer. Kept across route reloads (keyed by URL) so a config edit does not
 * forget that a backend is down.
 */
public final class Backend {
    private final String url;
    private final URI uri;
    private volatile BackendSpec spec;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    private final AtomicLong ejectedUntilMillis = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private volatile boolean activeCheckUp = true;
    private final HealthPolicy policy;
    private final RoomSignal room;
    private final PrefixTable prefixes;
    private final LearnedCapacity capacity = new LearnedCapacity();
    private volatile EngineLoad engine;

    public Backend(BackendSpec spec, Clock clock, HealthPolicy policy) {
        this(spec, clock, policy, InferenceSettings.DEFAULTS, new RoomSignal());
    }

    private volatile int slotLimit;

    Backend(BackendSpec spec, Clock clock, HealthPolicy policy, InferenceSettings inference, RoomSignal room) {
        this.spec = spec;
        this.url = spec.url();
        this.uri = URI.create(spec.url());
        this.clock = clock;
        this.policy = policy;
        this.room = room;
        this.prefixes = new PrefixTable(inference.affinityEntries());
        this.slotLimit = spec.maxConcurrency();
    }

    public String url() {
        return url;
    }

    public URI uri() {
        return uri;
    }

    public BackendSpec spec() {
        return spec;
    }

    void update(BackendSpec newSpec) {
        this.spec = newSpec;
    }

    /**
     * The most calls this server takes at once: the largest {@code max_concurrency} any route gives
     * its URL (each route's own pool still admits only the sum of its own settings).
     */
    void slotLimit(int limit) {
        this.slotLimit = limit;
    }

    public int maxConcurrency() {
        return slotLimit;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.get();
    }

    /**
     * Takes one of this backend's {@code max_concurrency} slots for a call; false when it is full
     * (the call then goes to another backend with room, or waits: never piles onto this one).
     */
    public boolean tryBegin() {
        int max = slotLimit;
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                requests.incrementAndGet();
                return true;
            }
        }
    }

    /** Gives the slot taken by {@link #tryBegin()} back. */
    public void end() {
        inFlight.decrementAndGet();
        finished.incrementAndGet();
        room.freed();
    }

    /** Whether a new call fits under {@code max_concurrency} now. */
    public boolean hasRoom() {
        return inFlight.get() < slotLimit;
    }

    /** What this backend's answers taught about its speed. */
    public LearnedCapacity capacity() {
        return capacity;
    }

    PrefixTable prefixes() {
        return prefixes;
    }

    /**
     * The engine's own load as scraped from its {@code /metrics} (null values: not reported).
     *
     * @param kvPercent KV-cache use 0-100
     */
    public void engineSample(Integer waiting, Integer running, Double kvPercent, long atMillis) {
        if (waiting == null && running == null) {
            engine = null;
            return;
        }
        engine = new EngineLoad(waiting == null ? 0 : waiting, running == null ? 0 : running,
                kvPercent == null ? Double.NaN : kvPercent / 100.0, atMillis, requests.get(), finished.get());
    }

    /**
     * Calls this backend has now by the engine's last scrape, corrected by the calls the gateway
     * sent and saw finish since (never below the gateway's own in-flight count); -1 when the scrape
     * is missing or older than {@code staleAfterMillis}.
     */
    public double engineLoad(long nowMillis, long staleAfterMillis) {
        EngineLoad e = engine;
        if (e == null || nowMillis - e.atMillis() > staleAfterMillis || nowMillis < e.atMillis() - staleAfterMillis) {
            return -1;
        }
        long sent = requests.get() - e.startedAtScrape();
        long done = finished.get() - e.finishedAtScrape();
        return Math.max((double) e.waiting() + e.running() + sent - done, inFlight.get());
    }

    /** Last scraped engine queue (waiting calls), or -1 when unknown or stale. */
    public int engineWaiting(long nowMillis, long staleAfterMillis) {
        EngineLoad e = engine;
        return e == null || nowMillis - e.atMillis() > staleAfterMillis ? -1 : e.waiting();
    }

    /** Last scraped KV-cache use 0..1, NaN when unknown or stale. */
    public double engineKvFraction(long nowMillis, long staleAfterMillis) {
        EngineLoad e = engine;
        return e == null || nowMillis - e.atMillis() > staleAfterMillis ? Double.NaN : e.kvFraction();
    }

    /** Usable for a new call now: not ejected (or its ejection period is over: half-open trial). */
    public boolean available() {
        return activeCheckUp && clock.millis() >= ejectedUntilMillis.get();
    }

    /** Up as shown to operators: not ejected and passing active checks. */
    public boolean up() {
        return available() && consecutiveFailures.get() < policy.failureThreshold();
    }

    public void recordSuccess() {
        consecutiveFailures.set(0);
        ejections.set(0);
    }

    public void recordFailure() {
        int n = consecutiveFailures.incrementAndGet();
        if (n >= policy.failureThreshold()) {
            int times = ejections.getAndIncrement();
            Duration d = policy.baseEjection().multipliedBy(1L << Math.min(times, 10));
            if (d.compareTo(policy.maxEjection()) > 0) {
                d = policy.maxEjection();
            }
            ejectedUntilMillis.set(clock.millis() + d.toMillis());
        }
    }

    public Instant ejectedUntil() {
        long t = ejectedUntilMillis.get();
        return t <= clock.millis() ? null : Instant.ofEpochMilli(t);
    }

    /** Result of an active health check (when the route configures a health path). */
    public void activeCheck(boolean up) {
        this.activeCheckUp = up;
    }

    /** Passive health settings. */
    public record HealthPolicy(int failureThreshold, Duration baseEjection, Duration maxEjection) {
        public static final HealthPolicy DEFAULT = new HealthPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }
}
