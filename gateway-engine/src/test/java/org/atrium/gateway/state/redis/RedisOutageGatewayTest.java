package org.atrium.gateway.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.atrium.gateway.GatewayServer;
import org.atrium.gateway.testing.RedisServer;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.gateway.testing.Tokens;
import org.atrium.model.Ban;
import org.atrium.model.BanType;
import org.atrium.model.RouteSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateways whose Redis is down at start or dies under traffic: they serve on the last known state
 * with bounded latency, say DEGRADED on /ready, refuse admin writes with a fast 503 and recover by
 * themselves when Redis returns.
 */
class RedisOutageGatewayTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private RedisServer redis;
    private StubBackend stub;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        redis = RedisServer.create();
        stub = StubBackend.openAi();
    }

    @AfterEach
    void stop() throws IOException {
        stub.close();
        redis.close();
    }

    private GatewayServer gateway(Path dataDir) throws IOException {
        Path cfg = dir.resolve("atrium.yaml");
        Files.writeString(cfg, RedisClusterGatewayTest.yaml());
        return GatewayServer.start(new GatewayServer.Options(cfg, dataDir,
                Map.of("JWT_SECRET", TestGateway.SECRET, "ATRIUM_REDIS_URL", redis.url()), Clock.systemUTC(), 0, 0));
    }

    private static String token(String user, String task) {
        long now = Instant.now().getEpochSecond();
        return Tokens.hs256(TestGateway.SECRET, "{\"sub\":\"" + user + "\",\"tenant\":\"default\",\"allowed_tasks\":[\""
                + task + "\"],\"role\":\"user\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + user
                + now + "\"}");
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int call(GatewayServer g, String token, String task) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.dataPort() + "/api/task/" + task
                        + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}"))).statusCode();
    }

    private HttpResponse<String> ready(GatewayServer g) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.dataPort() + "/ready")).GET());
    }

    private HttpResponse<String> adminBan(GatewayServer g, String user) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.adminPort() + "/admin/v1/bans"))
                .header("Authorization", "Bearer " + g.secrets().adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"user\",\"target\":\"" + user
                        + "\",\"reason\":\"test\"}")));
    }

    private static void await(String what, Duration max, java.util.function.BooleanSupplier cond)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void startsFromItsSnapshotWhenRedisIsDownThenConnectsAndResyncs() throws Exception {
        Path data = dir.resolve("node-data");
        redis.start();
        try (GatewayServer first = gateway(data)) {
            first.store().putRoute(RouteSpec.simple("task_s", stub.url()));
            first.store().putBan(new Ban(BanType.USER, "mallory", null, "admin", Instant.now(), null));
            assertThat(call(first, token("alice", "task_s"), "task_s")).isEqualTo(200);
        }
        assertThat(data.resolve("state-snapshot.json")).exists();
        redis.save();
        redis.kill();

        long t0 = System.nanoTime();
        try (GatewayServer g = gateway(data)) {
            long startMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(startMillis).as("start without Redis").isLessThan(8_000);
            HttpResponse<String> r = ready(g);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("READY DEGRADED");
            assertThat(g.store().healthy()).isFalse();
            assertThat(call(g, token("alice", "task_s"), "task_s")).as("route from the snapshot").isEqualTo(200);
            assertThat(call(g, token("mallory", "task_s"), "task_s")).as("ban from the snapshot").isEqualTo(403);

            long w0 = System.nanoTime();
            assertThat(adminBan(g, "eve").statusCode()).isEqualTo(503);
            assertThat((System.nanoTime() - w0) / 1_000_000).as("admin write without Redis").isLessThan(1_000);

            redis.start();
            await("reconnect", Duration.ofSeconds(8), () -> ready(g).body().equals("READY\n"));
            assertThat(adminBan(g, "eve").statusCode()).isEqualTo(201);
            await("ban enforced", Duration.ofSeconds(1), () -> call(g, token("eve", "task_s"), "task_s") == 403);
        }
    }

    @Test
    void redisKilledUnderTrafficKeepsServingWithBoundedLatencyAndRecovers() throws Exception {
        redis.start();
        try (GatewayServer a = gateway(dir.resolve("a")); GatewayServer b = gateway(dir.resolve("b"))) {
            a.store().putRoute(RouteSpec.simple("task_k", stub.url()));
            String alice = token("alice", "task_k");
            await("route on B", Duration.ofSeconds(2), () -> call(b, alice, "task_k") == 200);
            redis.save();
            redis.kill();

            long worst = 0;
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                GatewayServer g = n++ % 2 == 0 ? a : b;
                long t0 = System.nanoTime();
                assertThat(call(g, alice, "task_k")).isEqualTo(200);
                worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(50);
            }
            // Each Redis call is bounded by timeout_millis (500 ms); the first request after the kill may
            // make two of them (rate-limit bucket, quota) before the limits fall back to local ones.
            // On 2 shared cores that is ~1.1 s: bounded, never a multi-second stall.
            assertThat(worst).as("slowest request while Redis is gone (ms)").isLessThan(2_000);
            assertThat(ready(a).body()).startsWith("READY DEGRADED");
            assertThat(ready(b).body()).startsWith("READY DEGRADED");
            long w0 = System.nanoTime();
            assertThat(adminBan(a, "mallory").statusCode()).isEqualTo(503);
            assertThat((System.nanoTime() - w0) / 1_000_000).isLessThan(1_000);

            redis.start();
            await("both nodes recover", Duration.ofSeconds(8),
                    () -> ready(a).body().equals("READY\n") && ready(b).body().equals("READY\n"));
            String mallory = token("mallory", "task_k");
            assertThat(call(b, mallory, "task_k")).isEqualTo(200);
            assertThat(adminBan(a, "mallory").statusCode()).isEqualTo(201);
            long t0 = System.nanoTime();
            await("ban from A enforced on B", Duration.ofSeconds(1), () -> call(b, mallory, "task_k") == 403);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        }
    }
}
