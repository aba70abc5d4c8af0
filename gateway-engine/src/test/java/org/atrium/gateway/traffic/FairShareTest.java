package org.atrium.gateway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atrium.gateway.traffic.TrafficTesting.code;
import static org.atrium.gateway.traffic.TrafficTesting.task;
import static org.atrium.gateway.traffic.TrafficTesting.tenant;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.atrium.model.Priority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Weighted fair-share admission, priority classes and bounded queues through real sockets. */
class FairShareTest {
    static final Clock CLOCK = Clock.systemUTC();
    static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
    static final ConcurrentLinkedQueue<String> ORDER = new ConcurrentLinkedQueue<>();
    static StubBackend gpu;
    static StubBackend slow;
    /** The slow backend holds its calls until a test opens this (open unless a test closes it). */
    static volatile CountDownLatch HOLD = new CountDownLatch(0);
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gpu = new StubBackend((req, res) -> { // 50 ms a call
            MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
            } finally {
                IN_FLIGHT.decrementAndGet();
            }
            res.json(200, "{\"ok\":true}");
        });
        slow = new StubBackend((req, res) -> {
            ORDER.add(req.header("x-tenant-id"));
            HOLD.await(10, TimeUnit.SECONDS);
            Thread.sleep(300);
            res.json(200, "{\"ok\":true}");
        });
        gw = TestGateway.start("limits:\n  ip_requests_per_minute: 0\n  user_requests_per_minute: 0\n"
                + "  user_max_concurrent: 0\n"
                + "routes:\n"
                + "  - id: pool\n    backends:\n      - url: " + gpu.url() + "\n        max_concurrency: 8\n"
                + "  - id: one\n    backends:\n      - url: " + slow.url() + "\n        max_concurrency: 1\n"
                + "  - id: tiny\n    queue_timeout_seconds: 1\n    max_queue: 1\n    backends:\n      - url: "
                + slow.url() + "/tiny\n        max_concurrency: 1\n", CLOCK, Map.of());
        var store = gw.server().store();
        store.putTenant(tenant("radiology", 1, null, null, null, null, null, null, null, null, null));
        store.putTenant(tenant("icu", 1, null, null, null, null, null, null, null, null, null));
        store.putTenant(tenant("research", 1, Priority.LOW, null, null, null, null, null, null, null, null));
        store.putTenant(tenant("er", 1, Priority.HIGH, null, null, null, null, null, null, null, null));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        gpu.close();
        slow.close();
    }

    // B measures with its own client: the JDK client's single selector thread would otherwise be
    // shared with A's 200 connections and the test would time the test client, not the gateway.
    static final java.net.http.HttpClient B_CLIENT = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    static HttpResponse<String> poolCall(java.net.http.HttpClient client, String token) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.base() + "/api/task/pool/v1/x"))
                .header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** B sends {@code rounds} rounds of 4 calls at a time and returns every call's latency in ms. */
    static List<Long> roundsOfFour(String token, int rounds) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            TrafficTesting.parallel(4, () -> {
                long t0 = System.nanoTime();
                HttpResponse<String> res = poolCall(B_CLIENT, token);
                assertThat(res.statusCode()).isEqualTo(200);
                latencies.add((System.nanoTime() - t0) / 1_000_000);
                return res;
            });
        }
        return latencies;
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** One measurement: B's median alone, then under A's flood of 200 concurrent calls. */
    record Run(long alone, long underFlood, long aMillis, int maxInFlight, List<HttpResponse<String>> aAnswers) {
    }

    static Run measure(String a, String b) throws Exception {
        long alone = median(roundsOfFour(b, 5));
        MAX_IN_FLIGHT.set(0);
        List<Long> flooded;
        List<HttpResponse<String>> aAnswers = new ArrayList<>();
        long aStart = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                flood.add(pool.submit(() -> task(gw, a, "pool")));
            }
            Thread.sleep(150); // A's backlog is queued now
            flooded = roundsOfFour(b, 5);
            for (Future<HttpResponse<String>> f : flood) {
                aAnswers.add(f.get());
            }
        }
        Run run = new Run(alone, median(flooded), (System.nanoTime() - aStart) / 1_000_000, MAX_IN_FLIGHT.get(), aAnswers);
        System.out.printf("fairness: B median alone %d ms, under A's flood %d ms; A's 200 calls took %d ms, "
                + "max in flight %d%n", run.alone(), run.underFlood(), run.aMillis(), run.maxInFlight());
        return run;
    }

    @Test
    void floodingTenantCannotDelayAnotherBeyondItsShare() throws Exception {
        String a = TrafficTesting.token(CLOCK, "batch", "radiology", "pool");
        String b = TrafficTesting.token(CLOCK, "nurse", "icu", "pool");
        roundsOfFour(b, 2); // warm up connections and code paths
        Run run = measure(a, b);
        // The 2 cores are shared with the test JVM's own load generator and other builds: a sample
        // polluted by CPU contention is measured again (at most twice more); the bound is not relaxed.
        for (int attempt = 1; attempt < 3 && run.underFlood() > 2 * run.alone(); attempt++) {
            run = measure(a, b);
        }
        assertThat(run.underFlood()).isLessThanOrEqualTo(2 * run.alone());
        assertThat(run.aAnswers()).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(run.maxInFlight()).isEqualTo(8); // A filled the pool B left idle, never more
    }

    /** Waits until {@code route}'s pool has {@code inUse} calls running and {@code waiting} queued. */
    static void awaitQueue(String route, int inUse, int waiting) throws Exception {
        FairShareQueue q = gw.server().traffic().queue(gw.server().routes().table().byId(route).orElseThrow());
        assertThat(TestGateway.eventually(() -> q.inUse() + "/" + q.waiting(), v -> v.equals(inUse + "/" + waiting)))
                .as("running/waiting on " + route).isEqualTo(inUse + "/" + waiting);
    }

    @Test
    void highPriorityIsAdmittedBeforeLowPriority() throws Exception {
        String low = TrafficTesting.token(CLOCK, "r", "research", "one");
        String high = TrafficTesting.token(CLOCK, "e", "er", "one");
        ORDER.clear();
        HOLD = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> task(gw, low, "one"), TrafficTesting.VIRTUAL));
                awaitQueue("one", 1, i); // the first runs (held), the others wait, in this order
            }
            calls.add(CompletableFuture.supplyAsync(() -> task(gw, high, "one"), TrafficTesting.VIRTUAL));
            awaitQueue("one", 1, 3);
        } finally {
            HOLD.countDown();
        }
        for (var c : calls) {
            assertThat(c.get().statusCode()).isEqualTo(200);
        }
        // the first low call was already running; the high call goes next, before the waiting low ones
        assertThat(List.copyOf(ORDER)).containsExactly("research", "er", "research", "research");
    }

    @Test
    void boundedQueueWaitAndLength() throws Exception {
        String t = TrafficTesting.token(CLOCK, "q", "icu", "tiny");
        HOLD = new CountDownLatch(1);
        ORDER.clear();
        CompletableFuture<HttpResponse<String>> running;
        CompletableFuture<HttpResponse<String>> waiting;
        try {
            running = CompletableFuture.supplyAsync(() -> task(gw, t, "tiny"), TrafficTesting.VIRTUAL);
            assertThat(TestGateway.eventually(ORDER::size, n -> n == 1)).isEqualTo(1); // held at the backend
            waiting = CompletableFuture.supplyAsync(() -> task(gw, t, "tiny"), TrafficTesting.VIRTUAL);
            awaitQueue("tiny", 1, 1);
            HttpResponse<String> full = task(gw, t, "tiny");
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(code(full)).isEqualTo("QUEUE_FULL");
            assertThat(full.headers().firstValue("retry-after")).isPresent();
        } finally {
            HOLD.countDown();
        }
        assertThat(running.get().statusCode()).isEqualTo(200);
        // the waiting call was queued, not refused (it may time out while the first is held)
        assertThat(code(waiting.get())).isNotEqualTo("QUEUE_FULL");

        HOLD = new CountDownLatch(1);
        ORDER.clear();
        try {
            CompletableFuture<HttpResponse<String>> hog = CompletableFuture.supplyAsync(() -> task(gw, t, "tiny"), TrafficTesting.VIRTUAL);
            // held at the backend (the previous call's slot may be released just after its caller got the answer)
            assertThat(TestGateway.eventually(ORDER::size, n -> n == 1)).isEqualTo(1);
            HttpResponse<String> late = task(gw, t, "tiny"); // waits its queue_timeout of 1 s behind the held call
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(code(late)).isEqualTo("QUEUE_TIMEOUT");
            assertThat(late.headers().firstValue("retry-after")).isPresent();
            HOLD.countDown();
            assertThat(hog.get().statusCode()).isEqualTo(200);
        } finally {
            HOLD.countDown();
        }
    }
}
