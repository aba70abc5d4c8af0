package org.atrium.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atrium.gateway.config.LimitsConfig;
import org.atrium.gateway.state.BanIndex;
import org.atrium.gateway.traffic.CallLimiter;
import org.atrium.gateway.traffic.ConcurrencyLimiter;
import org.atrium.gateway.traffic.QuotaCounter;
import org.atrium.gateway.traffic.RateLimit;
import org.atrium.gateway.traffic.TrafficControl;
import org.atrium.model.ErrorCode;
import org.atrium.model.TenantSpec;

/**
 * Stage 6: the tenant's and the user's rates, the tenant's daily request and token quotas, and
 * calls in flight per tenant and per user. A tenant's own value wins over the gateway default;
 * {@code 0} means no limit. Rates and quotas go to the {@link CallLimiter} together (one Redis round
 * trip in cluster mode, which also takes the per-IP rate from the shared bucket). Quotas are reserved
 * here and settled when the call ends (a refused or never-served call gives its reservation back;
 * tokens settle to what the backend reported), so parallel calls cannot overshoot. Every refusal is
 * a 429 with {@code Retry-After}.
 */
public final class LimitsStage implements Stage {
    /** Calls refused by the gateway before a backend worked on them do not use quota. */
    private static final Set<String> NOT_SERVED = Set.of(ErrorCode.RATE_LIMITED.name(), ErrorCode.QUOTA_EXCEEDED.name(),
            ErrorCode.QUEUE_FULL.name(), ErrorCode.QUEUE_TIMEOUT.name(), ErrorCode.UPSTREAM_UNAVAILABLE.name(),
            ErrorCode.PAYLOAD_TOO_LARGE.name(), ErrorCode.BAD_REQUEST.name());

    private static final Map<String, String> RATE_REASONS = Map.of("ip", "Too many requests from this address",
            "tenant", "Tenant rate limit exceeded", "user", "User rate limit exceeded");

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
        List<CallLimiter.RateCheck> rates = new ArrayList<>(3);
        // The per-IP rate was taken from this node's bucket before the token; a cluster limiter takes it
        // again from the shared bucket here, in the same round trip as the others.
        rate(rates, new RateLimit(cfg.ipRequestsPerMinute(), cfg.ipBurst()), "ip:" + BanIndex.canonicalIp(ex.clientIp()), true);
        rate(rates, new RateLimit(or(t.requestsPerMinute(), cfg.tenantRequestsPerMinute()), or(t.burst(), cfg.tenantBurst())),
                "tenant:" + tenant, false);
        rate(rates, new RateLimit(or(t.userRequestsPerMinute(), cfg.userRequestsPerMinute()), or(t.userBurst(), cfg.userBurst())),
                "user:" + tenant + ":" + user, false);

        long requestQuota = t.dailyRequestQuota() != null ? t.dailyRequestQuota() : cfg.tenantDailyRequestQuota();
        long tokenQuota = t.dailyTokenQuota() != null ? t.dailyTokenQuota() : cfg.tenantDailyTokenQuota();
        // the local date only where a quota needs it (zoned time on every call was ~1 % of CPU)
        ZonedDateTime now = requestQuota > 0 || tokenQuota > 0
                ? ZonedDateTime.now(traffic.clock().withZone(traffic.zone())) : null;
        LocalDate day = now == null ? null : now.toLocalDate();
        List<CallLimiter.QuotaCheck> quotas = requestQuota > 0 || tokenQuota > 0 ? new ArrayList<>(2) : List.of();
        CallLimiter.QuotaCheck requests = requestQuota <= 0 ? null
                : add(quotas, new CallLimiter.QuotaCheck(new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, tenant, day), 1,
                        requestQuota));
        if (tokenQuota > 0) {
            add(quotas, new CallLimiter.QuotaCheck(new QuotaCounter.Key(QuotaCounter.Kind.TOKENS, tenant, day),
                    estimateTokens(ex), tokenQuota));
        }

        switch (traffic.limiter().admit(rates, quotas)) {
            case CallLimiter.Admitted a -> {
                for (int i = 0; i < quotas.size(); i++) {
                    QuotaCounter.Reservation r = a.reservations().get(i);
                    boolean isRequests = quotas.get(i) == requests;
                    ex.onComplete(() -> r.settle(isRequests ? (served(ex) ? 1 : 0) : ex.totalTokens()));
                }
            }
            case CallLimiter.RateRefused r -> {
                String who = r.rate().key().substring(0, r.rate().key().indexOf(':')); // ip, tenant or user
                traffic.stats().count("rate_limited." + who);
                throw IpRateLimitStage.rateLimited(RATE_REASONS.get(who), r.nanosToWait());
            }
            case CallLimiter.QuotaRefused q -> {
                boolean isRequests = q.quota() == requests;
                throw quotaExceeded(now, isRequests ? "quota.requests" : "quota.tokens", (isRequests
                        ? "Daily request quota of " + requestQuota : "Daily token quota of " + tokenQuota)
                        + " reached for tenant " + tenant);
            }
        }
        concurrency(or(t.maxConcurrent(), cfg.tenantMaxConcurrent()), "tenant:" + tenant, "concurrency.tenant",
                "Too many concurrent requests for this tenant", ex);
        concurrency(or(t.userMaxConcurrent(), cfg.userMaxConcurrent()), "user:" + tenant + ":" + user, "concurrency.user",
                "Too many concurrent requests for this user", ex);
    }

    private static int or(Integer own, int dflt) {
        return own != null ? own : dflt;
    }

    /** Adds a check of {@code limit} on {@code key} when the limit limits anything. */
    private static void rate(List<CallLimiter.RateCheck> rates, RateLimit limit, String key, boolean sharedOnly) {
        if (limit.enabled()) {
            rates.add(new CallLimiter.RateCheck(key + ":" + limit.tag(), limit, sharedOnly));
        }
    }

    private static <T> T add(List<T> list, T item) {
        list.add(item);
        return item;
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
