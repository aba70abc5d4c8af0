package org.atrium.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code balancer: inference} through the real data path: affinity, {@code /metrics} and the access log. */
class InferenceRoutingTest {
    static StubBackend a;
    static StubBackend b;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        a = StubBackend.openAi();
        b = StubBackend.openAi();
        gw = TestGateway.start("routes:\n  - id: inf\n    balancer: inference\n    backends:\n      - url: " + a.url()
                + "\n      - url: " + b.url() + "\n"
                + "telemetry:\n  nvidia_smi: {enabled: false}\n  engines: {enabled: false}\n");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        a.close();
        b.close();
    }

    private static String body(String department, String question) {
        return "{\"model\":\"inf\",\"messages\":[{\"role\":\"system\",\"content\":\""
                + ("You are the " + department + " assistant. ").repeat(80) + "\"},{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
    }

    @Test
    void aDepartmentsCallsStayOnOneBackendAndTheReasonIsCountedAndLogged() throws Exception {
        String token = gw.token("ana", "default", "inf");
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = gw.post("/v1/chat/completions", token, body("radiology", "question " + i));
            assertThat(r.statusCode()).isEqualTo(200);
            upstreams.add(r.headers().firstValue("X-Upstream").orElseThrow());
        }
        assertThat(upstreams).containsOnly(upstreams.getFirst());

        String metrics = gw.send(HttpRequest.newBuilder(URI.create(gw.admin() + "/metrics")).GET(), null).body();
        assertThat(metrics).contains("atrium_balancer_decisions_total{reason=\"in_flight\",route=\"inf\"} 1.0");
        assertThat(metrics).contains("atrium_balancer_decisions_total{reason=\"affinity\",route=\"inf\"} 3.0");

        Path log = gw.configFile().getParent().resolve("data").resolve("logs").resolve("access.log");
        long deadline = System.nanoTime() + 10_000_000_000L;
        String text = "";
        while (System.nanoTime() < deadline) { // the access log is written by a background thread
            text = Files.exists(log) ? Files.readString(log) : "";
            if (text.split("\n").length >= 4 && text.contains("\"pick\":\"affinity\"")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(text).contains("\"pick\":\"in_flight\"").contains("\"pick\":\"affinity\"");
        assertThat(text).doesNotContain("radiology assistant"); // only hashes of the prompt are kept
    }
}
