package org.atrium.gateway.traffic;

import java.util.List;
import java.util.Objects;

/**
 * The rate limits and daily quotas of one call, decided together: the local implementation asks
 * this node's buckets and counters, the cluster one sends everything to Redis in one script (one
 * round trip). Concurrency slots stay with {@link ConcurrencyLimiter}.
 */
public interface CallLimiter {
    /**
     * One token from {@code key}'s bucket. {@code sharedOnly}: an earlier stage already took it from
     * this node's own bucket (the per-IP rate, checked before the token), so only a limiter shared by
     * several nodes takes it again, from the shared bucket.
     */
    record RateCheck(String key, RateLimit limit, boolean sharedOnly) {
        public RateCheck {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(limit, "limit");
            if (!limit.enabled()) {
                throw new IllegalArgumentException("a rate check needs an enabled limit: " + key);
            }
        }
    }

    /** Up to {@code amount} (at least 1) of what is left of {@code limit} on {@code key}'s counter. */
    record QuotaCheck(QuotaCounter.Key key, long amount, long limit) {
        public QuotaCheck {
            Objects.requireNonNull(key, "key");
            if (limit <= 0) {
                throw new IllegalArgumentException("a quota check needs a limit > 0: " + key);
            }
            amount = Math.max(1, amount);
        }
    }

    /** What {@link #admit} decided. */
    sealed interface Verdict {
    }

    /** Every check passed; one reservation per quota check, in order, to settle when the call ends. */
    record Admitted(List<QuotaCounter.Reservation> reservations) implements Verdict {
        public Admitted {
            reservations = List.copyOf(reservations);
        }
    }

    /** {@code rate}'s bucket is empty; a token comes back in {@code nanosToWait}. */
    record RateRefused(RateCheck rate, long nanosToWait) implements Verdict {
    }

    /** Nothing is left of {@code quota} today. */
    record QuotaRefused(QuotaCheck quota) implements Verdict {
    }

    /** Takes one token from every bucket and reserves every quota, or refuses naming the first check that failed. */
    Verdict admit(List<RateCheck> rates, List<QuotaCheck> quotas);
}
