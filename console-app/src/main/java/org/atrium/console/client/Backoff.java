package org.atrium.console.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with full jitter, so many consoles do not reconnect in lockstep. */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** Delay before the next attempt: between half and all of min(max, initial * 2^attempt). */
    public synchronized Duration next() {
        long cap = max.toMillis();
        long base = initial.toMillis() << Math.min(attempt, 20);
        long ceiling = Math.min(cap, base);
        attempt++;
        return Duration.ofMillis(ceiling / 2 + (long) (random.getAsDouble() * (ceiling / 2.0)));
    }

    public synchronized void reset() {
        attempt = 0;
    }
}
