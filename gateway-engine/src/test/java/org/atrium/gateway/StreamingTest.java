package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSE passthrough: events arrive as they are produced; cancellation and upstream death are honest. */
class StreamingTest {
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = new StubBackend(StubBackend::openAiHandler);
        gw = TestGateway.start("routes:\n" + TestGateway.route("chat", stub.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    private HttpResponse<InputStream> stream(String body) throws Exception {
        return gw.http().send(HttpRequest.newBuilder(URI.create(gw.base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + gw.token("u1", "default", "chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void sseEventsArriveIncrementallyAndUsageIsCounted() throws Exception {
        // The stub sends event i+1 only after the client has received event i: if anything on the
        // way buffered events, the client would wait forever and the stub would give up.
        List<CountDownLatch> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            received.add(new CountDownLatch(1));
        }
        AtomicBoolean stalled = new AtomicBoolean();
        stub.handler((req, res) -> {
            res.startChunked(200, "text/event-stream");
            for (int i = 0; i < 4; i++) {
                res.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"w" + i + "\"}}]}\n\n");
                if (!received.get(i).await(10, TimeUnit.SECONDS)) {
                    stalled.set(true);
                }
            }
            res.chunk("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n");
            res.chunk("data: [DONE]\n\n");
            res.endChunked();
        });
        HttpResponse<InputStream> r = stream("{\"model\":\"chat\",\"stream\":true,\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
                    lines.add(line);
                    if (lines.size() <= 4) {
                        received.get(lines.size() - 1).countDown();
                    }
                }
            }
        }
        assertThat(stalled).as("an event was held back by the gateway").isFalse();
        assertThat(lines).hasSize(6);
        assertThat(lines.getLast()).isEqualTo("data: [DONE]");
        // The gateway asked the engine for usage in the stream.
        assertThat(stub.last().bodyText()).contains("\"include_usage\":true");
    }

    @Test
    void clientDisconnectCancelsTheUpstreamStream() throws Exception {
        stub.handler((req, res) -> {
            res.startChunked(200, "text/event-stream");
            for (int i = 0; i < 200; i++) {
                res.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"tok" + i + "\"}}]}\n\n");
                Thread.sleep(20);
            }
            res.endChunked();
        });
        int before = stub.cancelled();
        HttpResponse<InputStream> r = stream("{\"model\":\"chat\",\"stream\":true}");
        try (InputStream in = r.body()) {
            in.readNBytes(200);
        }
        // The stub notices its writes failing once the gateway dropped the upstream connection.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stub.cancelled() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stub.cancelled()).isGreaterThan(before);
    }

    @Test
    void backendDeathMidStreamEndsWithErrorNotDone() throws Exception {
        stub.handler((req, res) -> {
            res.startChunked(200, "text/event-stream");
            res.chunk("data: {\"choices\":[{\"delta\":{\"content\":\"partial\"}}]}\n\n");
            Thread.sleep(50);
            res.die();
        });
        HttpResponse<InputStream> r = stream("{\"model\":\"chat\",\"stream\":true}");
        StringBuilder got = new StringBuilder();
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException expected) {
            // the transfer is broken on purpose
        }
        assertThat(got.toString()).contains("partial").contains("UPSTREAM_ERROR").doesNotContain("[DONE]");
    }

    @Test
    void backendDeathMidStreamBreaksTheClientTransfer() throws Exception {
        stub.handler((req, res) -> {
            res.startChunked(200, "text/event-stream");
            res.chunk("data: {\"x\":1}\n\n");
            res.die();
        });
        HttpResponse<InputStream> r = stream("{\"model\":\"chat\",\"stream\":true}");
        assertThatThrownBy(() -> {
            try (InputStream in = r.body()) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void refusedBackendIsUpstreamUnavailableWithoutInternalAddress() throws Exception {
        try (TestGateway g = TestGateway.start("routes:\n" + TestGateway.route("dead", "http://127.0.0.1:1"))) {
            HttpResponse<String> r = g.post("/v1/chat/completions", g.token("u", "default", "*"), "{\"model\":\"dead\"}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("UPSTREAM_UNAVAILABLE").doesNotContain("127.0.0.1");
            assertThat(r.headers().firstValue("retry-after")).isPresent();
        }
    }
}
