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

    /** {@code atrium_balancer_decisions_total} of route inf for this reason (0 before the first). */
    private static double decisions(String reason) {
        String metrics = gw.send(HttpRequest.newBuilder(URI.create(gw.admin() + "/metrics")).GET(), null).body();
        String series = "atrium_balancer_decisions_total{reason=\"" + reason + "\",route=\"inf\"} ";
        int i = metrics.indexOf(series);
        return i < 0 ? 0 : Double.parseDouble(metrics.substring(i + series.length(), metrics.indexOf('\n', i)).trim());
    }

    private static String body(String department, String question) {
        return "{\"model\":\"inf\",\"messages\":[{\"role\":\"system\",\"content\":\""
                + ("You are the " + department + " assistant. ").repeat(80) + "\"},{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
    }

    @Test
    void aDepartmentsCallsStayOnOneBackendAndTheReasonIsCountedAndLogged() throws Exception {
        String token = gw.token("ana", "default", "inf");
        double inFlightBefore = decisions("in_flight");
        double affinityBefore = decisions("affinity");
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = gw.post("/v1/chat/completions", token, body("radiology", "question " + i));
            assertThat(r.statusCode()).isEqualTo(200);
            upstreams.add(r.headers().firstValue("X-Upstream").orElseThrow());
        }
        assertThat(upstreams).containsOnly(upstreams.getFirst());

        assertThat(decisions("in_flight") - inFlightBefore).isEqualTo(1.0);
        assertThat(decisions("affinity") - affinityBefore).isEqualTo(3.0);

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

    @Test
    void adminBackendsShowEachBackendsShareOfCalls() throws Exception {
        String token = gw.token("ana", "default", "inf");
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/v1/chat/completions", token, body("pharmacy", "q" + i)).statusCode()).isEqualTo(200);
        }
        URI uri = URI.create(gw.admin() + "/admin/v1/backends?route=inf");
        assertThat(gw.send(HttpRequest.newBuilder(uri).GET(), null).statusCode()).isEqualTo(401);
        long deadline = System.nanoTime() + 10_000_000_000L;
        String json = "";
        while (System.nanoTime() < deadline) { // shares cover complete seconds only
            HttpResponse<String> r = gw.send(HttpRequest.newBuilder(uri).GET(), gw.adminToken());
            assertThat(r.statusCode()).isEqualTo(200);
            json = r.body();
            if (json.contains("sharePercent")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(json).contains("\"backend\":\"" + a.url() + "\"").contains("\"backend\":\"" + b.url() + "\"")
                .contains("\"route\":\"inf\"").contains("sharePercent").contains("tokensPerSecond");
    }
}
