package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atrium.gateway.traffic.TrafficTesting.code;
import static org.atrium.gateway.traffic.TrafficTesting.task;
import static org.atrium.gateway.traffic.TrafficTesting.token;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.atrium.gateway.testing.MutableClock;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Balancing, passive ejection and half-open recovery (moved clock), active health checks, failover
 * only before bytes were sent, circuit breakers and degrade routing, through sockets.
 */
class BackendHealthTest {
    static final MutableClock CLOCK = MutableClock.now();
    static final AtomicBoolean BAD_FAILS = new AtomicBoolean(true);
    static final AtomicBoolean SICK = new AtomicBoolean(true);
    static StubBackend s1;
    static StubBackend s2;
    static StubBackend slowOne;
    /** The slow backend holds each call until this opens (a test opens it), so it is busy for sure. */
    static volatile CountDownLatch SLOW_RELEASE = new CountDownLatch(0);
    static StubBackend bad;
    static StubBackend dying;
    static StubBackend sick;
    static StubBackend flaky;
    static int closedPort;
    static TestGateway gw;
    static TestGateway gwCircuit;

    @BeforeAll
    static void start() throws Exception {
        s1 = StubBackend.openAi();
        s2 = StubBackend.openAi();
        slowOne = new StubBackend((req, res) -> {
            SLOW_RELEASE.await(10, TimeUnit.SECONDS);
            StubBackend.openAiHandler(req, res);
        });
        bad = new StubBackend((req, res) -> {
            if (BAD_FAILS.get()) {
                res.json(503, "{\"error\":\"overloaded\"}");
            } else {
                StubBackend.openAiHandler(req, res);
            }
        });
        dying = new StubBackend((req, res) -> res.die());
        sick = new StubBackend((req, res) -> {
            if (req.target().equals("/health")) {
                res.json(SICK.get() ? 500 : 200, "{}");
            } else {
                StubBackend.openAiHandler(req, res);
            }
        });
        flaky = new StubBackend((req, res) -> res.json(503, "{\"error\":\"down\"}"));
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here afterwards: connection refused
        }
        String slowUrl = slowOne.url();
        gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  health_check_interval_seconds: 0\n"
                + "routes:\n"
                + TestGateway.route("rr", s1.url(), s2.url())
                // own URLs: run-time backend state (and weight) is kept per URL
                + "  - id: wt\n    balancer: weighted\n    backends:\n      - url: " + s1.url() + "/w\n        weight: 3\n"
                + "      - url: " + s2.url() + "/w\n        weight: 1\n"
                + "  - id: lc\n    balancer: least_connections\n    backends:\n      - url: " + slowUrl + "\n"
                + "      - url: " + s2.url() + "\n"
                + TestGateway.route("eject", bad.url(), s2.url())
                + TestGateway.route("failover", "http://127.0.0.1:" + closedPort, s2.url())
                + TestGateway.route("reached", dying.url(), s1.url())
                + "  - id: big\n    health_path: /health\n    fallback: small\n    backends:\n      - url: " + sick.url() + "\n"
                + "  - id: busy\n    fallback: small\n    fallback_queue_threshold: 1\n    backends:\n"
                + "      - url: " + slowUrl + "\n        max_concurrency: 1\n"
                + TestGateway.route("small", s2.url()), CLOCK, Map.of());
        gwCircuit = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  circuit_volume: 4\n"
                + "  circuit_error_ratio: 50\n  circuit_open_seconds: 60\n  passive_failure_threshold: 100\n"
                + "routes:\n" + TestGateway.route("cb", flaky.url())
                + "  - id: cbdeg\n    fallback: small\n    backends:\n      - url: " + flaky.url() + "/deg\n"
                + TestGateway.route("small", s2.url()), CLOCK, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        gwCircuit.close();
        for (StubBackend s : List.of(s1, s2, slowOne, bad, dying, sick, flaky)) {
            s.close();
        }
    }

    static String upstream(HttpResponse<String> r) {
        return r.headers().firstValue("x-upstream").orElse("none");
    }

    static List<String> upstreams(TestGateway g, String route, int n) {
        String t = token(CLOCK, "ops", "default", "*");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(upstream(task(g, t, route)));
        }
        return out;
    }

    @Test
    void roundRobinAndWeightedBalancing() {
        List<String> rr = upstreams(gw, "rr", 6);
        assertThat(rr).filteredOn("rr#1"::equals).hasSize(3);
        assertThat(rr).filteredOn("rr#2"::equals).hasSize(3);
        List<String> wt = upstreams(gw, "wt", 8);
        assertThat(wt).filteredOn("wt#1"::equals).hasSize(6);
        assertThat(wt).filteredOn("wt#2"::equals).hasSize(2);
    }

    @Test
    void leastConnectionsAvoidsTheBusyBackend() throws Exception {
        String t = token(CLOCK, "ops", "default", "*");
        SLOW_RELEASE = new CountDownLatch(1);
        int before = slowOne.received().size();
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                running.add(CompletableFuture.supplyAsync(() -> task(gw, t, "lc"), TrafficTesting.VIRTUAL));
            }
            // one of them is now held on the slow backend
            assertThat(TestGateway.eventually(() -> slowOne.received().size(), n -> n > before)).isGreaterThan(before);
            List<String> next = upstreams(gw, "lc", 4);
            assertThat(next).containsOnly("lc#2");
        } finally {
            SLOW_RELEASE.countDown();
        }
        for (var f : running) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void passiveEjectionDoublesAndRecoversHalfOpen() {
        List<String> first = upstreams(gw, "eject", 6); // bad answers 503 three times → ejected for 10 s
        assertThat(first).filteredOn("eject#1"::equals).hasSize(3);
        assertThat(upstreams(gw, "eject", 4)).containsOnly("eject#2");

        CLOCK.advance(Duration.ofSeconds(10)); // half-open: one trial call, which fails → ejected for 20 s
        assertThat(upstreams(gw, "eject", 2)).containsExactlyInAnyOrder("eject#1", "eject#2");
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(upstreams(gw, "eject", 4)).containsOnly("eject#2");

        BAD_FAILS.set(false);
        CLOCK.advance(Duration.ofSeconds(10)); // 20 s over: the trial succeeds and the backend is back
        List<String> after = upstreams(gw, "eject", 6);
        assertThat(after).filteredOn("eject#1"::equals).hasSize(3);
    }

    @Test
    void failoverOnlyWhenNothingReachedTheBackend() {
        String t = token(CLOCK, "ops", "default", "*");
        int before = s2.received().size();
        HttpResponse<String> r = task(gw, t, "failover");
        assertThat(r.statusCode()).isEqualTo(200); // refused connection → next backend
        assertThat(s2.received().size()).isEqualTo(before + 1);

        int s1Before = s1.received().size();
        int dyingBefore = dying.received().size();
        HttpResponse<String> lost = task(gw, t, "reached");
        assertThat(lost.statusCode()).isEqualTo(502); // the request reached "dying": never run it twice
        assertThat(code(lost)).isEqualTo("UPSTREAM_ERROR");
        assertThat(dying.received().size()).isEqualTo(dyingBefore + 1);
        assertThat(s1.received().size()).isEqualTo(s1Before);
    }

    @Test
    void activeHealthCheckSendsTrafficToTheFallbackRoute() {
        String t = token(CLOCK, "ops", "default", "big");
        SICK.set(true);
        gw.server().traffic().health().checkNow();
        HttpResponse<String> degraded = task(gw, t, "big");
        assertThat(degraded.statusCode()).isEqualTo(200);
        assertThat(degraded.headers().firstValue("x-atrium-fallback")).hasValue("big->small");
        assertThat(upstream(degraded)).isEqualTo("small#1");

        SICK.set(false);
        gw.server().traffic().health().checkNow();
        HttpResponse<String> healthy = task(gw, t, "big");
        assertThat(healthy.headers().firstValue("x-atrium-fallback")).isEmpty();
        assertThat(upstream(healthy)).isEqualTo("big#1");
    }

    @Test
    void queueOverThresholdDegradesToTheFallback() throws Exception {
        String t = token(CLOCK, "ops", "default", "busy");
        FairShareQueue queue = gw.server().traffic().queue(gw.server().routes().table().byId("busy").orElseThrow());
        SLOW_RELEASE = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) { // one runs (capacity 1), one waits
                running.add(CompletableFuture.supplyAsync(() -> task(gw, t, "busy"), TrafficTesting.VIRTUAL));
            }
            assertThat(TestGateway.eventually(queue::waiting, n -> n == 1)).isEqualTo(1);
            HttpResponse<String> r = task(gw, t, "busy");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-atrium-fallback")).hasValue("busy->small");
        } finally {
            SLOW_RELEASE.countDown();
        }
        for (var f : running) {
            assertThat(f.get().headers().firstValue("x-atrium-fallback")).isEmpty();
        }
    }

    @Test
    void circuitOpensAndAnswers503FastWithoutCallingTheBackend() {
        String t = token(CLOCK, "ops", "default", "*");
        for (int i = 0; i < 4; i++) {
            assertThat(task(gwCircuit, t, "cb").statusCode()).isEqualTo(503); // the backend's own 503s
        }
        int seen = flaky.received().size();
        long start = System.nanoTime();
        HttpResponse<String> open = task(gwCircuit, t, "cb");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(code(open)).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(open.headers().firstValue("retry-after")).isPresent();
        assertThat(flaky.received().size()).isEqualTo(seen);
        assertThat(millis).isLessThan(1000);

        // a route with a fallback degrades instead once its breaker is open
        for (int i = 0; i < 4; i++) {
            task(gwCircuit, t, "cbdeg");
        }
        HttpResponse<String> degraded = task(gwCircuit, t, "cbdeg");
        assertThat(degraded.statusCode()).isEqualTo(200);
        assertThat(degraded.headers().firstValue("x-atrium-fallback")).hasValue("cbdeg->small");
    }
}
