package org.atrium.gateway.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.atrium.gateway.state.StateStore;
import org.atrium.gateway.testing.RedisServer;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.gateway.testing.Tokens;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.RouteSpec;
import org.atrium.model.TenantSpec;
import org.atrium.model.TokenInfo;
import org.atrium.model.UsageRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real gateway nodes sharing one redis-server: a change made through node A is enforced by
 * node B within a second, and usage from both adds up.
 */
class RedisClusterGatewayTest {
    static RedisServer redis;
    static StubBackend stub;
    static TestGateway a;
    static TestGateway b;

    /** Cluster config; the address here is wrong on purpose: ATRIUM_REDIS_URL must override it. */
    static String yaml() {
        return """
                state:
                  backend: redis
                  usage_flush_seconds: 1
                  redis:
                    address: redis://127.0.0.1:1
                    timeout_millis: 500
                """;
    }

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.create().start();
        stub = StubBackend.openAi();
        Map<String, String> env = Map.of("ATRIUM_REDIS_URL", redis.url());
        a = TestGateway.start(yaml(), Clock.systemUTC(), env);
        b = TestGateway.start(yaml(), Clock.systemUTC(), env);
        a.server().store().putRoute(RouteSpec.simple("task_c", stub.url()));
        String t = a.token("warmup", "default", "task_c");
        within(5_000, "route on B", () -> call(b, t, "task_c"), 200);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, stub, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static int call(TestGateway gw, String token, String task) {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.base() + "/api/task/" + task
                        + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")), token);
        return r.statusCode();
    }

    /** Polls until {@code status} answers {@code expected}; fails when that takes longer than {@code maxMillis}. */
    static long within(long maxMillis, String what, IntSupplier status, int expected) throws InterruptedException {
        long t0 = System.nanoTime();
        int last;
        while ((last = status.getAsInt()) != expected) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as(what + " (last status " + last + ")").isLessThan(maxMillis);
            Thread.sleep(20);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as(what).isLessThan(maxMillis);
        return ms;
    }

    static String tokenWithJti(String jti, String user, String tenant, String task) {
        long now = Instant.now().getEpochSecond();
        return Tokens.hs256(TestGateway.SECRET, "{\"sub\":\"" + user + "\",\"tenant\":\"" + tenant
                + "\",\"allowed_tasks\":[\"" + task + "\"],\"role\":\"user\",\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + ",\"jti\":\"" + jti + "\"}");
    }

    static StateStore storeOfA() {
        return a.server().store();
    }

