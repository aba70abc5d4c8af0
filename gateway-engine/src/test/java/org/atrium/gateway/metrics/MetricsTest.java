package org.atrium.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import org.atrium.gateway.testing.StubBackend;
import org.atrium.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} after real calls through a stub backend. */
class MetricsTest {
    static StubBackend stub;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBackend.openAi();
        gw = TestGateway.start("server:\n  metrics_on_data_port: true\nroutes:\n" + TestGateway.route("chat", stub.url())
                + "telemetry:\n  nvidia_smi: {enabled: false}\n  engines: {enabled: false}\n");
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        stub.close();
    }

    private static String scrape() {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.admin() + "/metrics")).GET(), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    /** Series identities (name and labels), without values. */
    private static Set<String> series(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return out;
    }

    @Test
    void seriesAfterCallsAndNoNewSeriesForUnknownRoutesOrTenants() throws Exception {
        String token = gw.token("ana", "default", "chat");
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/v1/chat/completions", token, "{\"model\":\"chat\",\"messages\":[]}").statusCode())
                    .isEqualTo(200);
        }
        assertThat(gw.post("/v1/chat/completions", token, "{\"model\":\"chat\",\"stream\":true,\"messages\":[]}")
                .statusCode()).isEqualTo(200);
        // one unknown route and one unknown tenant, so their "other"/"none" series exist ...
        assertThat(gw.post("/v1/chat/completions", token, "{\"model\":\"nope-1\",\"messages\":[]}").statusCode())
                .isIn(403, 404);
        assertThat(gw.post("/v1/chat/completions", gw.token("x", "ghost-1", "chat"),
                "{\"model\":\"chat\",\"messages\":[]}").statusCode()).isEqualTo(403);

        String text = TestGateway.eventually(MetricsTest::scrape, t -> t.contains("atrium_in_flight_requests 0.0"));
        assertThat(text).contains("atrium_requests_total{code=\"none\",route=\"chat\",status=\"2xx\",tenant=\"default\"} 4.0");
        assertThat(text).contains("atrium_request_duration_seconds_bucket{route=\"chat\",tenant=\"default\",le=\"0.1\"}");
        assertThat(text).contains("atrium_time_to_first_token_seconds_count{route=\"chat\",tenant=\"default\"} 4");
        assertThat(text).contains("atrium_tokens_total{route=\"chat\",tenant=\"default\",type=\"prompt\"} 44.0");
        assertThat(text).contains("atrium_tokens_total{route=\"chat\",tenant=\"default\",type=\"completion\"} 26.0");
        assertThat(text).contains("atrium_backend_up{backend=\"" + stub.url() + "\",route=\"chat\"} 1.0");
        assertThat(text).contains("atrium_backend_circuit_state{backend=\"" + stub.url() + "\",route=\"chat\",state=\"closed\"} 1.0");
        assertThat(text).contains("atrium_backend_requests_total{backend=\"" + stub.url() + "\",route=\"chat\",status=\"2xx\"} 4.0");
        assertThat(text).contains("atrium_in_flight_requests 0.0");
        assertThat(text).containsPattern("atrium_errors_total\\{code=\"(FORBIDDEN|NOT_FOUND)\",route=\"none\",tenant=\"default\"} 1.0");
        assertThat(text).contains("atrium_ban_hits_total{code=\"TENANT_DISABLED\",tenant=\"other\"} 1.0");
        assertThat(text).doesNotContain("nope-1").doesNotContain("ghost-1");

        // ... and more made-up names only count there: no new series
        Set<String> before = series(text);
        for (int i = 2; i < 6; i++) {
            gw.post("/v1/chat/completions", token, "{\"model\":\"nope-" + i + "\",\"messages\":[]}");
            gw.post("/v1/chat/completions", gw.token("x", "ghost-" + i, "chat"), "{\"model\":\"chat\",\"messages\":[]}");
            gw.post("/api/task/nope-" + i + "/v1/x", token, "{}");
        }
        String after = scrape();
        assertThat(series(after)).isEqualTo(before);
        assertThat(after).doesNotContain("nope-").doesNotContain("ghost-");
        assertThat(after).contains("atrium_ban_hits_total{code=\"TENANT_DISABLED\",tenant=\"other\"} 5.0");
    }

    @Test
    void metricsNeedNoTokenAndAreOnTheDataPortWhenAsked() {
        HttpResponse<String> data = gw.get("/metrics", null);
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.body()).contains("atrium_in_flight_requests");
    }

    @Test
    void labelBounds() {
        LabelBounds b = new LabelBounds(() -> Set.of("radiology"), () -> Set.of("chat"), () -> Set.of("http://gpu1:8000"));
        assertThat(b.tenant("radiology")).isEqualTo("radiology");
        assertThat(b.tenant("default")).isEqualTo("default");
        assertThat(b.tenant("made-up")).isEqualTo("other");
        assertThat(b.tenant(null)).isEqualTo("none");
        assertThat(b.route("chat")).isEqualTo("chat");
        assertThat(b.route("gpt-5")).isEqualTo("other");
        assertThat(b.backend("http://evil:1")).isEqualTo("other");
        assertThat(LabelBounds.code("RATE_LIMITED")).isEqualTo("RATE_LIMITED");
        assertThat(LabelBounds.code("WHATEVER")).isEqualTo("other");
        assertThat(LabelBounds.statusClass(0)).isEqualTo("0xx");
        assertThat(LabelBounds.statusClass(503)).isEqualTo("5xx");
    }
}
