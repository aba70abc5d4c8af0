package org.atrium.gateway.traffic;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.atrium.gateway.Caches;

/**
 * In-memory quota counters, seeded once per (tenant, day) from what the state store already holds
 * for that day, so a restart does not hand out a fresh quota. Counters for past days expire.
 */
public final class LocalQuotaCounter implements QuotaCounter {
    private final Cache<Key, AtomicLong> counters;
    private final ToLongFunction<Key> seed;

    public LocalQuotaCounter(ToLongFunction<Key> seed) {
        this.seed = seed;
        this.counters = Caches.onCallerThread().maximumSize(100_000).expireAfterAccess(Duration.ofHours(50)).build();
    }

    private AtomicLong counter(Key key) {
        return counters.get(key, k -> new AtomicLong(Math.max(0, seedOf(k))));
    }

    private long seedOf(Key k) {
        try {
            return seed.applyAsLong(k);
        } catch (RuntimeException e) {
            return 0; // the store is unreadable: count from zero rather than refuse service
        }
    }

    @Override
    public Optional<Reservation> tryReserve(Key key, long amount, long limit) {
        AtomicLong c = counter(key);
        long want = Math.max(1, amount);
        while (true) {
            long used = c.get();
            long left = limit - used;
            if (left <= 0) {
                return Optional.empty();
            }
            long take = Math.min(want, left);
            if (c.compareAndSet(used, used + take)) {
                return Optional.of(new Held(c, take));
            }
        }
    }

    @Override
    public long used(Key key) {
        return counter(key).get();
    }

    private static final class Held extends SettledOnce {
        private final AtomicLong counter;

        Held(AtomicLong counter, long reserved) {
            super(reserved);
            this.counter = counter;
        }

        @Override
        protected void apply(long delta) {
            counter.addAndGet(delta);
        }
    }
}
