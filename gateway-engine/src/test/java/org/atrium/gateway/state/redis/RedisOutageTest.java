package org.atrium.gateway.state.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.atrium.gateway.state.StateChange;
import org.atrium.gateway.state.StateException;
import org.atrium.gateway.state.UsageDelta;
import org.atrium.gateway.testing.RedisServer;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis down at start, lost mid-run and hanging: bounded calls, last known state, recovery by itself. */
class RedisOutageTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private final Clock clock = Clock.systemUTC();
    private RedisServer redis;

    @TempDir
    Path dir;

    @BeforeEach
    void createRedis() {
        redis = RedisServer.create();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    private RedisStateStore open(String node) {
        return RedisStateStore.open(new RedisStateStore.Settings(redis.url(), null, TIMEOUT, "o:",
                dir.resolve(node + "-snapshot.json"), node), clock);
    }

    static void await(String what, Duration max, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    static long millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** How long {@code r} took to fail with a StateException (it must fail). */
    static long millisToFail(Runnable r) {
        long t0 = System.nanoTime();
        try {
            r.run();
        } catch (StateException expected) {
            return (System.nanoTime() - t0) / 1_000_000;
        }
        throw new AssertionError("expected a StateException");
    }

    /** The bound the issue sets: no caller waits more than about a second on Redis. */
    static final long BOUND_MS = TIMEOUT.toMillis() + 450;

    @Test
    void startsFromTheLocalSnapshotWhenRedisIsDownThenConnectsAndResyncs() throws Exception {
        redis.start();
        Ban ban = new Ban(BanType.USER, "mallory", null, "admin", Instant.now(), null);
        try (RedisStateStore first = open("a")) {
            first.putTenant(TenantSpec.of("radiology"));
            first.putRoute(RouteSpec.simple("task_001", "http://10.0.0.5:8000"));
            first.putBan(ban);
            // The gateway's StateView reads after every change; that is what refreshes the snapshot.
            first.tenants();
            first.routes();
            first.bans();
            first.tokens();
        }
        Path snapshot = dir.resolve("a-snapshot.json");
        assertThat(Files.getPosixFilePermissions(snapshot)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        redis.save();
        redis.kill();

        long t0 = System.nanoTime();
        try (RedisStateStore store = open("a")) {
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("start without Redis").isLessThan(Duration.ofSeconds(3));
            assertThat(store.healthy()).isFalse();
            assertThat(store.tenants()).extracting(TenantSpec::id).containsExactly("radiology");
            assertThat(store.routes()).extracting(RouteSpec::id).containsExactly("task_001");
            assertThat(store.bans()).containsExactly(ban);
            assertThat(millisToFail(() -> store.putTenant(TenantSpec.of("icu"))))
                    .as("a write without Redis fails at once").isLessThan(100);

            BlockingQueue<StateChange> heard = new LinkedBlockingQueue<>();
            store.onChange(heard::add);
            redis.start();
            await("reconnect", Duration.ofSeconds(6), store::healthy);
            assertThat(heard.poll(2, TimeUnit.SECONDS)).as("re-sync reloads the views").isNotNull();

            try (RedisStateStore other = open("b")) {
                other.putTenant(TenantSpec.of("icu"));
            }
            await("live data after re-sync", Duration.ofSeconds(1),
                    () -> store.tenants().stream().anyMatch(t -> t.id().equals("icu")));
        }
    }

    @Test
    void losingRedisMidRunFailsWritesFastKeepsReadsAndRecovers() throws Exception {
        redis.start();
        try (RedisStateStore a = open("a"); RedisStateStore b = open("b")) {
            a.putTenant(TenantSpec.of("radiology"));
            assertThat(a.tenants()).hasSize(1);
            redis.save();
            redis.kill();

            for (int i = 0; i < 5; i++) {
                int n = i;
                long ms = millisToFail(() -> a.putTenant(TenantSpec.of("t" + n)));
                assertThat(ms).as("write %d while Redis is gone", i).isLessThan(BOUND_MS);
            }
            assertThat(millis(() -> assertThat(a.tenants()).extracting(TenantSpec::id).containsExactly("radiology")))
                    .isLessThan(BOUND_MS);
            assertThatThrownBy(() -> a.addUsage(List.of(new UsageDelta(LocalDate.now(), "radiology", "u", "r", 1, 0, 0, 0, 0))))
                    .isInstanceOf(StateException.class);
            await("both nodes notice", Duration.ofSeconds(3), () -> !a.healthy() && !b.healthy());

            redis.start();
            await("both nodes reconnect", Duration.ofSeconds(8), () -> a.healthy() && b.healthy());
            BlockingQueue<StateChange> heardByB = new LinkedBlockingQueue<>();
            b.onChange(heardByB::add);
            heardByB.clear();
            a.putBan(new Ban(BanType.IP, "10.9.9.9", null, "admin", Instant.now(), null));
            long deadline = System.nanoTime() + 1_000_000_000L;
            StateChange got = null;
            while (got != StateChange.BANS && System.nanoTime() < deadline) {
                got = heardByB.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            assertThat(got).as("changes propagate again after recovery").isEqualTo(StateChange.BANS);
            assertThat(b.tenants()).extracting(TenantSpec::id).containsExactly("radiology");
        }
    }

    @Test
    void aHangingRedisNeverStallsACallBeyondTheTimeout() throws Exception {
        redis.start();
        try (RedisStateStore a = open("a")) {
            a.putTenant(TenantSpec.of("radiology"));
            assertThat(a.tenants()).hasSize(1); // as the gateway's view does after every change
            redis.command("CLIENT", "PAUSE", "1500", "ALL");
            long ms = millisToFail(() -> a.putTenant(TenantSpec.of("icu")));
            assertThat(ms).isLessThan(BOUND_MS);
            assertThat(millis(() -> assertThat(a.tenants()).hasSize(1))).isLessThan(BOUND_MS);
            await("recovery after the pause", Duration.ofSeconds(8), a::healthy);
            a.putTenant(TenantSpec.of("icu"));
            assertThat(a.tenants()).hasSize(2);
        }
    }
}
