package org.atrium.gateway.traffic;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls in flight per key (tenant, user) with a ceiling. Entries disappear when their count drops
 * to zero, so the map holds only keys with calls in flight.
 */
public final class ConcurrencyLimiter {
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /** A held slot; {@link #close()} gives it back once. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes a slot when fewer than {@code max} are in flight for {@code key}; null otherwise. */
    public Slot tryAcquire(String key, int max) {
        boolean[] ok = {false};
        inFlight.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            ok[0] = true;
            return now + 1;
        });
        if (!ok[0]) {
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }

    public int inFlight(String key) {
        return inFlight.getOrDefault(key, 0);
    }
}
