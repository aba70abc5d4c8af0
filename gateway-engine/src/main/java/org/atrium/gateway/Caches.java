package org.atrium.gateway;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Caffeine builders for the caches a call reads (rate-limit buckets, verified tokens, top talkers,
 * quota counters, leases, answers). Caffeine's upkeep (replaying reads into the eviction policy,
 * expiring entries) runs on the thread that triggers it instead of being handed to the common
 * ForkJoinPool. A hand-off wakes a pool thread every few reads (whenever a read buffer fills), and
 * on a gateway pinned to one core that wake-up and its thread switches cost more than the upkeep
 * itself: 4.5 % of a proxied call's CPU went to handing it off (async-profiler, bench per-call A/B,
 * 2026-12-02).
 */
public final class Caches {
    private Caches() {
    }

    public static Caffeine<Object, Object> onCallerThread() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
