package org.atrium.gateway.traffic;

import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Daily counters with reserve-then-settle semantics, so parallel calls never overshoot a quota:
 * a call reserves before it goes upstream and settles with what it really used when it ends.
 * The local implementation serves one node; a cluster implementation keeps the counters in Redis.
 */
public interface QuotaCounter {
    /** What is counted. */
    enum Kind { REQUESTS, TOKENS }

    /** One tenant's counter for one local day. */
    record Key(Kind kind, String tenant, LocalDate day) {
    }

    /**
     * Atomically reserves up to {@code amount} (at least 1) of what is left under {@code limit};
     * empty when nothing is left (used + outstanding reservations >= limit).
     */
    Optional<Reservation> tryReserve(Key key, long amount, long limit);

    /** Used plus outstanding reservations. */
    long used(Key key);

    /** A held reservation. */
    interface Reservation {
        long reserved();

        /** Replaces the reserved amount with {@code actual} (0 releases it). Only the first call counts. */
        void settle(long actual);
    }

    /** A reservation whose first {@link #settle} applies the difference to what was reserved; later calls do nothing. */
    abstract class SettledOnce implements Reservation {
        private final long reserved;
        private final AtomicBoolean settled = new AtomicBoolean();

        protected SettledOnce(long reserved) {
            this.reserved = reserved;
        }

        @Override
        public final long reserved() {
            return reserved;
        }

        @Override
        public final void settle(long actual) {
            long delta = Math.max(0, actual) - reserved;
            if (settled.compareAndSet(false, true) && delta != 0) {
                apply(delta);
            }
        }

        /** Adds {@code delta} (negative: gives back) to the counter this reservation came from. */
        protected abstract void apply(long delta);
    }
}
