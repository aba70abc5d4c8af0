package org.atrium.gateway.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.model.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §3: an admin write is durable when the API answers 2xx. A stream of writes (tenants, bans,
 * tokens, revocations) from several clients; the gateway process is killed with SIGKILL in the
 * middle; after a restart on the same data dir every acknowledged write is there.
 */
class CrashDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAdminWriteSurvivesKillMinus9() throws Exception {
        Path data = dir.resolve("data");
        Path cfg = dir.resolve("atrium.yaml");
        java.nio.file.Files.writeString(cfg, ChildGateway.LOOPBACK_ANY_PORT);
        ChildGateway gw = ChildGateway.start(cfg, data, dir.resolve("logs"), "first");
        Set<String> tenants = ConcurrentHashMap.newKeySet();
        Set<String> bans = ConcurrentHashMap.newKeySet();
        Map<String, String> tokens = new ConcurrentHashMap<>(); // jti -> token
        Set<String> revoked = ConcurrentHashMap.newKeySet();
        Set<String> revokeTried = ConcurrentHashMap.newKeySet(); // includes revocations in flight at the kill
        Set<String> keepers = ConcurrentHashMap.newKeySet();     // worker 0's tokens are never revoked
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
            int worker = w;
            pool.submit(() -> {
                for (int i = 0; !stop.get() && i < 5_000; i++) {
                    String id = "w" + worker + "-" + i;
                    try {
                        switch (i % 4) {
                            case 0 -> {
                                var r = gw.adminCall("POST", "/admin/v1/tenants", "{\"id\":\"t-" + id + "\",\"weight\":2}");
                                if (r.statusCode() / 100 == 2) {
                                    tenants.add("t-" + id);
                                }
                            }
                            case 1 -> {
                                var r = gw.adminCall("POST", "/admin/v1/bans",
                                        "{\"type\":\"user\",\"target\":\"u-" + id + "\",\"reason\":\"crash test\"}");
                                if (r.statusCode() / 100 == 2) {
                                    bans.add("u-" + id);
                                }
                            }
                            case 2 -> {
                                var r = gw.adminCall("POST", "/admin/v1/tokens",
                                        "{\"user\":\"k-" + id + "\",\"allowedTasks\":[\"*\"],\"ttlSeconds\":3600}");
                                if (r.statusCode() / 100 == 2) {
                                    JsonNode n = Json.mapper().readTree(r.body());
                                    tokens.put(n.path("jti").asText(), n.path("token").asText());
                                    if (worker == 0) {
                                        keepers.add(n.path("jti").asText());
                                    }
                                }
                            }
                            default -> {
                                String jti = tokens.keySet().stream().filter(j -> !keepers.contains(j)).filter(revokeTried::add).findAny().orElse(null);
                                if (jti != null) {
                                    var r = gw.adminCall("DELETE", "/admin/v1/tokens/" + jti, null);
                                    if (r.statusCode() / 100 == 2) {
                                        revoked.add(jti);
                                    }
                                }
                            }
                        }
                        acked.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet(); // in flight when the process died: fate unknown, not acknowledged
                    }
                }
                return null;
            });
        }
        // let writes flow, then kill in the middle of them
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (acked.get() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        gw.kill();
        Thread.sleep(300);
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acked.get()).as("writes acknowledged before the kill").isGreaterThanOrEqualTo(100);

        try (ChildGateway again = ChildGateway.start(cfg, data, dir.resolve("logs"), "second")) {
            JsonNode tl = Json.mapper().readTree(again.adminCall("GET", "/admin/v1/tenants", null).body());
            Set<String> haveTenants = new HashSet<>(tl.findValuesAsText("id"));
            assertThat(haveTenants).containsAll(tenants);
            JsonNode bl = Json.mapper().readTree(again.adminCall("GET", "/admin/v1/bans?type=user", null).body());
            Set<String> haveBans = new HashSet<>(bl.findValuesAsText("target"));
            assertThat(haveBans).containsAll(bans);
            JsonNode kl = Json.mapper().readTree(again.adminCall("GET", "/admin/v1/tokens", null).body());
            Map<String, JsonNode> haveTokens = new java.util.HashMap<>();
            kl.forEach(n -> haveTokens.put(n.path("jti").asText(), n));
            assertThat(haveTokens.keySet()).containsAll(tokens.keySet());
            for (String jti : revoked) {
                assertThat(haveTokens.get(jti).path("revokedAt").isTextual()).as("revocation of " + jti + " lost").isTrue();
            }
            // and the data path enforces them: revoked tokens refused, the others accepted
            List<String> sample = new ArrayList<>(revoked).subList(0, Math.min(5, revoked.size()));
            for (String jti : sample) {
                assertThat(models(again, tokens.get(jti)).statusCode()).as("revoked " + jti).isEqualTo(401);
            }
            String live = keepers.iterator().next();
            assertThat(models(again, tokens.get(live)).statusCode()).isEqualTo(200);
            System.out.printf("kill -9 durability: %d acknowledged (%d tenants, %d bans, %d tokens, %d revocations), %d in flight%n",
                    acked.get(), tenants.size(), bans.size(), tokens.size(), revoked.size(), failed.get());
        }
    }

    private static HttpResponse<String> models(ChildGateway g, String token) throws Exception {
        return g.http().send(HttpRequest.newBuilder(URI.create(g.base() + "/v1/models"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
