package org.atrium.gateway.traffic;

import java.time.LocalDate;
import java.util.Optional;

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
}
