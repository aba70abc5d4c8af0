package org.atrium.gateway.pipeline;

import io.github.bucket4j.ConsumptionProbe;
import org.atrium.gateway.state.BanIndex;
import org.atrium.gateway.traffic.BucketProvider;
import org.atrium.gateway.traffic.RateLimit;
import org.atrium.gateway.traffic.TrafficStats;
import org.atrium.model.ErrorCode;

/**
 * Stage 2b: the per-client-IP rate, checked right after IP bans and before the token (as the
 * reference gateway does), so a client flooding with bad tokens is slowed down too.
 */
public final class IpRateLimitStage implements Stage {
    private final BucketProvider buckets;
    private final RateLimit limit;
    private final TrafficStats stats;

    public IpRateLimitStage(BucketProvider buckets, RateLimit limit, TrafficStats stats) {
        this.buckets = buckets;
        this.limit = limit;
        this.stats = stats;
    }

    @Override
    public int order() {
        return IP_CHECKS + 10;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        if (!limit.enabled()) {
            return;
        }
        String key = "ip:" + BanIndex.canonicalIp(ex.clientIp()) + ":" + limit.tag();
        ConsumptionProbe probe = buckets.bucket(key, limit).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            stats.count("rate_limited.ip");
            throw rateLimited("Too many requests from this address", probe.getNanosToWaitForRefill());
        }
    }

    /** 429 {@code RATE_LIMITED} with {@code Retry-After} rounded up to whole seconds. */
    static Rejection rateLimited(String reason, long nanosToWait) {
        long seconds = (nanosToWait + 999_999_999L) / 1_000_000_000L;
        return new Rejection(ErrorCode.RATE_LIMITED).with("reason", reason).retryAfterSeconds(seconds);
    }
}
