package org.atrium.gateway.traffic;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * A token-bucket rate: {@code perMinute} calls refilled evenly over each minute, up to {@code burst}
 * calls at once ({@code burst} 0 means "same as the rate"). The reference gateway's per-IP "10/min,
 * burst 20" is {@code new RateLimit(10, 20)}.
 */
public record RateLimit(int perMinute, int burst) {
    public RateLimit {
        if (perMinute < 0 || burst < 0) {
            throw new IllegalArgumentException("rate and burst must be >= 0");
        }
    }

    /** Whether this limit limits anything (a rate of 0 means "no limit"). */
    public boolean enabled() {
        return perMinute > 0;
    }

    public long capacity() {
        return burst > 0 ? burst : perMinute;
    }

    /** The Bucket4j configuration of a local bucket (the cluster script refills the same way: greedily, {@code perMinute} a minute). */
    public BucketConfiguration toConfiguration() {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity()).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build();
    }

    /** Stable text used in bucket keys, so a changed limit gets a fresh bucket. */
    public String tag() {
        return perMinute + "/" + burst;
    }
}