    @Test
    void bothNodesAreReadyOnRedis() {
        for (TestGateway g : new TestGateway[] {a, b}) {
            HttpResponse<String> r = g.get("/ready", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("READY\n");
            assertThat(g.server().store()).isInstanceOf(RedisStateStore.class);
            assertThat(((RedisStateStore) g.server().store()).address()).isEqualTo(redis.url());
        }
    }

    @Test
    void aRouteAddedOnAIsServedByBWithinASecond() throws Exception {
        String t = b.token("rita", "default", "task_new");
        assertThat(call(b, t, "task_new")).isEqualTo(404);
        storeOfA().putRoute(RouteSpec.simple("task_new", stub.url()));
        within(1_000, "route reaches B", () -> call(b, t, "task_new"), 200);
        storeOfA().deleteRoute("task_new");
        within(1_000, "route removal reaches B", () -> call(b, t, "task_new"), 404);
    }

    @Test
    void aBanMadeOnAIsEnforcedByBWithinASecond() throws Exception {
        String t = b.token("mallory", "default", "task_c");
        assertThat(call(b, t, "task_c")).isEqualTo(200);
        storeOfA().putBan(new Ban(BanType.USER, "mallory", "test", "admin", Instant.now(), null));
        within(1_000, "ban reaches B", () -> call(b, t, "task_c"), 403);
        storeOfA().deleteBan(BanType.USER, "mallory");
        within(1_000, "unban reaches B", () -> call(b, t, "task_c"), 200);
    }

    @Test
    void aRevocationOnAIsEnforcedByBWithinASecond() throws Exception {
        String jti = "jti-" + System.nanoTime();
        String t = tokenWithJti(jti, "victor", "default", "task_c");
        assertThat(call(b, t, "task_c")).isEqualTo(200);
        storeOfA().registerToken(new TokenInfo(jti, "default", "victor", null, "user", Instant.now(),
                Instant.now().plusSeconds(3600), null, "admin"));
        assertThat(storeOfA().revokeToken(jti, Instant.now())).isTrue();
        within(1_000, "revocation reaches B", () -> call(b, t, "task_c"), 401);
    }

    @Test
    void aTenantDisabledOnAIsEnforcedByBWithinASecond() throws Exception {
        storeOfA().putTenant(TenantSpec.of("cardiology"));
        String t = b.token("carla", "cardiology", "task_c");
        within(1_000, "tenant reaches B", () -> call(b, t, "task_c"), 200);
        storeOfA().putTenant(TenantSpec.of("cardiology").withEnabled(false));
        within(1_000, "disabled tenant reaches B", () -> call(b, t, "task_c"), 403);
    }

    @Test
    void tenantRateLimitsAreGlobalAcrossNodes() throws Exception {
        storeOfA().putTenant(new TenantSpec("lab", null, true, null, null, 6, 4, null, null, null, null, null, null,
                null));
        String t = a.token("lena", "lab", "task_c");
        within(1_000, "tenant reaches B", () -> b.server().store().tenant("lab").isPresent() ? 1 : 0, 1);
        int ok = 0;
        for (int i = 0; i < 10; i++) {
            if (call(i % 2 == 0 ? a : b, t, "task_c") == 200) {
                ok++;
            }
        }
        assertThat(ok).as("burst of 4 shared by both nodes").isEqualTo(4);
    }

    @Test
    void dailyQuotasAreGlobalAcrossNodes() throws Exception {
        storeOfA().putTenant(new TenantSpec("pharmacy", null, true, null, null, null, null, null, null, null, null, 3L,
                null, null));
        String t = a.token("paul", "pharmacy", "task_c");
        within(1_000, "tenant reaches B", () -> call(b, t, "task_c"), 200);
        int ok = 1;
        for (int i = 0; i < 6; i++) {
            if (call(i % 2 == 0 ? a : b, t, "task_c") == 200) {
                ok++;
            }
        }
        assertThat(ok).as("quota of 3 shared by both nodes").isEqualTo(3);
    }

    @Test
    void usageFromBothNodesAddsUp() throws Exception {
        storeOfA().putTenant(TenantSpec.of("oncology"));
        for (TestGateway node : List.of(a, b)) { // a call refused before the tenant reached a node would count too
            assertThat(TestGateway.eventually(() -> node.server().state().tenant("oncology"), java.util.Objects::nonNull))
                    .as("tenant reaches the node").isNotNull();
        }
        String t = a.token("olga", "oncology", "task_c");
        for (int i = 0; i < 3; i++) {
            assertThat(call(a, t, "task_c")).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(call(b, t, "task_c")).isEqualTo(200);
        }
        LocalDate today = a.server().usage().today();
        long requests = TestGateway.eventually(() -> { // each call is counted just after its caller got the answer
            a.server().usage().flush();
            b.server().usage().flush();
            return storeOfA().usage(today, today, "oncology").stream()
                    .filter(r -> r.user().equals("olga")).mapToLong(UsageRow::requests).sum();
        }, n -> n >= 5);
        assertThat(requests).isEqualTo(5);
    }

    @Test
    void aCallChecksAllItsLimitsInOneRedisRoundTrip() throws Exception {
        // Tenant and user limits too small to lease (checked in Redis every call); the default per-IP limit is leased.
        storeOfA().putTenant(new TenantSpec("radiology", null, true, null, null, 60, 10, 60, 10, null, null, 1_000L,
                1_000_000L, null));
        String t = a.token("rosa", "radiology", "task_c");
        within(1_000, "tenant reaches A", () -> call(a, t, "task_c"), 200); // the day's first call seeds the quotas
        String admit = sha1(RedisCallLimiter.ADMIT);
        try (RedisServer.Monitor monitor = redis.monitor()) {
            for (int i = 0; i < 4; i++) {
                assertThat(call(a, t, "task_c")).isEqualTo(200);
            }
            List<List<String>> limits = monitor.commands(redis).stream()
                    .filter(c -> c.stream().anyMatch(w -> w.startsWith("atrium:rate:") || w.startsWith("atrium:quota:")))
                    .toList();
            // Settles (nobody waits for them) ride in the same script, alone when none is in flight: a call's own
            // script is the one that carries its buckets.
            List<List<String>> admits = limits.stream().filter(c -> c.size() > 1 && c.get(1).equals(admit)
                    && c.stream().anyMatch(w -> w.startsWith("atrium:rate:tenant:radiology"))).toList();
            assertThat(admits).as("one script per call before it is proxied").hasSize(4).allSatisfy(c -> {
                assertThat(c.get(0)).isEqualToIgnoringCase("EVALSHA");
                assertThat(c).as("tenant and user buckets and both quotas")
                        .anyMatch(w -> w.startsWith("atrium:rate:user:radiology:rosa"))
                        .anyMatch(w -> w.startsWith("atrium:quota:requests:")).anyMatch(w -> w.startsWith("atrium:quota:tokens:"));
            });
            assertThat(limits).as("only that script writes the limit keys (settles included); the quota gauges read them")
                    .allSatisfy(c -> assertThat(c.get(0).toUpperCase(java.util.Locale.ROOT)).isIn("EVALSHA", "GET"));
            assertThat(limits.stream().filter(c -> c.get(0).equalsIgnoreCase("EVALSHA")).count())
                    .as("4 calls and at most 5 settle-only scripts (these calls' and the first's)").isLessThanOrEqualTo(4 + 5);
        }
    }

    static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
