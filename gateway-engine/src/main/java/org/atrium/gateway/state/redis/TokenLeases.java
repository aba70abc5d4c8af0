package org.atrium.gateway.state.redis;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import org.atrium.gateway.Caches;
import org.atrium.gateway.traffic.RateLimit;

/**
 * Tokens this node took from a shared bucket ahead of its next calls, so calls under a generous
 * rate limit mostly need no Redis round trip. A lease is at most 5 % of the bucket's burst and at
 * most one second of its rate, fetched by one call at a time when the node's previous lease is used
 * up (other calls meanwhile take a single token each), and no longer spent once the shared bucket
 * would have refilled it (between 50 ms and 1 s; what is left goes back with the next fetch): leased tokens never
 * exceed the shared limit, they only let a node spend at most one lease a bucket that the shared
 * bucket had already counted. Limits too small for a lease of 2 are checked in Redis every call.
 */
final class TokenLeases {
    private static final long MIN_LIFETIME_NANOS = 50_000_000L;
    private static final long MAX_LIFETIME_NANOS = 1_000_000_000L;

    /** What is left of one lease, and whether a call is fetching the next one; guarded by its own lock. */
    private static final class Lease {
        private long tokens;
        private long expiresAt;
        private boolean fetching;

        /** -1 when another call is fetching; else what is left of the old lease, handed back to the shared bucket. */
        synchronized long claim() {
            if (fetching) {
                return -1;
            }
            fetching = true;
            long left = tokens;
            tokens = 0;
            return left;
        }

        synchronized void release() {
            fetching = false;
        }

        synchronized boolean take(long now) {
            if (tokens <= 0 || now - expiresAt >= 0) {
                return false;
            }
            tokens--;
            return true;
        }

        synchronized void add(long n, long now, long until) {
            tokens = (now - expiresAt >= 0 ? 0 : tokens) + n;
            expiresAt = until;
            fetching = false;
        }

        synchronized void giveBack() {
            tokens++;
        }
    }

    private final Cache<String, Lease> leases = Caches.onCallerThread().maximumSize(100_000)
            .expireAfterAccess(Duration.ofSeconds(5)).build();

    /** Tokens to take from the shared bucket at once: 1 (no lease) for small limits. */
    static long size(RateLimit limit) {
        return Math.max(1, Math.min(limit.capacity() / 20, limit.perMinute() / 60));
    }

    /** How long a lease of {@code size} tokens may be spent: the time the shared bucket takes to refill it. */
    static long lifetimeNanos(RateLimit limit, long size) {
        long refill = (long) (size * 60_000_000_000.0 / limit.perMinute());
        return Math.clamp(refill, MIN_LIFETIME_NANOS, MAX_LIFETIME_NANOS);
    }

    /** Takes one token of {@code key}'s lease; false when there is none left (ask Redis). */
    boolean take(String key, long now) {
        Lease l = leases.getIfPresent(key);
        return l != null && l.take(now);
    }

    /**
     * Whether this call may fetch {@code key}'s next lease: only one call at a time does, the others
     * that find the lease empty meanwhile ask Redis for their own token only (so a node never drains a
     * shared bucket with leases fetched side by side). Returns -1 when another call is fetching, else
     * the tokens left of the expired lease, which the fetching call hands back to the shared bucket
     * (so a node's unused tokens are not lost to the others). A claim ends with {@link #keep} or {@link #release}.
     */
    long claim(String key) {
        return leases.get(key, k -> new Lease()).claim();
    }

    /** Ends a claim without a new lease (the call was refused or Redis did not answer). */
    void release(String key) {
        Lease l = leases.getIfPresent(key);
        if (l != null) {
            l.release();
        }
    }

    /** Ends a claim with {@code tokens} more for {@code key}, to spend until {@code now} plus the lease's lifetime. */
    void keep(String key, RateLimit limit, long tokens, long now) {
        leases.get(key, k -> new Lease()).add(Math.max(0, tokens), now, now + lifetimeNanos(limit, size(limit)));
    }

    /** Returns a token {@link #take} gave to a call that was then refused by another limit. */
    void giveBack(String key) {
        Lease l = leases.getIfPresent(key);
        if (l != null) {
            l.giveBack();
        }
    }
}
