package org.atrium.gateway.traffic;

import io.github.bucket4j.ConsumptionProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This node's buckets and quota counters, checked one after another: a refused call keeps the
 * tokens it took from earlier buckets (as a Bucket4j bucket would) and gives back the quota it
 * reserved before the refusal. Rates marked {@code sharedOnly} were already taken from these same
 * buckets by an earlier stage and are skipped.
 */
public final class LocalCallLimiter implements CallLimiter {
    private final BucketProvider buckets;
    private final QuotaCounter quotas;

    public LocalCallLimiter(BucketProvider buckets, QuotaCounter quotas) {
        this.buckets = buckets;
        this.quotas = quotas;
    }

    @Override
    public Verdict admit(List<RateCheck> rates, List<QuotaCheck> checks) {
        for (RateCheck r : rates) {
            if (r.sharedOnly()) {
                continue;
            }
            ConsumptionProbe probe = buckets.bucket(r.key(), r.limit()).tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                return new RateRefused(r, probe.getNanosToWaitForRefill());
            }
        }
        List<QuotaCounter.Reservation> held = new ArrayList<>(checks.size());
        for (QuotaCheck q : checks) {
            Optional<QuotaCounter.Reservation> r = quotas.tryReserve(q.key(), q.amount(), q.limit());
            if (r.isEmpty()) {
                held.forEach(h -> h.settle(0));
                return new QuotaRefused(q);
            }
            held.add(r.get());
        }
        return new Admitted(held);
    }
}
