package org.atrium.gateway.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.gateway.testing.Tokens;
import org.atrium.model.AlertInfo;
import org.atrium.model.LiveFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code WS /admin/v1/live} on a real gateway through java.net.http's WebSocket client. */
class LiveFeedTest {
    static StubBackend stub;
    static TestGateway gw;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: connections are refused
        }
        gw = TestGateway.start("routes:\n"
                + TestGateway.route("chat", stub.url())
                + TestGateway.route("dead", "http://127.0.0.1:" + deadPort)
                + "telemetry:\n"
                + "  nvidia_smi: {enabled: false}\n"
                + "  live: {auth_timeout: 1s}\n"
                + "  alerts: {backend_down_for: 0s, resolve_after: 2s}\n");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    private static String url() {
        return "ws://127.0.0.1:" + gw.server().adminPort() + "/admin/v1/live";
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Test
    void framesAboutOnceASecondAndHistoryFirstOnConnect() throws Exception {
        Instant connected = Instant.now();
        WsProbe.Connected first = WsProbe.connect(url(), bearer(gw.adminToken()));
        assertThat(first.status()).isEqualTo(101);
        try (WsProbe a = first.probe()) {
            Thread.sleep(4_500);
            List<WsProbe.Message> got = a.drain(Duration.ofMillis(50));
            // frames made after this client connected (the history sent first is older)
            List<Instant> live = got.stream().map(m -> m.frame().at()).filter(t -> t.isAfter(connected)).toList();
            assertThat(live.size()).isBetween(2, 6);
            // About a second apart and never bunched; a busy machine may delay a tick, which then
            // waits for the next boundary rather than catching up (so up to ~2 s, never < 0.7 s).
            for (int i = 1; i < live.size(); i++) {
                assertThat(Duration.between(live.get(i - 1), live.get(i)).toMillis()).isBetween(700L, 2_100L);
            }
            // a second client gets the history at once, oldest first, then the live frames
            WsProbe.Connected second = WsProbe.connect(url(), bearer(gw.adminToken()));
            try (WsProbe b = second.probe()) {
                long t0 = System.nanoTime();
                List<WsProbe.Message> burst = b.drain(Duration.ofMillis(300));
                assertThat(burst.size()).isGreaterThanOrEqualTo(3);
                assertThat(TimeUnit.NANOSECONDS.toMillis(burst.getLast().nanos() - t0)).isLessThan(900);
                List<Instant> at = burst.stream().map(m -> m.frame().at()).toList();
                assertThat(at).isSorted();
                assertThat(at).containsAll(live);
                Instant next = b.next(Duration.ofSeconds(3)).frame().at();
                assertThat(next).isAfter(at.getLast());
            }
        }
    }

    @Test
    void frameListsTenantsAndBackends() throws Exception {
        String user = gw.token("ana", "default", "chat");
        assertThat(gw.post("/v1/chat/completions", user, "{\"model\":\"chat\",\"messages\":[]}").statusCode()).isEqualTo(200);
        try (WsProbe p = WsProbe.connect(url(), bearer(gw.adminToken())).probe()) {
            LiveFrame f = p.next(Duration.ofSeconds(3)).frame();
            assertThat(f.tenants()).anySatisfy(t -> assertThat(t.tenant()).isEqualTo("default"));
            assertThat(f.backends()).anySatisfy(b -> {
                assertThat(b.route()).isEqualTo("chat");
                assertThat(b.backend()).isEqualTo(stub.url());
                assertThat(b.up()).isTrue();
                assertThat(b.circuit()).isEqualTo("closed");
            });
            // the engine-metrics collector follows the routes: it scraped the stub's /metrics at start
            LiveFeedStallTest.waitFor(() -> stub.scrapes() > 0, Duration.ofSeconds(10));
        }
    }

    @Test
    void adminJwtInHeaderIsAccepted() throws Exception {
        long now = Instant.now().getEpochSecond();
        String jwt = Tokens.hs256(TestGateway.SECRET, "{\"sub\":\"it-staff\",\"tenant\":\"default\",\"role\":\"auditor\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + ",\"jti\":\"aud-" + System.nanoTime() + "\"}");
        try (WsProbe p = WsProbe.connect(url(), bearer(jwt)).probe()) {
            assertThat(p.next(Duration.ofSeconds(3)).frame().at()).isNotNull();
        }
    }

    @Test
    void firstMessageAuthentication() throws Exception {
        WsProbe.Connected c = WsProbe.connect(url(), Map.of());
        assertThat(c.status()).isEqualTo(101);
        try (WsProbe p = c.probe()) {
            p.socket.sendText("{\"token\":\"" + gw.adminToken() + "\"}", true).get(5, TimeUnit.SECONDS);
            assertThat(p.next(Duration.ofSeconds(3)).frame().at()).isNotNull();
        }
    }

    @Test
    void wrongOrMissingTokenRefused() throws Exception {
        assertThat(WsProbe.connect(url(), bearer("not-the-token")).status()).isEqualTo(401);
        String user = gw.token("bob", "default", "chat"); // a valid token, but not an admin
        assertThat(WsProbe.connect(url(), bearer(user)).status()).isEqualTo(403);

        try (WsProbe wrong = WsProbe.connect(url(), Map.of()).probe()) {
            wrong.socket.sendText("{\"token\":\"nope\"}", true);
            assertThat(wrong.closed.get(5, TimeUnit.SECONDS)).startsWith("1008");
            assertThat(wrong.messages).isEmpty();
        }
        try (WsProbe silent = WsProbe.connect(url(), Map.of()).probe()) {
            assertThat(silent.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 authentication timeout");
            assertThat(silent.messages).isEmpty();
        }
    }

    @Test
    void foreignOriginRefused() throws Exception {
        Map<String, String> evil = Map.of("Authorization", "Bearer " + gw.adminToken(), "Origin", "http://evil.example");
        assertThat(WsProbe.connect(url(), evil).status()).isEqualTo(403);
        Map<String, String> tricky = Map.of("Authorization", "Bearer " + gw.adminToken(),
                "Origin", "http://127.0.0.1.evil.example:8081");
        assertThat(WsProbe.connect(url(), tricky).status()).isEqualTo(403);
        // Another loopback origin is still another origin: Helidon 4.5 only lets the listener's own through.
        Map<String, String> otherLocal = Map.of("Authorization", "Bearer " + gw.adminToken(), "Origin", "http://localhost:5173");
        assertThat(WsProbe.connect(url(), otherLocal).status()).isEqualTo(403);
        Map<String, String> own = Map.of("Authorization", "Bearer " + gw.adminToken(),
                "Origin", "http://127.0.0.1:" + gw.server().adminPort());
        WsProbe.Connected ok = WsProbe.connect(url(), own);
        assertThat(ok.status()).isEqualTo(101);
        ok.probe().close();
    }

    @Test
    void backendDownFiresAnAlertIntoTheFrameAndTheStore() throws Exception {
        String user = gw.token("carol", "default", "dead");
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/v1/chat/completions", user, "{\"model\":\"dead\",\"messages\":[]}").statusCode())
                    .isGreaterThanOrEqualTo(500);
        }
        try (WsProbe p = WsProbe.connect(url(), bearer(gw.adminToken())).probe()) {
            AlertInfo seen = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (seen == null && System.nanoTime() < until) {
                LiveFrame f = p.next(Duration.ofSeconds(3)).frame();
                seen = f.alerts().stream().filter(a -> a.rule().equals("backend_down")).findFirst().orElse(null);
            }
            assertThat(seen).as("backend_down alert in a live frame").isNotNull();
            assertThat(seen.subject()).contains("dead");
            AlertInfo fired = seen;
            assertThat(gw.server().store().activeAlerts()).anySatisfy(a -> assertThat(a.id()).isEqualTo(fired.id()));
            assertThat(gw.server().store().alerts(10)).anySatisfy(a -> assertThat(a.id()).isEqualTo(fired.id()));
            assertThat(gw.server().alerts().active()).extracting(AlertInfo::id).contains(fired.id());
            assertThat(gw.server().alerts().acknowledge(fired.id(), "test")).isTrue();
            assertThat(gw.server().alerts().alerts(true)).anySatisfy(a -> assertThat(a.acknowledged()).isTrue());
            assertThat(gw.server().alerts().acknowledge("no-such-alert", "test")).isFalse();
            var viaApi = gw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.admin()
                    + "/admin/v1/alerts?state=all")).GET(), gw.adminToken());
            assertThat(viaApi.statusCode()).isEqualTo(200);
            assertThat(viaApi.body()).contains(fired.id());
        }
    }

    @Test
    void plainGetIsNotAnUpgrade() {
        var r = gw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.admin() + "/admin/v1/live")).GET(),
                gw.adminToken());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(gw.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.admin() + "/admin/v1/live")).GET(),
                "wrong").statusCode()).isEqualTo(401);
    }

    static void unused(WebSocket w) {
    }
}
