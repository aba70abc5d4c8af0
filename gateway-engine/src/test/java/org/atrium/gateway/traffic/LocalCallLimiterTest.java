package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One node's limiter: rates one after another, quotas reserved together or not at all. */
class LocalCallLimiterTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private final LocalBucketProvider buckets = new LocalBucketProvider(clock, 100, Duration.ofMinutes(5));
    private final LocalQuotaCounter quotas = new LocalQuotaCounter(k -> 0);
    private final LocalCallLimiter limiter = new LocalCallLimiter(buckets, quotas);
    private final LocalDate day = LocalDate.of(2026, 12, 1);

    @Test
    void aRateAnEarlierStageAlreadyTookIsNotTakenTwice() {
        RateLimit limit = new RateLimit(6, 2);
        CallLimiter.RateCheck ip = new CallLimiter.RateCheck("ip:10.0.0.1:" + limit.tag(), limit, true);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.admit(List.of(ip), List.of())).isInstanceOf(CallLimiter.Admitted.class);
        }
        assertThat(buckets.bucket(ip.key(), limit).getAvailableTokens()).isEqualTo(2);
    }

    @Test
    void anEmptyBucketRefusesWithTheWaitForTheNextToken() {
        RateLimit limit = new RateLimit(6, 1);
        CallLimiter.RateCheck user = new CallLimiter.RateCheck("user:icu:bob:" + limit.tag(), limit, false);
        assertThat(limiter.admit(List.of(user), List.of())).isInstanceOf(CallLimiter.Admitted.class);
        assertThat(limiter.admit(List.of(user), List.of())).isInstanceOfSatisfying(CallLimiter.RateRefused.class, r -> {
            assertThat(r.rate()).isSameAs(user);
            assertThat(r.nanosToWait()).isEqualTo(Duration.ofSeconds(10).toNanos());
        });
    }

    @Test
    void aQuotaRefusalGivesBackWhatTheCallReservedBeforeIt() {
        QuotaCounter.Key requests = new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, "icu", day);
        QuotaCounter.Key tokens = new QuotaCounter.Key(QuotaCounter.Kind.TOKENS, "icu", day);
        CallLimiter.QuotaCheck oneRequest = new CallLimiter.QuotaCheck(requests, 1, 10);
        CallLimiter.QuotaCheck tooManyTokens = new CallLimiter.QuotaCheck(tokens, 500, 100);
        assertThat(quotas.tryReserve(tokens, 100, 100)).isPresent(); // the token quota is used up

        CallLimiter.Verdict v = limiter.admit(List.of(), List.of(oneRequest, tooManyTokens));
        assertThat(v).isInstanceOfSatisfying(CallLimiter.QuotaRefused.class, q -> assertThat(q.quota()).isSameAs(tooManyTokens));
        assertThat(quotas.used(requests)).as("the request reservation went back").isZero();

        CallLimiter.Verdict ok = limiter.admit(List.of(), List.of(oneRequest));
        assertThat(ok).isInstanceOfSatisfying(CallLimiter.Admitted.class, a -> assertThat(a.reservations()).hasSize(1));
        assertThat(quotas.used(requests)).isEqualTo(1);
    }
}
