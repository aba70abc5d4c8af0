package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

/** A backend's {@code max_concurrency} caps that backend through the real data path. */
class BackendCapTest {

    @Test
    void callsForAFullSlowBackendGoToTheOneWithRoom() throws Exception {
        AtomicInteger slowNow = new AtomicInteger();
        AtomicInteger slowMax = new AtomicInteger();
        AtomicInteger slowCalls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (StubBackend slow = new StubBackend((req, res) -> {
                slowCalls.incrementAndGet();
                slowMax.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
                release.await(60, TimeUnit.SECONDS); // holds its slot until the others are done
                slowNow.decrementAndGet();
                StubBackend.openAiHandler(req, res);
            });
             StubBackend fast = StubBackend.openAi();
             TestGateway gw = TestGateway.start("routes:\n  - id: cap\n    balancer: round_robin\n    backends:\n"
                     + "      - {url: \"" + slow.url() + "\", max_concurrency: 1}\n"
                     + "      - {url: \"" + fast.url() + "\", max_concurrency: 8}\n"
                     + "telemetry:\n  nvidia_smi: {enabled: false}\n  engines: {enabled: false}\n");
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String token = gw.token("ana", "default", "cap");
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> gw.post("/v1/chat/completions", token, "{\"model\":\"cap\",\"messages\":[]}")));
            }
            // every call but the one the slow backend holds finishes on the fast backend
            int done = 0;
            List<String> upstreams = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (done < 7 && System.nanoTime() < deadline) {
                done = 0;
                for (Future<HttpResponse<String>> f : calls) {
                    done += f.isDone() ? 1 : 0;
                }
                Thread.sleep(10);
            }
            assertThat(done).as("round-robin would have queued half the calls behind the slow backend").isEqualTo(7);
            assertThat(slowCalls.get()).isEqualTo(1);
            release.countDown();
            for (Future<HttpResponse<String>> f : calls) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                upstreams.add(r.headers().firstValue("X-Upstream").orElseThrow());
            }
            assertThat(slowMax.get()).isEqualTo(1);
            assertThat(upstreams).filteredOn(u -> u.equals("cap#1")).hasSize(1);
            assertThat(upstreams).filteredOn(u -> u.equals("cap#2")).hasSize(7);
        }
    }
}
