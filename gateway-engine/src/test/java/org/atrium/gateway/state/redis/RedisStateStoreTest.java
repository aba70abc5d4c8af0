package org.atrium.gateway.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.atrium.gateway.state.AuditChain;
import org.atrium.gateway.state.AuditRecord;
import org.atrium.gateway.state.StateChange;
import org.atrium.gateway.state.UsageDelta;
import org.atrium.model.AuditEntry;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.UsageRow;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.gateway.state.StateStore;
import org.atrium.gateway.state.StateStoreContract;
import org.atrium.gateway.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Redis store against the shared contract, on a real redis-server (one per class, a key prefix per test). */
class RedisStateStoreTest extends StateStoreContract {
    private static final AtomicInteger N = new AtomicInteger();
    static RedisServer redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.create().start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected StateStore open(Clock clock) {
        return open(clock, "c" + N.incrementAndGet() + ":", "a");
    }

    private RedisStateStore open(Clock clock, String prefix, String node) {
        return RedisStateStore.open(new RedisStateStore.Settings(redis.url(), null, Duration.ofMillis(500),
                prefix, dir.resolve(node + "-snapshot.json"), node), clock);
    }

    @Test
    void aChangeOnOneNodeReachesTheOtherWithinASecond() throws Exception {
        String prefix = "pair" + N.incrementAndGet() + ":";
        try (RedisStateStore a = open(clock, prefix, "a"); RedisStateStore b = open(clock, prefix, "b")) {
            BlockingQueue<StateChange> heardByB = new LinkedBlockingQueue<>();
            b.onChange(heardByB::add);
            for (StateChange kind : StateChange.values()) {
                long t0 = System.nanoTime();
                switch (kind) {
                    case TENANTS -> a.putTenant(TenantSpec.of("radiology"));
                    case ROUTES -> a.putRoute(RouteSpec.simple("task_001", "http://10.0.0.5:8000"));
                    case BANS -> a.putBan(new Ban(BanType.USER, "mallory", null, "admin", T0, null));
                    case TOKENS -> a.registerToken(new TokenInfo("j1", "radiology", "alice", null, "user", T0, null,
                            null, "admin"));
                }
                long deadline = t0 + 1_000_000_000L;
                StateChange got = null;
                while (got != kind && System.nanoTime() < deadline) {
                    got = heardByB.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                assertThat(got).as("B hears %s within 1 s", kind).isEqualTo(kind);
            }
            assertThat(b.tenant("radiology")).isPresent();
            assertThat(b.revokeToken("j1", T0)).isTrue();
            assertThat(a.tokens().getFirst().revokedAt()).isEqualTo(T0);
        }
    }

    @Test
    void twoNodesAppendingAtOnceNeverForkTheAuditChain() throws Exception {
        String prefix = "audit" + N.incrementAndGet() + ":";
        try (RedisStateStore a = open(clock, prefix, "a"); RedisStateStore b = open(clock, prefix, "b")) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                RedisStateStore s = t % 2 == 0 ? a : b;
                int thread = t;
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        s.appendAudit(new AuditRecord("admin" + thread, "10.0.0." + thread, "x", "t" + i, null, null));
                    }
                }));
            }
            for (Future<?> f : jobs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<AuditEntry> all = b.audit(null, null, null);
            assertThat(all).hasSize(60);
            assertThat(all).extracting(AuditEntry::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 60).boxed().toList());
            assertThat(AuditChain.firstBrokenLink(all)).isEmpty();
        }
    }

    @Test
    void usageFromSeveralNodesAddsUp() throws Exception {
        String prefix = "usage" + N.incrementAndGet() + ":";
        LocalDate day = LocalDate.of(2026, 3, 2);
        try (RedisStateStore a = open(clock, prefix, "a"); RedisStateStore b = open(clock, prefix, "b")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> jobs = new ArrayList<>();
            for (RedisStateStore s : List.of(a, b)) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        s.addUsage(List.of(new UsageDelta(day, "icu", "bob", "task_001", 1, 0, 10, 2, 100)));
                    }
                }));
            }
            for (Future<?> f : jobs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(a.usage(day, day, "icu")).containsExactly(
                    new UsageRow(day, "icu", "bob", "task_001", 100, 0, 1000, 200, 10.0));
        }
    }

    @Test
    void keepsPlainJsonInRedisHashes() throws Exception {
        String prefix = "plain" + N.incrementAndGet() + ":";
        try (RedisStateStore a = open(clock, prefix, "a")) {
            a.putTenant(TenantSpec.of("radiology"));
            assertThat(redis.command("HEXISTS", prefix + "tenants", "radiology")).isEqualTo(":1");
        }
    }
}
