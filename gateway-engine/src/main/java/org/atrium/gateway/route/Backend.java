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
    private volatile boolean activeCheckUp = true;
    private final HealthPolicy policy;

    public Backend(BackendSpec spec, Clock clock, HealthPolicy policy) {
        this.spec = spec;
        this.url = spec.url();
        this.uri = URI.create(spec.url());
        this.clock = clock;
        this.policy = policy;
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

    public int weight() {
        return spec.weight();
    }

    public int maxConcurrency() {
        return spec.maxConcurrency();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.get();
    }

    public void begin() {
        inFlight.incrementAndGet();
        requests.incrementAndGet();
    }

    public void end() {
        inFlight.decrementAndGet();
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
