package org.atrium.gateway.traffic;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import org.atrium.gateway.Caches;

/**
 * Buckets in a Caffeine map bounded in entries and dropped after being idle, so a client scanning
 * addresses (or minting user ids) cannot grow memory. Dropping an idle bucket is harmless once it
 * had time to refill. Bucket time comes from the injected clock so tests move it.
 */
public final class LocalBucketProvider implements BucketProvider {
    private final Cache<String, Bucket> buckets;
    private final TimeMeter time;

    public LocalBucketProvider(Clock clock, long maxBuckets, Duration idle) {
        this.buckets = Caches.onCallerThread().maximumSize(maxBuckets).expireAfterAccess(idle).build();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    public Bucket bucket(String key, RateLimit limit) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(limit.toConfiguration().getBandwidths()[0])
                .withCustomTimePrecision(time)
                .build());
    }

    @Override
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
