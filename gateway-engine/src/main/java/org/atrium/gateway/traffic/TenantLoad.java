package org.atrium.gateway.traffic;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.atrium.gateway.config.LimitsConfig;
import org.atrium.gateway.telemetry.live.TenantGauges;
import org.atrium.model.TenantSpec;

/**
 * Per-tenant load as the live feed and metrics show it: calls waiting in the fair-share queues,
 * calls admitted and running, and the share of today's quota used. Counted by the admission stage.
 */
public final class TenantLoad implements TenantGauges {
    private final Map<String, AtomicInteger> queued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final TrafficControl traffic;
    private final Function<String, TenantSpec> tenants;

    public TenantLoad(TrafficControl traffic, Function<String, TenantSpec> tenants) {
        this.traffic = traffic;
        this.tenants = tenants;
    }

    public void queued(String tenant, int delta) {
        queued.computeIfAbsent(tenant, t -> new AtomicInteger()).addAndGet(delta);
    }

    public void running(String tenant, int delta) {
        running.computeIfAbsent(tenant, t -> new AtomicInteger()).addAndGet(delta);
    }

    @Override
    public int inFlight(String tenant) {
        AtomicInteger n = running.get(tenant);
        return n == null ? 0 : n.get();
    }

    @Override
    public int queued(String tenant) {
        AtomicInteger n = queued.get(tenant);
        return n == null ? 0 : n.get();
    }

    @Override
    public Double quotaUsedPercent(String tenant) {
        TenantSpec t = tenants.apply(tenant);
        LimitsConfig cfg = traffic.config();
        long requestQuota = t != null && t.dailyRequestQuota() != null ? t.dailyRequestQuota() : cfg.tenantDailyRequestQuota();
        long tokenQuota = t != null && t.dailyTokenQuota() != null ? t.dailyTokenQuota() : cfg.tenantDailyTokenQuota();
        if (requestQuota <= 0 && tokenQuota <= 0) {
            return null;
        }
        LocalDate day = LocalDate.now(traffic.clock().withZone(traffic.zone()));
        double pct = 0;
        if (requestQuota > 0) {
            pct = Math.max(pct, 100.0 * traffic.quotas().used(new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, tenant, day))
                    / requestQuota);
        }
        if (tokenQuota > 0) {
            pct = Math.max(pct, 100.0 * traffic.quotas().used(new QuotaCounter.Key(QuotaCounter.Kind.TOKENS, tenant, day))
                    / tokenQuota);
        }
        return pct;
    }
}
