package org.atrium.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Set;
import org.atrium.gateway.config.LimitsConfig;
import org.atrium.gateway.traffic.ConcurrencyLimiter;
import org.atrium.gateway.traffic.QuotaCounter;
import org.atrium.gateway.traffic.RateLimit;
import org.atrium.gateway.traffic.TrafficControl;
import org.atrium.model.ErrorCode;
import org.atrium.model.TenantSpec;

/**
 * Stage 6: the tenant's and the user's rates, the tenant's daily request and token quotas, and
 * calls in flight per tenant and per user. A tenant's own value wins over the gateway default;
 * {@code 0} means no limit. Quotas are reserved here and settled when the call ends (a refused or
 * never-served call gives its reservation back; tokens settle to what the backend reported), so
 * parallel calls cannot overshoot. Every refusal is a 429 with {@code Retry-After}.
 */
public final class LimitsStage implements Stage {
    /** Calls refused by the gateway before a backend worked on them do not use quota. */
    private static final Set<String> NOT_SERVED = Set.of(ErrorCode.RATE_LIMITED.name(), ErrorCode.QUOTA_EXCEEDED.name(),
            ErrorCode.QUEUE_FULL.name(), ErrorCode.QUEUE_TIMEOUT.name(), ErrorCode.UPSTREAM_UNAVAILABLE.name(),
            ErrorCode.PAYLOAD_TOO_LARGE.name(), ErrorCode.BAD_REQUEST.name());

    private final TrafficControl traffic;
    private final LimitsConfig cfg;

    public LimitsStage(TrafficControl traffic) {
        this.traffic = traffic;
        this.cfg = traffic.config();
    }

    @Override
    public int order() {
        return LIMITS;
    }

    @Override
    public void apply(Exchange ex) throws Rejection {
        TenantSpec t = ex.tenant();
        String tenant = t.id();
        String user = ex.userId();
        rate(new RateLimit(or(t.requestsPerMinute(), cfg.tenantRequestsPerMinute()), or(t.burst(), cfg.tenantBurst())),
                "tenant:" + tenant, "rate_limited.tenant", "Tenant rate limit exceeded");
        rate(new RateLimit(or(t.userRequestsPerMinute(), cfg.userRequestsPerMinute()), or(t.userBurst(), cfg.userBurst())),
                "user:" + tenant + ":" + user, "rate_limited.user", "User rate limit exceeded");

        ZonedDateTime now = ZonedDateTime.now(traffic.clock().withZone(traffic.zone()));
        LocalDate day = now.toLocalDate();
        long requestQuota = t.dailyRequestQuota() != null ? t.dailyRequestQuota() : cfg.tenantDailyRequestQuota();
        if (requestQuota > 0) {
            QuotaCounter.Reservation r = traffic.quotas()
                    .tryReserve(new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, tenant, day), 1, requestQuota)
                    .orElseThrow(() -> quotaExceeded(now, "quota.requests", "Daily request quota of " + requestQuota
                            + " reached for tenant " + tenant));
            ex.onComplete(() -> r.settle(served(ex) ? 1 : 0));
        }
        long tokenQuota = t.dailyTokenQuota() != null ? t.dailyTokenQuota() : cfg.tenantDailyTokenQuota();
        if (tokenQuota > 0) {
            QuotaCounter.Reservation r = traffic.quotas()
                    .tryReserve(new QuotaCounter.Key(QuotaCounter.Kind.TOKENS, tenant, day), estimateTokens(ex), tokenQuota)
                    .orElseThrow(() -> quotaExceeded(now, "quota.tokens", "Daily token quota of " + tokenQuota
                            + " reached for tenant " + tenant));
            ex.onComplete(() -> r.settle(ex.totalTokens()));
        }
        concurrency(or(t.maxConcurrent(), cfg.tenantMaxConcurrent()), "tenant:" + tenant, "concurrency.tenant",
                "Too many concurrent requests for this tenant", ex);
        concurrency(or(t.userMaxConcurrent(), cfg.userMaxConcurrent()), "user:" + tenant + ":" + user, "concurrency.user",
                "Too many concurrent requests for this user", ex);
    }

    private static int or(Integer own, int dflt) {
        return own != null ? own : dflt;
    }

    private void rate(RateLimit limit, String key, String stat, String reason) throws Rejection {
        if (!limit.enabled()) {
            return;
        }
        ConsumptionProbe probe = traffic.buckets().bucket(key + ":" + limit.tag(), limit).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            traffic.stats().count(stat);
            throw IpRateLimitStage.rateLimited(reason, probe.getNanosToWaitForRefill());
        }
    }

    private void concurrency(int max, String key, String stat, String reason, Exchange ex) throws Rejection {
        if (max <= 0) {
            return;
        }
        ConcurrencyLimiter.Slot slot = traffic.concurrency().tryAcquire(key, max);
        if (slot == null) {
            traffic.stats().count(stat);
            throw new Rejection(ErrorCode.RATE_LIMITED).with("reason", reason).retryAfterSeconds(1);
        }
        ex.onComplete(slot::close);
    }

    private Rejection quotaExceeded(ZonedDateTime now, String stat, String reason) {
        traffic.stats().count(stat);
        ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(now.getZone());
        long seconds = Math.max(1, (Duration.between(now, midnight).toMillis() + 999) / 1000);
        return new Rejection(ErrorCode.QUOTA_EXCEEDED).with("reason", reason).retryAfterSeconds(seconds);
    }

    static boolean served(Exchange ex) {
        return ex.errorCode() == null || !NOT_SERVED.contains(ex.errorCode());
    }

    /**
     * Tokens to hold for a call before it runs: the prompt (about 4 bytes a token) plus the
     * completion it asks for at most. Settled to the backend's count afterwards.
     */
    static long estimateTokens(Exchange ex) {
        long prompt = ex.body() == null ? 1 : Math.max(1, ex.body().length / 4);
        JsonNode json = ex.json();
        long completion = 0;
        if (json != null) {
            completion = Math.max(json.path("max_tokens").asLong(0), json.path("max_completion_tokens").asLong(0));
        }
        return prompt + Math.max(0, completion);
    }
}
