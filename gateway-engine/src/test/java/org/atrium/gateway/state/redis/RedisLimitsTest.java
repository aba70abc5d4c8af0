package org.atrium.gateway.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.atrium.gateway.state.UsageDelta;
import org.atrium.gateway.testing.RedisServer;
import org.atrium.gateway.traffic.LocalBucketProvider;
import org.atrium.gateway.traffic.QuotaCounter;
import org.atrium.gateway.traffic.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits and quotas shared by two nodes through Redis, and their local fallback. */
class RedisLimitsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private final Clock clock = Clock.systemUTC();
    private RedisServer redis;
    private RedisStateStore storeA;
    private RedisStateStore storeB;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        redis = RedisServer.create().start();
        storeA = open("a");
        storeB = open("b");
    }

    @AfterEach
    void stop() {
        storeA.close();
        storeB.close();
        redis.close();
    }

    private RedisStateStore open(String node) {
        return RedisStateStore.open(new RedisStateStore.Settings(redis.url(), null, TIMEOUT, "l:",
                dir.resolve(node + ".json"), node), clock);
    }

    private RedisBucketProvider buckets(RedisStateStore s) {
        return new RedisBucketProvider(s, new LocalBucketProvider(clock, 1000, Duration.ofMinutes(5)), clock, TIMEOUT);
    }

    @Test
    void twoNodesTogetherLetThroughWhatOneWould() {
        RateLimit limit = new RateLimit(6, 5); // 5 at once, then one every 10 s
        RedisBucketProvider a = buckets(storeA);
        RedisBucketProvider b = buckets(storeB);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            RedisBucketProvider node = i % 2 == 0 ? a : b;
            if (node.bucket("user:icu:bob:" + limit.tag(), limit).tryConsumeAndReturnRemaining(1).isConsumed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
    }

    @Test
    void quotasAreReservedAtomicallyAcrossNodesAndSeededFromUsage() {
        LocalDate day = LocalDate.now(clock);
        storeA.addUsage(List.of(new UsageDelta(day, "icu", "bob", "task_001", 3, 0, 0, 0, 0)));
        QuotaCounter a = new RedisQuotaCounter(storeA, RedisQuotaCounter.usedToday(storeA));
        QuotaCounter b = new RedisQuotaCounter(storeB, RedisQuotaCounter.usedToday(storeB));
        QuotaCounter.Key key = new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, "icu", day);
        int granted = 0;
        for (int i = 0; i < 20; i++) {
            if ((i % 2 == 0 ? a : b).tryReserve(key, 1, 10).isPresent()) {
                granted++;
            }
        }
        assertThat(granted).as("10 minus the 3 already used today").isEqualTo(7);
        assertThat(b.used(key)).isEqualTo(10);

        QuotaCounter.Key tokens = new QuotaCounter.Key(QuotaCounter.Kind.TOKENS, "icu", day);
        Optional<QuotaCounter.Reservation> r = a.tryReserve(tokens, 800, 1000);
        assertThat(r).isPresent();
        assertThat(b.tryReserve(tokens, 800, 1000)).get().extracting(QuotaCounter.Reservation::reserved).isEqualTo(200L);
        r.get().settle(100); // used less than estimated: 700 go back
        assertThat(b.used(tokens)).isEqualTo(300);
    }

    @Test
    void aHangingRedisCostsALimitCheckAtMostTheTimeout() throws Exception {
        RateLimit limit = new RateLimit(60, 10);
        RedisBucketProvider a = buckets(storeA);
        QuotaCounter quotas = new RedisQuotaCounter(storeA, RedisQuotaCounter.usedToday(storeA));
        QuotaCounter.Key key = new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, "icu", LocalDate.now(clock));
        assertThat(a.bucket("ip:10.0.0.2:" + limit.tag(), limit).tryConsumeAndReturnRemaining(1).isConsumed()).isTrue();
        assertThat(quotas.tryReserve(key, 1, 100)).isPresent();

        redis.command("CLIENT", "PAUSE", "1500", "ALL");
        long t0 = System.nanoTime();
        assertThat(a.bucket("ip:10.0.0.2:" + limit.tag(), limit).tryConsumeAndReturnRemaining(1).isConsumed()).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("bucket").isLessThan(RedisOutageTest.BOUND_MS);
        t0 = System.nanoTime();
        assertThat(quotas.tryReserve(key, 1, 100)).isPresent();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("quota").isLessThan(RedisOutageTest.BOUND_MS);
        RedisOutageTest.await("recovery", Duration.ofSeconds(8), storeA::healthy);
    }

    @Test
    void withoutRedisLimitsFallBackToLocalOnesAndRequestsNeverFail() throws Exception {
        RateLimit limit = new RateLimit(6, 3);
        RedisBucketProvider a = buckets(storeA);
        QuotaCounter quotas = new RedisQuotaCounter(storeA, RedisQuotaCounter.usedToday(storeA));
        QuotaCounter.Key key = new QuotaCounter.Key(QuotaCounter.Kind.REQUESTS, "icu", LocalDate.now(clock));
        assertThat(quotas.tryReserve(key, 1, 5)).isPresent();
        assertThat(quotas.tryReserve(key, 1, 5)).isPresent();

        redis.kill();
        // The very first call may meet the dead connection before a ping notices: it must still answer.
        long t0 = System.nanoTime();
        assertThat(a.bucket("ip:10.0.0.1:" + limit.tag(), limit).tryConsumeAndReturnRemaining(1).isConsumed()).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        RedisOutageTest.await("store notices", Duration.ofSeconds(3), () -> !storeA.healthy());

        int allowed = 1;
        for (int i = 0; i < 5; i++) {
            if (a.bucket("ip:10.0.0.1:" + limit.tag(), limit).tryConsumeAndReturnRemaining(1).isConsumed()) {
                allowed++;
            }
        }
        assertThat(allowed).as("local bucket of the same size").isEqualTo(3);
        // The local quota continues from the last value seen in Redis (2 of 5 used).
        int granted = 0;
        for (int i = 0; i < 5; i++) {
            if (quotas.tryReserve(key, 1, 5).isPresent()) {
                granted++;
            }
        }
        assertThat(granted).isEqualTo(3);
    }
}
